# xtrain gen planar-1in3, xtrain reduce planar-1in3 and the rigidity
# certificate: the forward network fits, the backward map returns the
# certificate, the checker accepts the layout and rejects a broken one.
. "$(dirname "$0")/lib.sh"

printf 'p cnf 6 3\n1 2 3 0\n3 4 5 0\n1 4 6 0\n' >"$WORK/f3.cnf"
printf 'v -1 2 -3 4 -5 -6 0\n' >"$WORK/c3.txt"

expect_exit 0 "$XTRAIN" reduce --list
expect_text "$WORK/out" "planar-1in3"

expect_exit 0 "$XTRAIN" reduce planar-1in3 "$WORK/f3.cnf" -o "$WORK/i3.txt"
expect_text "$WORK/i3.txt" "hidden 27"
expect_text "$WORK/i3.txt" "data 309"
expect_exit 0 "$XTRAIN" reduce planar-1in3 "$WORK/f3.cnf" \
    --forward "$WORK/c3.txt" -o "$WORK/n3.txt"
expect_exit 0 "$XTRAIN" check "$WORK/i3.txt" "$WORK/n3.txt"
expect_text "$WORK/out" "target 0: met"
expect_exit 0 "$XTRAIN" reduce planar-1in3 "$WORK/f3.cnf" \
    --backward "$WORK/n3.txt"
expect_text "$WORK/out" "v -1 2 -3 4 -5 -6 0"
expect_exit 0 "$XTRAIN" draw "$WORK/i3.txt" --network "$WORK/n3.txt" \
    -o "$WORK/d3.svg"
expect_text "$WORK/d3.svg" "<svg"

# The same instance twice (deterministic layout).
expect_exit 0 "$XTRAIN" reduce planar-1in3 "$WORK/f3.cnf" -o "$WORK/j3.txt"
cmp -s "$WORK/i3.txt" "$WORK/j3.txt" || fail "the layout is not reproducible"

# Random formulas with a rigidity certificate that xtrain check verifies.
for seed in 1 2; do
    expect_exit 0 "$XTRAIN" gen planar-1in3 --clauses 2 --seed $seed \
        --planted -o "$WORK/g.txt" -a "$WORK/ga.txt" \
        --rigidity "$WORK/gr.json"
    expect_exit 0 "$XTRAIN" check "$WORK/g.txt" "$WORK/ga.txt"
    expect_exit 0 "$XTRAIN" check "$WORK/g.txt" --certificate "$WORK/gr.json"
    expect_text "$WORK/out" "planar-rigidity"
done

# A certificate whose first normal nF is no longer the mirror image of nT
# is rejected, and so is a certificate for another instance.
sed '0,/"nF": \["-\{0,1\}/s//&1/' "$WORK/gr.json" >"$WORK/bad.json"
cmp -s "$WORK/gr.json" "$WORK/bad.json" && fail "the certificate was not altered"
expect_exit 1 "$XTRAIN" check "$WORK/g.txt" --certificate "$WORK/bad.json"
expect_exit 1 "$XTRAIN" check "$WORK/i3.txt" --certificate "$WORK/gr.json"

# Bad options.
expect_exit 2 "$XTRAIN" gen planar-1in3 --clauses 0

exit $((failures > 0))
