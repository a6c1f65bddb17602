# xtrain compare: the exact optimum and SGD restarts in one table.
. "$(dirname "$0")/lib.sh"

# The 1-D hat with k = 3: optimum 0, which SGD often misses.
cat >"$WORK/hat.txt" <<'INST'
xtrain-instance 1
inputs 1
hidden 3
loss l2
data 5
-2 0
-1 0
0 1
1 0
2 0
INST
HAT=$WORK/hat.txt

expect_exit 0 "$XTRAIN" compare "$HAT" --optimizer adam --lr 0.05 -r 5
expect_text "$WORK/out" "exact optimum    0 "
expect_text "$WORK/out" "optimal (enum)"
expect_text "$WORK/out" "SGD best"
expect_text "$WORK/out" "SGD median"
expect_text "$WORK/out" "SGD worst"
expect_text "$WORK/out" "restarts within 1/1000000 of the optimum; "
expect_text "$WORK/out" "of 5 exactly 0"

expect_exit 0 "$XTRAIN" compare "$HAT" --optimizer adam --lr 0.05 -r 5 \
    --json
expect_text "$WORK/out" '"exact": {"status": "optimal"'
expect_text "$WORK/out" '"optimum": "0"'
expect_text "$WORK/out" '"restarts": 5, "started": 5'
expect_text "$WORK/out" '"within_tolerance": '
expect_text "$WORK/out" '"exactly_zero": '
[ "$(wc -l <"$WORK/out")" = 1 ] || fail "--json output is not one line"

# The SGD column matches xtrain sgd with the same options and seed.
sgd_best=$("$XTRAIN" sgd "$HAT" --optimizer adam --lr 0.05 -r 5 --json |
    grep -o '"best_loss": "[^"]*"' | sed 's/.*: //')
grep -qF "\"best\": $sgd_best" "$WORK/out" ||
    fail "compare's best SGD loss differs from xtrain sgd's $sgd_best"

# One ReLU fits relu(x - 1) exactly.  Adam with a cosine schedule finds it,
# so the success count is at least 1 (the run is deterministic).
cat >"$WORK/ramp.txt" <<'INST'
xtrain-instance 1
inputs 1
hidden 1
data 6
-2 0
-1 0
0 0
1 0
2 1
3 2
INST
expect_exit 0 "$XTRAIN" compare "$WORK/ramp.txt" --optimizer adam \
    --lr 0.05 --schedule cosine --epochs 3000 -r 4 --json
if grep -q '"within_tolerance": 0' "$WORK/out"; then
    fail "no SGD restart fits relu(x - 1)"
    cat "$WORK/out" >&2
fi
# A generous tolerance counts every restart.
expect_exit 0 "$XTRAIN" compare "$WORK/ramp.txt" -r 3 --epochs 10 \
    --tolerance 1000 --json
expect_text "$WORK/out" '"within_tolerance": 3'

# Bad values: one line on stderr, exit 2.
expect_exit 2 "$XTRAIN" compare "$HAT" --tolerance -1
expect_text "$WORK/err" 'invalid value "-1" for --tolerance'
expect_one_line
expect_exit 2 "$XTRAIN" compare "$HAT" --method bogus
expect_text "$WORK/err" 'unknown method "bogus"'
expect_one_line
expect_exit 2 "$XTRAIN" compare "$HAT" --lr x
expect_one_line
expect_exit 2 "$XTRAIN" compare
expect_one_line
expect_exit 0 "$XTRAIN" compare --help
expect_text "$WORK/out" "--tolerance"

finish
