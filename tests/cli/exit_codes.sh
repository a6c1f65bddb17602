# The exit codes and error messages documented in docs/cli.md, command by
# command: 0 yes or success, 1 a definite no, 2 bad command line or input
# (one line on stderr, nothing on stdout), 3 no answer (limit or
# interrupt).  Exit code 4 (a failed self-check) needs a bug to happen
# and is not tested here.
. "$(dirname "$0")/lib.sh"
DATA=$SRC/instances/data

# expect_clean_error: the failing command printed nothing on stdout and
# exactly one line on stderr.
expect_clean_error() {
    [ -s "$WORK/out" ] && fail "stdout not empty: $(head -c 100 "$WORK/out")"
    expect_one_line
}

printf 'xtrain-instance 1\ninputs 2\ndata 4\n0 0 0\n1 0 1\n0 1 1\n1 1 0\n' \
    >"$WORK/xor.txt"
printf 'garbage\n' >"$WORK/garbage"

# --------------------------------------------------------------- xtrain
expect_exit 2 "$XTRAIN"
expect_text "$WORK/err" "usage: xtrain COMMAND"
expect_exit 2 "$XTRAIN" nope
expect_clean_error
expect_text "$WORK/err" 'unknown command "nope"'
expect_exit 0 "$XTRAIN" --help
expect_text "$WORK/out" "Exit codes"
expect_exit 0 "$XTRAIN" --version
expect_text "$WORK/out" "xtrain "

# Every command: --help succeeds, an unknown option is bad usage.
for cmd in solve check sgd compare demo gen draw report reduce export; do
    "$XTRAIN" --help | grep -q "^  $cmd " || continue
    expect_exit 0 "$XTRAIN" "$cmd" --help
    expect_text "$WORK/out" "usage: xtrain $cmd"
    expect_exit 2 "$XTRAIN" "$cmd" --no-such-option
    expect_clean_error
    expect_text "$WORK/err" "unknown option --no-such-option"
done

# ---------------------------------------------------------------- solve
expect_exit 0 "$XTRAIN" solve "$WORK/xor.txt" -k 1
expect_text "$WORK/out" "status: optimal"
expect_exit 0 "$XTRAIN" solve "$WORK/xor.txt" -k 1 --target 1
expect_text "$WORK/out" "status: feasible"
expect_exit 1 "$XTRAIN" solve "$WORK/xor.txt" -k 1 --target 1/2
expect_text "$WORK/out" "status: infeasible"
# Bad command lines.
expect_exit 2 "$XTRAIN" solve
expect_clean_error
expect_text "$WORK/err" "missing INSTANCE"
expect_exit 2 "$XTRAIN" solve "$WORK/xor.txt" "$WORK/xor.txt" -k 1
expect_clean_error
expect_exit 2 "$XTRAIN" solve "$WORK/xor.txt" -k 1 --method nope
expect_clean_error
expect_exit 2 "$XTRAIN" solve "$WORK/xor.txt" -k 1 --loss nope
expect_clean_error
expect_exit 2 "$XTRAIN" solve "$WORK/xor.txt" -k 1 --target -1
expect_clean_error
expect_exit 2 "$XTRAIN" solve "$WORK/xor.txt" -k 1 --target 1/0
expect_clean_error
expect_exit 2 "$XTRAIN" solve "$WORK/xor.txt" --hidden 100000
expect_clean_error
expect_exit 2 "$XTRAIN" solve "$WORK/xor.txt" --hidden
expect_clean_error
expect_text "$WORK/err" "requires a value"
# Bad input files: FILE:LINE: message, or the file and the reason.
expect_exit 2 "$XTRAIN" solve "$WORK/missing.txt" -k 1
expect_clean_error
expect_text "$WORK/err" "missing.txt"
expect_exit 2 "$XTRAIN" solve "$WORK/garbage" -k 1
expect_clean_error
expect_text "$WORK/err" "garbage:1:"
for bad in "$SRC"/tests/data/bad/*.txt; do
    expect_exit 2 "$XTRAIN" solve "$bad" -k 1
    expect_clean_error
done
# The instance does not fit the method: bad input, not a crash.
expect_exit 2 "$XTRAIN" solve "$WORK/xor.txt" -k 1 --method threshold
expect_clean_error
expect_exit 2 "$XTRAIN" solve "$WORK/xor.txt" -k 1 --method convex
expect_clean_error
expect_exit 2 "$XTRAIN" solve "$WORK/xor.txt" -k 1 --loss zero-one \
    --method enum
expect_clean_error
# Files that cannot be written.
expect_exit 2 "$XTRAIN" solve "$WORK/xor.txt" -k 1 \
    --certificate "$WORK/no/such/dir/c.json"
expect_text "$WORK/err" "cannot write"
expect_exit 2 "$XTRAIN" solve "$WORK/xor.txt" -k 1 -o "$WORK/no/such/x.net"
expect_text "$WORK/err" "cannot write"
# No answer: a time limit too short for any search.
printf 'xtrain-instance 1\ninputs 2\nhidden 3\ndata 60\n' >"$WORK/slow.txt"
awk 'BEGIN { srand(3); for (i = 0; i < 60; i++)
             printf "%d %d %d\n", int(rand() * 99) - 49,
                    int(rand() * 99) - 49, int(rand() * 9) - 4 }' \
    >>"$WORK/slow.txt"
expect_exit 3 "$XTRAIN" solve "$WORK/slow.txt" --method enum \
    --time-limit 0.2
expect_text "$WORK/out" "status: unknown (time limit"

# ---------------------------------------------------------------- check
"$XTRAIN" solve "$WORK/xor.txt" -k 1 --certificate "$WORK/opt.cert" \
    -o "$WORK/xor1.net" >/dev/null
expect_exit 0 "$XTRAIN" check "$WORK/xor.txt" "$WORK/xor1.net"
expect_exit 0 "$XTRAIN" check "$WORK/xor.txt" "$WORK/xor1.net" --target 1
expect_exit 1 "$XTRAIN" check "$WORK/xor.txt" "$WORK/xor1.net" \
    --target 1/2
expect_exit 0 "$XTRAIN" check "$WORK/xor.txt" -k 1 \
    --certificate "$WORK/opt.cert"
# A valid certificate for another statement is rejected (1), not bad
# input.
expect_exit 1 "$XTRAIN" check "$WORK/xor.txt" -k 2 \
    --certificate "$WORK/opt.cert"
expect_exit 1 "$XTRAIN" check "$WORK/xor.txt" -k 1 --loss linf \
    --certificate "$WORK/opt.cert"
# Unreadable or malformed files are bad input.
expect_exit 2 "$XTRAIN" check "$WORK/xor.txt"
expect_clean_error
expect_exit 2 "$XTRAIN" check "$WORK/xor.txt" "$WORK/missing.net"
expect_clean_error
expect_exit 2 "$XTRAIN" check "$WORK/xor.txt" "$WORK/garbage"
expect_clean_error
expect_text "$WORK/err" "garbage:1:"
expect_exit 2 "$XTRAIN" check "$WORK/xor.txt" -k 1 \
    --certificate "$WORK/garbage"
expect_clean_error
expect_exit 2 "$XTRAIN" check "$WORK/xor.txt" -k 1 \
    --certificate "$WORK/missing.cert"
expect_clean_error
# A network of the wrong shape is bad input.
expect_exit 2 "$XTRAIN" check "$WORK/xor.txt" "$DATA/hat.net"
expect_clean_error

finish
