# A failed write (here to /dev/full, a device that is always full) ends
# with one line on stderr and exit code 2, never with exit code 0.
. "$(dirname "$0")/lib.sh"
DATA=$SRC/instances/data
[ -w /dev/full ] || { echo "skipped: no /dev/full"; exit 77; }

# run_stdout_full CODE COMMAND...: runs COMMAND with stdout on /dev/full.
run_stdout_full() {
    local want=$1
    shift
    "$@" >/dev/full 2>"$WORK/err"
    local got=$?
    [ "$got" = "$want" ] || fail "exit $got, expected $want: $* >/dev/full"
}

expect_exit 2 "$XTRAIN" solve "$DATA/xor.txt" -k 1 -q -o /dev/full
expect_text "$WORK/err" "writing /dev/full failed"
expect_exit 2 "$XTRAIN" gen planted -d 2 -n 5 -o /dev/full
expect_one_line
expect_exit 2 "$XTRAIN" solve "$DATA/xor.txt" -k 1 -q -c /dev/full

run_stdout_full 2 "$XTRAIN" solve "$DATA/xor.txt" -k 1
expect_text "$WORK/err" "writing standard output failed"
expect_one_line
run_stdout_full 2 "$XTRAIN" solve "$DATA/xor.txt" -k 1 --json
run_stdout_full 2 "$XTRAIN" gen planted -d 2 -n 5

run_stdout_full 2 "$XTRAIN" draw "$DATA/xor.txt" -o -
expect_one_line
run_stdout_full 2 "$XTRAIN" --help
expect_exit 0 "$XTRAIN" solve "$DATA/xor.txt" -k 2 -q -o "$WORK/net"
run_stdout_full 2 "$XTRAIN" check "$DATA/xor.txt" "$WORK/net" --json
finish
