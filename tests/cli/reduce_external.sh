# xtrain reduce --external: the worked example in docs/examples (Blum and
# Rivest's reduction written in Python) passes the verifier, and the same
# reduction with a wrong backward command is caught.
. "$(dirname "$0")/lib.sh"
EXAMPLE=$SRC/docs/examples

if ! command -v python3 >/dev/null; then
    echo "python3 not found: skipping the external reduction test"
    exit 0
fi

expect_exit 0 "$XTRAIN" reduce --external "$EXAMPLE/blum-rivest.spec" \
    --verify --count 4 --max-size 3 --max-networks 4 --vertex-limit 0 \
    --enumerate-points 0
expect_text "$WORK/out" "reduction          blum-rivest-python"
expect_text "$WORK/out" "PASSED"

# The external maps also run one at a time.
cat >"$WORK/source.txt" <<'SRC'
p set 3 2
1 2 0
2 3 0
SRC
expect_exit 0 "$XTRAIN" reduce --external "$EXAMPLE/blum-rivest.spec" \
    "$WORK/source.txt" -o "$WORK/instance.txt"
expect_exit 0 "$XTRAIN" reduce blum-rivest "$WORK/source.txt" \
    -o "$WORK/builtin.txt"
cmp -s "$WORK/instance.txt" "$WORK/builtin.txt" ||
    fail "the Python map differs from the built-in one"

# A backward command that puts every element in S1 is wrong.
sed "s|^backward .*|backward  printf 'v 1 2 3 0\\\\n' > {certificate}|" \
    "$EXAMPLE/blum-rivest.spec" >"$WORK/wrong.spec"
sed -i "s|{dir}|$EXAMPLE|g" "$WORK/wrong.spec"
expect_exit 1 "$XTRAIN" reduce --external "$WORK/wrong.spec" --verify \
    --count 4 --min-size 3 --max-size 3 --max-networks 2 --vertex-limit 0 \
    --enumerate-points 0 --no-shrink --counterexample "$WORK/cx.txt"
expect_text "$WORK/out" "FAILED"
expect_text "$WORK/cx.txt" "p set"
finish
