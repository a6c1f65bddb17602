# xtrain draw: SVG pictures of d = 1 and d = 2 instances and networks.
. "$(dirname "$0")/lib.sh"
DATA=$SRC/instances/data

# well_formed FILE: the SVG parses as XML (when xmllint is installed).
well_formed() {
    if command -v xmllint >/dev/null; then
        xmllint --noout "$1" 2>"$WORK/xml.err" ||
            fail "$1 is not well-formed XML: $(head -1 "$WORK/xml.err")"
    fi
}

# count TEXT FILE: how many times TEXT occurs in FILE.
count() {
    grep -oF -- "$1" "$2" | wc -l
}

# The hat (d = 1): the exact optimum (loss 0) and an SGD network saved in
# both the exact and the hex-float format.
expect_exit 0 "$XTRAIN" solve "$DATA/hat.txt" -o "$WORK/opt.net"
expect_exit 0 "$XTRAIN" sgd "$DATA/hat.txt" -r 3 -e 300 -o "$WORK/sgd.net" \
    --save "$WORK/sgd.hex"
expect_exit 0 "$XTRAIN" draw "$DATA/hat.txt" --network "$WORK/opt.net" \
    --name "exact optimum" --network "$WORK/sgd.net" -o "$WORK/hat.svg"
expect_text "$WORK/out" "exact optimum: loss (l2) = 0"
expect_text "$WORK/out" "sgd.net: loss (l2) "
expect_text "$WORK/out" "wrote $WORK/hat.svg"
well_formed "$WORK/hat.svg"
head -c 5 "$WORK/hat.svg" | grep -q '<?xml' || fail "hat.svg lacks <?xml"
tail -1 "$WORK/hat.svg" | grep -q '</svg>' || fail "hat.svg lacks </svg>"
# One graph per network and one circle per data point, plus the marks of
# the optimum's three breakpoints at x = -1, 0, 1.
[ "$(count '<path' "$WORK/hat.svg")" = 2 ] || fail "hat.svg: not 2 graphs"
expect_text "$WORK/hat.svg" "breakpoint x = -1<"
expect_text "$WORK/hat.svg" "breakpoint x = 0<"
expect_text "$WORK/hat.svg" "breakpoint x = 1<"
expect_text "$WORK/hat.svg" "point (0) label 1"
expect_text "$WORK/hat.svg" "exact optimum: loss (l2) = 0"

# The legend's exact loss is the one xtrain check computes.
exact=$("$XTRAIN" check "$DATA/hat.txt" "$WORK/sgd.net" --json |
    grep -o '"loss": "[^"]*"' | sed 's/.*: "//; s/"$//')
expect_text "$WORK/hat.svg" "<title>exact loss $exact</title>"

# The hex-float file gives the same picture as the exact file.
expect_exit 0 "$XTRAIN" draw "$DATA/hat.txt" -n "$WORK/sgd.hex" \
    -n "$WORK/sgd.net" -o "$WORK/hex.svg"
[ "$(grep -c "exact loss $exact<" "$WORK/hex.svg")" = 2 ] ||
    fail "the hex-float and exact SGD files have different losses"

# XOR (d = 2): the optimum |x1 - x2| has two linear regions, split by one
# breakline that both neurons share.
expect_exit 0 "$XTRAIN" solve "$DATA/xor.txt" -o "$WORK/xor.net"
expect_exit 0 "$XTRAIN" draw "$DATA/xor.txt" -n "$WORK/xor.net" \
    -o "$WORK/xor.svg" --title "XOR"
well_formed "$WORK/xor.svg"
[ "$(count '<polygon' "$WORK/xor.svg")" = 2 ] ||
    fail "xor.svg: expected 2 linear regions"
[ "$(count '<linearGradient' "$WORK/xor.svg")" = 3 ] ||
    fail "xor.svg: expected a gradient per region and the colour bar"
expect_text "$WORK/xor.svg" "f = 1 x1 + -1 x2 + 0"
expect_text "$WORK/xor.svg" "f = -1 x1 + 1 x2 + 0"
expect_text "$WORK/xor.svg" "point (1, 0) label 1"
expect_text "$WORK/xor.svg" ">XOR</text>"

# Without networks: one panel of points.
expect_exit 0 "$XTRAIN" draw "$DATA/xor.txt" -o - -q
[ "$(count '<circle' "$WORK/out")" = 4 ] || fail "-o -: expected 4 points"
[ "$(count '<polygon' "$WORK/out")" = 0 ] || fail "-o -: no regions"

# Threshold networks: two neurons and a threshold output on XOR.  The
# regions are constant 0 or 1.
cat >"$WORK/xor-threshold.net" <<'NET'
xtrain-network 1
inputs 2
hidden 2
activation threshold
output-activation threshold
output-bias yes
neuron 2 2 -1 1
neuron -2 -2 3 1
output-bias-values -3/2
NET
expect_exit 0 "$XTRAIN" draw "$DATA/xor.txt" -n "$WORK/xor-threshold.net" \
    -o "$WORK/threshold.svg" --activation threshold --output-bias
well_formed "$WORK/threshold.svg"
grep -q 'f = 0 x1 + 0 x2 + 1<' "$WORK/threshold.svg" ||
    fail "threshold.svg: no region with value 1"
grep -q 'f = 0 x1 + 0 x2 + 0<' "$WORK/threshold.svg" ||
    fail "threshold.svg: no region with value 0"
expect_text "$WORK/out" "loss (l2) = 0"

# Bad input: each is one line on stderr and exit 2.
cat >"$WORK/d3.txt" <<'INST'
xtrain-instance 1
inputs 3
data 1
0 0 0 1
INST
expect_exit 2 "$XTRAIN" draw "$WORK/d3.txt" -o "$WORK/d3.svg"
expect_text "$WORK/err" "pictures need 1 or 2 inputs, the instance has 3"
expect_one_line
[ -e "$WORK/d3.svg" ] && fail "a failed draw left $WORK/d3.svg"
expect_exit 2 "$XTRAIN" draw "$DATA/hat.txt" -n "$WORK/xor.net" \
    -o "$WORK/x.svg"
expect_text "$WORK/err" "has 2 inputs and 1 outputs, the instance 1 and 1"
expect_one_line
expect_exit 2 "$XTRAIN" draw "$DATA/hat.txt"
expect_text "$WORK/err" "expected INSTANCE and -o FILE.svg"
expect_exit 2 "$XTRAIN" draw "$DATA/hat.txt" --name x -n "$WORK/opt.net" \
    -o "$WORK/x.svg"
expect_text "$WORK/err" "--name must follow the --network it names"
expect_exit 2 "$XTRAIN" draw "$DATA/hat.txt" -n "$WORK/missing.net" \
    -o "$WORK/x.svg"
expect_text "$WORK/err" "missing.net"
expect_one_line
expect_exit 2 "$XTRAIN" draw "$DATA/hat.txt" --output-index 2 \
    -o "$WORK/x.svg"
expect_text "$WORK/err" "output 2 does not exist: the instance has 1"
expect_exit 0 "$XTRAIN" draw --help
expect_text "$WORK/out" "usage: xtrain draw INSTANCE"

finish
