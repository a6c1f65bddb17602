# `make demo` runs `xtrain demo`: its output names the exact losses.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$XTRAIN" demo --data "$SRC/instances/data"
expect_text "$WORK/out" "exact l2 loss: 0"
expect_text "$WORK/out" "certificate verified by the independent checker"
expect_text "$WORK/out" "proven optimum 1/6"
expect_text "$WORK/out" "exact optimum    0 "
expect_text "$WORK/out" "success rate:"

# A data directory without the bundled instances is bad input.
expect_exit 2 "$XTRAIN" demo --data "$WORK/nowhere"
expect_one_line
expect_text "$WORK/err" "cannot read $WORK/nowhere/xor.txt"
finish
