# xtrain reduce etr-ami: the golden-ratio walk-through (map, solve, train,
# forward, backward, check), the architecture in xtrain check, generators,
# the verifier, and bad input.
. "$(dirname "$0")/lib.sh"
GOLDEN=$SRC/reductions/etrami/examples/golden-ratio.txt
R="$XTRAIN reduce etr-ami"

# The training instance: 10 points, 12 inputs, 4 neurons, version 2.
expect_exit 0 $R "$GOLDEN" -o "$WORK/golden.txt"
expect_text "$WORK/golden.txt" "xtrain-instance 2"
expect_text "$WORK/golden.txt" "neuron 4 inputs 11 12 outputs 1 2"
expect_text "$WORK/golden.txt" "data 10"

# Z3 on the system: x1 is a root of x^2 + x - 1.
expect_exit 0 $R "$GOLDEN" --solve -o "$WORK/sol.txt"
expect_text "$WORK/sol.txt" "s SATISFIABLE"
expect_text "$WORK/sol.txt" "v x1 (root-obj (+ (^ x 2) x (- 1))"

# Z3 on the training instance: an irrational network, verified, mapped
# back to a solution.
expect_exit 0 $R "$GOLDEN" --train
expect_text "$WORK/out" "its loss is exactly 0"
expect_text "$WORK/out" "irrational weights:"
expect_text "$WORK/out" "(root-obj"
expect_text "$WORK/out" "the solution satisfies every constraint"
expect_text "$WORK/out" "v x1 (root-obj (+ (^ x 2) x (- 1))"

# Forward map of Z3's solution: xtrain check confirms loss 0 exactly.
expect_exit 0 $R "$GOLDEN" --forward "$WORK/sol.txt" -o "$WORK/fwd.net"
expect_exit 0 "$XTRAIN" check "$WORK/golden.txt" "$WORK/fwd.net"
expect_text "$WORK/out" "loss (l2): 0"
expect_text "$WORK/out" "target 0: met"
expect_exit 0 $R "$GOLDEN" --backward "$WORK/fwd.net"
expect_text "$WORK/out" "s SATISFIABLE"

# A weight on an edge the architecture leaves out: check rejects it.
sed 's/^neuron 1 0 0 1 /neuron 1 0 5 1 /' "$WORK/fwd.net" >"$WORK/bad.net"
expect_exit 1 "$XTRAIN" check "$WORK/golden.txt" "$WORK/bad.net"
expect_text "$WORK/out" "input 3 does not feed neuron 1"
expect_exit 1 $R "$GOLDEN" --backward "$WORK/bad.net"
expect_text "$WORK/err" "does not fit the training instance"

# A rational network cannot fit: the forward map of rounded values.
cat >"$WORK/approx.txt" <<'SOL'
v x0 1
v x1 0.618
v x2 1.618
SOL
expect_exit 1 $R "$GOLDEN" --forward "$WORK/approx.txt"
expect_text "$WORK/err" "is not a solution: constraint 3 fails"

# A system without real solutions: both sides are NO.
printf 'p etr-ami 1 2\nx0 = 1\nx0 + x0 = x0\n' >"$WORK/no.txt"
expect_exit 1 $R "$WORK/no.txt" --solve
expect_text "$WORK/out" "s UNSATISFIABLE"
expect_exit 1 $R "$WORK/no.txt" --train
expect_text "$WORK/out" "no network has zero error"

# Generators are reproducible and planted systems are satisfiable.
expect_exit 0 $R --generate --seed 7 --algebraic --size 4
cp "$WORK/out" "$WORK/gen1.txt"
expect_text "$WORK/gen1.txt" "planted algebraic solution"
expect_exit 0 $R --generate --seed 7 --algebraic --size 4
cmp -s "$WORK/out" "$WORK/gen1.txt" || fail "--generate is not reproducible"
expect_exit 0 $R "$WORK/gen1.txt" --solve
expect_exit 0 $R --generate --seed 3 --planted --size 5 -o "$WORK/gen2.txt"
expect_exit 0 $R "$WORK/gen2.txt" --solve

# The verifier: seeded, exhaustive and on files, with a table.
expect_exit 0 $R --verify --seed 5 --count 4 --max-size 3 --variants 1 \
    --table "$WORK/table.csv"
expect_text "$WORK/out" "agreements         4 of 4"
expect_text "$WORK/out" "PASSED"
expect_text "$WORK/table.csv" "index,plant,vars"
[ "$(wc -l <"$WORK/table.csv")" = 5 ] || fail "table has not 4 rows"
expect_exit 0 $R --verify --exhaustive --max-size 1 --variants 0
expect_text "$WORK/out" "systems            3"
expect_exit 0 $R --verify "$GOLDEN" "$WORK/no.txt" --variants 1
expect_text "$WORK/out" "(YES 1, NO 1, undecided 0)"

# Bad input: one line on stderr, exit 2.
expect_exit 2 $R "$WORK/missing.txt"
expect_one_line
printf 'p etr-ami 2 1\nx0 + x5 = x1\n' >"$WORK/bad.txt"
expect_exit 2 $R "$WORK/bad.txt" --solve
expect_text "$WORK/err" "bad.txt:2: variable x5 out of range"
expect_one_line
expect_exit 2 $R "$GOLDEN" --solve --train
expect_one_line
expect_exit 2 $R --verify --exhaustive --max-size 4
expect_one_line
expect_exit 0 $R --help
expect_text "$WORK/out" "--algebraic"

finish
