# xtrain reduce: the Blum-Rivest reduction's maps, the source problems'
# answer lines, the verifier (passing on the real reduction, failing with
# a counterexample on the variant without the gadget), and bad input.
. "$(dirname "$0")/lib.sh"
DATA=$SRC/instances/data

expect_exit 0 "$XTRAIN" reduce --list
expect_text "$WORK/out" "blum-rivest"
expect_text "$WORK/out" "1in3sat"

# The instance map reproduces the stored training instance.
expect_exit 0 "$XTRAIN" reduce blum-rivest \
    "$DATA/blum-rivest-example-source.txt" -o "$WORK/example.txt"
grep -v '^#' "$DATA/blum-rivest-example.txt" >"$WORK/stored.txt"
cmp -s "$WORK/example.txt" "$WORK/stored.txt" ||
    fail "mapped instance differs from blum-rivest-example.txt"
expect_exit 0 "$XTRAIN" solve "$WORK/example.txt"
expect_text "$WORK/out" "status: feasible"
expect_exit 1 "$XTRAIN" solve "$DATA/blum-rivest-triangle.txt"
expect_text "$WORK/out" "status: infeasible"

# Source certificates, printed the way SAT solvers print them.
expect_exit 0 "$XTRAIN" reduce blum-rivest \
    "$DATA/blum-rivest-example-source.txt" --solve
expect_text "$WORK/out" "s SATISFIABLE"
expect_text "$WORK/out" "v -1 2 -3 0"
expect_text "$WORK/out" "v 1 -2 3 0"
expect_exit 1 "$XTRAIN" reduce set-splitting \
    "$DATA/blum-rivest-triangle-source.txt" --solve
expect_text "$WORK/out" "s UNSATISFIABLE"
expect_exit 0 "$XTRAIN" reduce 1in3sat "$DATA/1in3sat-chain.txt" --solve
expect_text "$WORK/out" "v -1 -2 3 -4 -5 6 0"
[ "$(grep -c '^v' "$WORK/out")" = 4 ] || fail "1in3sat-chain: not 4 solutions"
expect_exit 1 "$XTRAIN" reduce 1in3sat "$DATA/1in3sat-unsat.txt" --solve
expect_text "$WORK/out" "s UNSATISFIABLE"

# Forward and backward maps.
printf 's SATISFIABLE\nv -1 2 -3 0\n' >"$WORK/cert.txt"
expect_exit 0 "$XTRAIN" reduce blum-rivest \
    "$DATA/blum-rivest-example-source.txt" --forward "$WORK/cert.txt" \
    -o "$WORK/net.txt"
expect_exit 0 "$XTRAIN" check "$WORK/example.txt" "$WORK/net.txt"
expect_text "$WORK/out" "loss (zero-one): 0"
expect_exit 0 "$XTRAIN" reduce blum-rivest \
    "$DATA/blum-rivest-example-source.txt" --backward "$DATA/blum-rivest-example.net"
expect_text "$WORK/out" "v -1 2 -3 0"
printf 'v 1 2 3 0\n' >"$WORK/bad-cert.txt"
expect_exit 1 "$XTRAIN" reduce blum-rivest \
    "$DATA/blum-rivest-example-source.txt" --forward "$WORK/bad-cert.txt"
expect_text "$WORK/err" "is not a certificate"

# Generated instances: planted ones are satisfiable.
expect_exit 0 "$XTRAIN" reduce 3sat --generate --size 8 --planted --seed 3 \
    -o "$WORK/planted.cnf"
expect_exit 0 "$XTRAIN" reduce 3sat "$WORK/planted.cnf" --solve
expect_text "$WORK/out" "s SATISFIABLE"

# The verifier passes on the real reduction, on random instances and on
# given files (including the broken variant's counterexample).
expect_exit 0 "$XTRAIN" reduce blum-rivest --verify --count 20 \
    --max-size 5 --seed 7
expect_text "$WORK/out" "PASSED"
expect_text "$WORK/out" "instances          20"
expect_exit 0 "$XTRAIN" reduce blum-rivest --verify \
    "$DATA/blum-rivest-triangle-source.txt" \
    "$DATA/blum-rivest-broken-counterexample-source.txt"
expect_text "$WORK/out" "instances          2 (YES 1, NO 1)"

# The variant without the gadget is caught, and the smallest failing
# instance is printed and written to a file.
expect_exit 1 "$XTRAIN" reduce blum-rivest-broken --verify --exhaustive \
    --max-size 3 --counterexample "$WORK/cx.txt"
expect_text "$WORK/out" "FAILED"
expect_text "$WORK/out" "seed 1"
expect_text "$WORK/cx.txt" "p set 2 1"
expect_exit 1 "$XTRAIN" reduce blum-rivest-broken --verify \
    "$DATA/blum-rivest-triangle-source.txt" --counterexample "$WORK/cx2.txt"
expect_text "$WORK/cx2.txt" "p set 3 3"
expect_exit 1 "$XTRAIN" reduce blum-rivest-broken --verify --count 10 \
    --min-size 3 --max-size 4 --no-shrink --counterexample "$WORK/cx3.txt"
expect_text "$WORK/out" "replay: --seed"

# Bad input: one line on stderr, exit 2.
expect_exit 2 "$XTRAIN" reduce nosuch --verify
expect_text "$WORK/err" 'unknown reduction or source problem "nosuch"'
expect_one_line
expect_exit 2 "$XTRAIN" reduce blum-rivest "$DATA/1in3sat-chain.txt"
expect_text "$WORK/err" 'header "p cnf" does not match set-splitting'
expect_one_line
expect_exit 2 "$XTRAIN" reduce blum-rivest
expect_one_line
expect_exit 2 "$XTRAIN" reduce 1in3sat --verify
expect_one_line
expect_exit 2 "$XTRAIN" reduce blum-rivest --verify --count x
expect_one_line
finish
