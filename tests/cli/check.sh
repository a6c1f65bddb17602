# xtrain check: exact loss of a network, targets, and bad input.
. "$(dirname "$0")/lib.sh"
DATA=$SRC/instances/data

expect_exit 0 "$XTRAIN" check "$DATA/xor.txt" "$DATA/xor-k2.net"
expect_text "$WORK/out" "loss (l2): 0"

expect_exit 0 "$XTRAIN" check "$DATA/xor.txt" "$DATA/xor-k2.net" --json
expect_text "$WORK/out" '"loss": "0"'
expect_text "$WORK/out" '"meets_target": true'

# The zero network: residuals -1 on the two points labelled 1.
cat >"$WORK/zero.net" <<'NET'
xtrain-network 1
inputs 2
hidden 1
neuron 0 0 0 1
NET
expect_exit 0 "$XTRAIN" check "$DATA/xor.txt" "$WORK/zero.net"
expect_text "$WORK/out" "loss (l2): 2"
expect_exit 0 "$XTRAIN" check "$DATA/xor.txt" "$WORK/zero.net" --loss l1
expect_text "$WORK/out" "loss (l1): 2"
expect_exit 0 "$XTRAIN" check "$DATA/xor.txt" "$WORK/zero.net" --loss linf
expect_text "$WORK/out" "loss (linf): 1"
expect_exit 1 "$XTRAIN" check "$DATA/xor.txt" "$WORK/zero.net" --target 1
expect_text "$WORK/out" "not met"
expect_exit 0 "$XTRAIN" check "$DATA/xor.txt" "$WORK/zero.net" --target 2
expect_exit 0 "$XTRAIN" check "$DATA/xor.txt" "$WORK/zero.net" -v
expect_text "$WORK/out" "point 2 output 1 residual -1"

# Bad command lines and files: one line on stderr, exit 2.
expect_exit 2 "$XTRAIN" check
expect_one_line
expect_exit 2 "$XTRAIN" check "$DATA/xor.txt" "$WORK/zero.net" --bogus
expect_text "$WORK/err" "unknown option --bogus"
expect_one_line
expect_exit 2 "$XTRAIN" check "$DATA/xor.txt" "$WORK/zero.net" --loss l3
expect_text "$WORK/err" 'unknown loss "l3"'
expect_exit 2 "$XTRAIN" check "$DATA/xor.txt" "$WORK/zero.net" --target -1
expect_exit 2 "$XTRAIN" check "$WORK/missing.txt" "$WORK/zero.net"
expect_one_line
expect_text "$WORK/err" "missing.txt"
printf 'xtrain-instance 1\ninputs 2\ndata 1\n0 x 1\n' >"$WORK/bad.txt"
expect_exit 2 "$XTRAIN" check "$WORK/bad.txt" "$WORK/zero.net"
expect_text "$WORK/err" "bad.txt:4:"
expect_one_line
printf 'xtrain-instance 1\ninputs 3\ndata 1\n0 0 0 1\n' >"$WORK/d3.txt"
expect_exit 2 "$XTRAIN" check "$WORK/d3.txt" "$WORK/zero.net"
expect_one_line
expect_exit 2 "$XTRAIN" nonsense
expect_one_line

# Help and version.
expect_exit 0 "$XTRAIN" --help
expect_text "$WORK/out" "solve"
expect_exit 0 "$XTRAIN" check --help
expect_text "$WORK/out" "--certificate"
expect_exit 0 "$XTRAIN" --version
expect_text "$WORK/out" "xtrain "

finish
