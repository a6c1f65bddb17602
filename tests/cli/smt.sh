# The SMT backend from the command line: xtrain export (SMT-LIB and CPLEX
# LP), xtrain solve --method smt, xtrain check on networks with root-obj
# weights, and cvc5 on the exported files when it is installed.
. "$(dirname "$0")/lib.sh"
DATA=$SRC/instances/data
SMT=$SRC/tests/data/smt

# The hat with two ReLUs under the l1 loss: optimum 1/2 (enumeration).
expect_exit 0 "$XTRAIN" solve "$DATA/hat.txt" --method smt -k 2 --loss l1
expect_text "$WORK/out" "status: optimal"
expect_text "$WORK/out" "loss (l1): 1/2"
expect_exit 0 "$XTRAIN" solve "$DATA/hat.txt" --method smt -k 2 --loss l1 \
    --target 1/2
expect_text "$WORK/out" "status: feasible"
expect_exit 1 "$XTRAIN" solve "$DATA/hat.txt" --method smt -k 2 --loss l1 \
    --target 1/3
expect_text "$WORK/out" "status: infeasible"
expect_exit 2 "$XTRAIN" solve "$DATA/hat.txt" --method smt -k 2 \
    --certificate "$WORK/hat.cert"
expect_text "$WORK/err" "writes no certificate"
expect_one_line

# SMT-LIB export: linear formula for l1, nonlinear for l2.
expect_exit 0 "$XTRAIN" export "$DATA/hat.txt" -k 2 --loss l1 --target 1/2 \
    -o "$WORK/hat-l1.smt2"
expect_text "$WORK/hat-l1.smt2" "(set-logic QF_LRA)"
expect_text "$WORK/hat-l1.smt2" "(check-sat)"
expect_exit 0 "$XTRAIN" export "$DATA/hat.txt" -k 2 --target 1/2 \
    --relu disjunction
expect_text "$WORK/out" "(set-logic QF_NRA)"
expect_text "$WORK/out" "(or (= h_1_1 0.0) (= h_1_1 z_1_1))"
expect_exit 2 "$XTRAIN" export "$DATA/hat.txt" -k 2
expect_text "$WORK/err" "needs a target"
expect_one_line
expect_exit 2 "$XTRAIN" export "$DATA/hat.txt" --format cnf
expect_text "$WORK/err" 'unknown format "cnf"'

# CPLEX LP: the big-M MIP, read and solved by glpsol when installed.
expect_exit 0 "$XTRAIN" export "$DATA/hat.txt" -k 2 --loss l1 --format lp \
    --weight-bound 10 -o "$WORK/hat.lp"
expect_text "$WORK/hat.lp" "Binaries"
if command -v glpsol >/dev/null; then
    expect_exit 0 glpsol --lp "$WORK/hat.lp" -o "$WORK/hat.sol"
    expect_text "$WORK/hat.sol" "obj = 0.5"
else
    echo "glpsol not installed: the MIP is not solved"
fi
# a fixed pattern: neuron 1 active on points 3 and 4, neuron 2 nowhere
expect_exit 0 "$XTRAIN" export "$DATA/hat.txt" -k 2 --loss l1 --format lp \
    --pattern "3,4;-" --signs "+-"
expect_text "$WORK/out" "pat_3_1: b_1 >= 0"
expect_exit 2 "$XTRAIN" export "$DATA/hat.txt" -k 2 --format lp \
    --pattern "3,9;-"
expect_text "$WORK/err" "invalid --pattern"

# A network with algebraic weights: the optimum of the two-output
# instance, (7 - 3 sqrt 5) / 2.
expect_exit 0 "$XTRAIN" check "$SMT/irrational-2out.txt" \
    "$SMT/irrational-2out.net"
expect_text "$WORK/out" "loss (l2): (root-obj (+ (^ x 2) (* (- 7) x) 1) 1)"
expect_text "$WORK/out" "= 0.14589803375031545538..."
expect_exit 1 "$XTRAIN" check "$SMT/irrational-2out.txt" \
    "$SMT/irrational-2out.net" --target 1458/10000
expect_text "$WORK/out" "not met"
expect_exit 0 "$XTRAIN" check "$SMT/irrational-2out.txt" \
    "$SMT/irrational-2out.net" --json --target 1459/10000
expect_text "$WORK/out" '"meets_target": true'
sed 's/(root-obj (+ (^ x 2) x (- 1)) 2)/(root-obj (+ (^ x 2) 1) 1)/' \
    "$SMT/irrational-2out.net" >"$WORK/bad.net"
expect_exit 2 "$XTRAIN" check "$SMT/irrational-2out.txt" "$WORK/bad.net"
expect_text "$WORK/err" "bad.net:10: root index 1 out of range"
expect_one_line

# The optimum is irrational, so the search can only bracket it.
expect_exit 3 "$XTRAIN" solve "$SMT/irrational-2out.txt" --method smt \
    --time-limit 60
expect_text "$WORK/out" "proven: optimum in [0.1458"

# cvc5 on the exported files.
if command -v cvc5 >/dev/null; then
    expect_exit 0 cvc5 "$WORK/hat-l1.smt2"
    expect_text "$WORK/out" "sat"
    expect_exit 0 "$XTRAIN" export "$DATA/hat.txt" -k 2 --loss l1 \
        --target 1/2 --strict -o "$WORK/hat-strict.smt2"
    expect_exit 0 cvc5 "$WORK/hat-strict.smt2"
    expect_text "$WORK/out" "unsat"
else
    echo "skipped the cvc5 checks: cvc5 is not installed"
fi
finish
