# xtrain solve: the documented JSON interface, certificates, exit codes.
. "$(dirname "$0")/lib.sh"
DATA=$SRC/instances/data

expect_exit 0 "$XTRAIN" solve "$DATA/xor.txt" --hidden 2 --json
expect_text "$WORK/out" '"status": "optimal"'
expect_text "$WORK/out" '"loss": "0"'
expect_text "$WORK/out" '"network": {'

# XOR with one neuron: optimum 1, certificate verified independently.
expect_exit 0 "$XTRAIN" solve "$DATA/xor.txt" -k 1 --certificate "$WORK/c"
expect_text "$WORK/out" "loss (l2): 1"
expect_exit 0 "$XTRAIN" check "$DATA/xor.txt" -k 1 --certificate "$WORK/c"
expect_text "$WORK/out" "proven optimum: 1"
# The certificate proves nothing about another loss.
expect_exit 1 "$XTRAIN" check "$DATA/xor.txt" -k 1 --loss l1 \
    --certificate "$WORK/c"
# A corrupted certificate is rejected: drop the first pattern.
python3 - "$WORK/c" "$WORK/c2" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["patterns"] = c["patterns"][1:]
json.dump(c, open(sys.argv[2], "w"))
PY
expect_exit 1 "$XTRAIN" check "$DATA/xor.txt" -k 1 --certificate "$WORK/c2"
expect_text "$WORK/out" "rejected"
# ... or change one multiplier.
python3 - "$WORK/c" "$WORK/c3" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
for p in c["patterns"]:
    key = "farkas" if "farkas" in p else "dual"
    nonzero = [i for i, v in enumerate(p[key]) if v != "0"]
    if nonzero:
        p[key][nonzero[0]] = "12345"
        break
json.dump(c, open(sys.argv[2], "w"))
PY
expect_exit 1 "$XTRAIN" check "$DATA/xor.txt" -k 1 --certificate "$WORK/c3"

# Decision: target 1 is reachable, 99/100 is not (exit 1).
expect_exit 0 "$XTRAIN" solve "$DATA/xor.txt" -k 1 --target 1 --json
expect_text "$WORK/out" '"status": "feasible"'
expect_exit 1 "$XTRAIN" solve "$DATA/xor.txt" -k 1 --target 99/100 \
    --certificate "$WORK/inf"
expect_text "$WORK/out" "status: infeasible"
expect_exit 0 "$XTRAIN" check "$DATA/xor.txt" -k 1 --target 99/100 \
    --certificate "$WORK/inf"
expect_text "$WORK/out" "no network reaches the target"

# The hat: exact with three neurons.
expect_exit 0 "$XTRAIN" solve "$DATA/hat.txt" -o "$WORK/hat.net"
expect_exit 0 "$XTRAIN" check "$DATA/hat.txt" "$WORK/hat.net" --target 0

# Statistics at -v go to stderr.
expect_exit 0 "$XTRAIN" solve "$DATA/xor.txt" -k 1 -v
expect_text "$WORK/err" "patterns examined"

# The MIP baseline proves nothing (exit 3) and states its weight box:
# 10 (max |y| + 1) = 20 on xor.
expect_exit 3 "$XTRAIN" solve "$DATA/xor.txt" -k 2 --method mip
expect_text "$WORK/err" "|w_jt|, |b_j| <= 20,"
expect_text "$WORK/out" "status: unknown"
expect_exit 3 "$XTRAIN" solve "$DATA/xor.txt" -k 2 --method mip --json
expect_text "$WORK/out" '"weight_bound": 20,'
expect_exit 2 "$XTRAIN" solve "$DATA/xor.txt" --method mip -c "$WORK/mip.c"
expect_one_line
[ -e "$WORK/mip.c" ] && fail "the MIP baseline wrote a certificate"
# Data beyond 10^12 would make GLPK stop on an assertion: rejected.
printf 'xtrain-instance 1\ninputs 1\nhidden 2\nloss l2\ndata 3\n' \
    >"$WORK/huge.txt"
printf '%s\n' '-1e100 0' '0 1e100' '1e100 0' >>"$WORK/huge.txt"
expect_exit 2 "$XTRAIN" solve "$WORK/huge.txt" --method mip
expect_one_line
expect_text "$WORK/err" "within +-10^12"

# --max-patterns stops before the search, with a JSON result object.
expect_exit 3 "$XTRAIN" solve "$DATA/xor.txt" -k 1 --max-patterns 2 --json
expect_text "$WORK/out" '"status": "unknown", "proven": false'
expect_one_line

# Linear hidden units: auto takes the SMT backend.  Least squares on
# (0,0) (1,1) (2,3) by a line: slope 3/2, intercept -1/6, loss 1/6.
printf 'xtrain-instance 1\ninputs 1\nhidden 1\nactivation linear\n' \
    >"$WORK/linear.txt"
printf 'loss l2\ndata 3\n0 0\n1 1\n2 3\n' >>"$WORK/linear.txt"
expect_exit 0 "$XTRAIN" solve "$WORK/linear.txt"
expect_text "$WORK/out" "loss (l2): 1/6"

# Threshold units with the l2 loss: auto takes the SMT backend.
expect_exit 0 "$XTRAIN" gen planted -s 2 -d 2 -n 10 -k 2 \
    --activation threshold -o "$WORK/threshold.txt"
expect_exit 0 "$XTRAIN" solve "$WORK/threshold.txt"
expect_text "$WORK/out" "loss (l2): 0"

# Bad input.
expect_exit 2 "$XTRAIN" solve "$DATA/xor.txt" --method nope
expect_one_line
expect_exit 2 "$XTRAIN" solve "$DATA/xor.txt" --hidden 0
expect_one_line
expect_exit 2 "$XTRAIN" solve "$DATA/xor.txt" --time-limit -3
expect_one_line
printf 'xtrain-instance 1\ninputs 1\ndata 1\n0 1\n' >"$WORK/nok.txt"
expect_exit 2 "$XTRAIN" solve "$WORK/nok.txt"
expect_text "$WORK/err" "hidden"
expect_one_line

finish
