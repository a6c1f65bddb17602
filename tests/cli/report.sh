# xtrain report: the HTML page's content, its self-containment, and the
# exit codes.  tests/cli/report_chromium.sh renders the page.
. "$(dirname "$0")/lib.sh"
DATA=$SRC/instances/data

# The hat with Adam: the optimum 0 is proven and verified; the SGD rows
# match xtrain sgd with the same options.
expect_exit 0 "$XTRAIN" report "$DATA/hat.txt" -o "$WORK/hat.html" \
    --optimizer adam --lr 0.05 -r 4 -e 400 --certificate "$WORK/hat.cert"
expect_text "$WORK/out" "wrote $WORK/hat.html"
PAGE=$WORK/hat.html
head -1 "$PAGE" | grep -q '^<!DOCTYPE html>' || fail "no doctype"
tail -1 "$PAGE" | grep -q '^</html>' || fail "page does not end with </html>"
for section in "<h2>Instance</h2>" "<h2>Exact optimum</h2>" \
    "<h2>Certificate</h2>" "<h2>SGD against the exact optimum</h2>" \
    "<h2>SGD loss curves</h2>" "<h2>Pictures</h2>"; do
    expect_text "$PAGE" "$section"
done
expect_text "$PAGE" '<span class="badge ok">optimal</span>'
expect_text "$PAGE" "<tr><th>optimal loss</th><td>0</td></tr>"
expect_text "$PAGE" '<span class="badge ok">verified</span>'
expect_text "$PAGE" "restarts end within 1/1000000 of the optimum"
expect_text "$PAGE" "4 restarts of 400 epochs: optimizer <code>adam</code>"
expect_text "$PAGE" "exact optimum: loss (l2) = 0"
# The page shows the network that xtrain solve finds.
"$XTRAIN" solve "$DATA/hat.txt" -o "$WORK/hat-opt.net" >/dev/null
grep '^neuron' "$WORK/hat-opt.net" >"$WORK/neurons"
while read -r line; do
    expect_text "$PAGE" "$line"
done <"$WORK/neurons"
[ -s "$WORK/neurons" ] || fail "xtrain solve -o wrote no neuron lines"
[ "$(grep -c '<svg ' "$PAGE")" = 2 ] || fail "expected 2 inline SVG figures"
# One row per restart: number, seed, epochs (400), exact loss, ...
[ "$(grep -c '</td><td class="num">400</td><td class="num">' "$PAGE")" = 4 ] ||
    fail "expected one table row per restart"

# Self-contained: no scripts, no external style sheets, images or links.
grep -qi '<script' "$PAGE" && fail "the page has a script"
grep -Eqi '(src|href)="[a-z]+://' "$PAGE" && fail "the page links outside"
grep -qi '<link rel="stylesheet"' "$PAGE" && fail "external style sheet"
grep -qi '<img' "$PAGE" && fail "the page has an <img>"
if command -v xmllint >/dev/null; then
    xmllint --html --noout "$PAGE" 2>"$WORK/lint" ||
        fail "xmllint rejects the page: $(head -2 "$WORK/lint")"
fi

# The kept certificate passes xtrain check on its own.
expect_exit 0 "$XTRAIN" check "$DATA/hat.txt" --certificate "$WORK/hat.cert"
expect_text "$WORK/out" "certificate verified"

# The best SGD loss in the page is the one xtrain sgd reports.
best=$("$XTRAIN" sgd "$DATA/hat.txt" --optimizer adam --lr 0.05 -r 4 \
    -e 400 --json | grep -o '"best_loss": "[^"]*"' | sed 's/.*: "//; s/"$//')
expect_text "$PAGE" "exact: $best"

# XOR (d = 2): the picture has region polygons.
expect_exit 0 "$XTRAIN" report "$DATA/xor.txt" -o "$WORK/xor.html" -r 2 \
    -e 200 -q
grep -q '<polygon' "$WORK/xor.html" || fail "xor.html: no linear regions"

# d = 3: the page explains why there is no picture.
expect_exit 0 "$XTRAIN" report "$DATA/moment-d3-k1.txt" \
    -o "$WORK/d3.html" -r 2 -e 100 -q
expect_text "$WORK/d3.html" "Pictures need 1 or 2 inputs; this instance has 3"

# Threshold activation: SGD cannot train it, the exact part still runs.
expect_exit 0 "$XTRAIN" report "$DATA/xor.txt" -o "$WORK/thr.html" \
    --activation threshold --loss zero-one -q
expect_text "$WORK/thr.html" "No SGD runs: "
expect_text "$WORK/thr.html" '<span class="badge ok">optimal</span>'
expect_text "$WORK/thr.html" "<tr><th>optimal loss</th><td>0</td></tr>"

# Errors.
expect_exit 2 "$XTRAIN" report "$DATA/hat.txt"
expect_text "$WORK/err" "expected INSTANCE and -o FILE.html"
expect_exit 2 "$XTRAIN" report "$DATA/hat.txt" -o "$WORK/x.html" \
    --method nonsense
expect_text "$WORK/err" 'unknown method "nonsense"'
[ -e "$WORK/x.html" ] && fail "a failed report left $WORK/x.html"
expect_exit 0 "$XTRAIN" report --help
expect_text "$WORK/out" "usage: xtrain report INSTANCE -o report.html"

finish
