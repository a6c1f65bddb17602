# paper-repro smoke test: every script with its smallest settings (--quick)
# must reproduce its claim or skip with a message (a feature missing from
# the build), print its tables and write well-formed SVG figures.
. "$(dirname "$0")/lib.sh"

if ! command -v python3 >/dev/null; then
    echo "SKIP: python3 not found (the paper-repro scripts need it)"
    exit 77
fi

expect_exit 0 "$SRC/paper-repro/run-all" --quick --xtrain "$XTRAIN" \
    --out "$WORK/figures"
sed -n '/^=== summary/,$p' "$WORK/out"

# Each script: reproduced, or skipped with a SKIP line saying why.
for name in counting blum_rivest convex_fpt sgd_vs_optimum irrational \
    etr_ami; do
    line=$(grep "^$name " "$WORK/out")
    case $line in
    *" reproduced "*) ;;
    *" skipped "*)
        grep -q "^SKIP: " "$WORK/out" || fail "$name skipped without a message"
        ;;
    *) fail "$name: ${line:-no summary line}" ;;
    esac
done

# The tables of the scripts that ran, and their figures.
if grep -q "^counting .* reproduced" "$WORK/out"; then
    expect_text "$WORK/out" "Affine dichotomies of n points on the moment curve"
    expect_text "$WORK/out" "Patterns the enumeration examines against n^(dk)"
    [ -s "$WORK/figures/counting/dichotomies.svg" ] || fail "no dichotomies.svg"
fi
if grep -q "^blum_rivest .* reproduced" "$WORK/out"; then
    expect_text "$WORK/out" "NO example: the triangle"
    expect_text "$WORK/out" "caught"
fi
figures=$(find "$WORK/figures" -name '*.svg' | wc -l)
[ "$figures" -ge 4 ] || fail "only $figures figures written"
if command -v xmllint >/dev/null; then
    for svg in $(find "$WORK/figures" -name '*.svg'); do
        xmllint --noout "$svg" 2>"$WORK/lint" ||
            fail "$svg is not well-formed: $(head -1 "$WORK/lint")"
    done
fi

finish
