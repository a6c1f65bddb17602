#!/bin/bash
# Regenerates the corpus: every instance from its `xtrain gen` command,
# and its answer from `xtrain solve --certificate` (or, for instances too
# large to solve here, the planted network's certificate from
# `xtrain gen --certificate`).  Writes NAME.txt, NAME.cert, NAME.net and
# the manifest corpus.tsv that tests/cli/corpus.sh reads.
#
#   bash instances/data/make-corpus.sh BUILD/xtrain
#
# The real-data slices need Debian's python3-sklearn, which ships
# iris.csv and wine_data.csv.  xor.txt and hat.txt are written by hand;
# only their answers are regenerated.
set -eu
XTRAIN=$(realpath "$1")
SKLEARN=${SKLEARN_DATA:-/usr/lib/python3/dist-packages/sklearn/datasets/data}
cd "$(dirname "$0")"

# name | gen arguments ("-" for a hand-written file) | answer: solve, or
# planted for the generator's certificate.  Re-solving in the test is
# decided by the measured solve time (see below).
CORPUS="
hat|-|solve
hat-k2|sgd-trap --plain -k 2 --seed 1|solve
hat-k2-target|sgd-trap --plain -k 2 --target 1/10 --seed 1|solve
trap-hat-shifted|sgd-trap -n 7 --seed 4|solve
trap-search-d1|sgd-trap --variant search -d 1 --teacher 3 -n 6 --seed 1|solve
trap-search-d1-hard|sgd-trap --variant search -d 1 --teacher 3 -n 6 --tries 30 --min-failure 1 --seed 1000|solve
planted-d1-k2|planted -d 1 --teacher 2 -n 8 --seed 11|solve
planted-d1-noise|planted -d 1 --teacher 2 -n 8 --noise 2 --seed 12|solve
planted-d1-l1|planted -d 1 --teacher 2 -n 8 --noise 2 --loss l1 --seed 13|solve
planted-d1-linf|planted -d 1 --teacher 2 -n 8 --noise 2 --noise-amounts 1,-2 --loss linf --seed 14|solve
planted-d1-convex|planted -d 1 --teacher 2 -n 8 --convex --noise 1 --seed 15|solve
planted-d1-bias|planted -d 1 --teacher 2 -n 8 --output-bias --rational --noise 1 --seed 16|solve
planted-d1-k3|planted -d 1 --teacher 3 -n 6 --no-target --seed 17|solve
moment-d1-k2|moment -d 1 -n 7 -k 2 --seed 18|solve
degenerate-d1-repeated|degenerate -d 1 --variant repeated -n 9 --noise 1 --seed 19|solve
degenerate-d1-breaklines|degenerate -d 1 --variant breaklines -n 8 --noise 1 --seed 20|solve
iris-sepal-1d|slice --csv $SKLEARN/iris.csv --columns 1 --label-column 3 -n 8 -k 2 --output-bias --seed 40|solve
wine-1d|slice --csv $SKLEARN/wine_data.csv --columns 13 --label-column 1 -n 7 -k 2 --output-bias --seed 42|solve
xor|-|solve
xor-k1-target|sgd-trap --variant xor --plain -k 1 --target 1/2 --seed 1|solve
xor-shifted|sgd-trap --variant xor --seed 2|solve
trap-search-d2|sgd-trap --variant search -d 2 --teacher 2 -n 6 --seed 100|solve
trap-search-d2-hard|sgd-trap --variant search -d 2 --teacher 2 -n 6 --tries 40 --min-failure 1 --seed 2000|solve
planted-d2-k2|planted -d 2 --teacher 2 -n 8 --seed 21|solve
planted-d2-noise|planted -d 2 --teacher 2 -n 7 --noise 2 --seed 22|solve
planted-d2-rational|planted -d 2 --teacher 1 -n 7 --rational --noise 2 --seed 23|solve
planted-d2-l1|planted -d 2 --teacher 1 -n 8 --loss l1 --noise 2 --seed 24|solve
degenerate-d2-lines|degenerate -d 2 --variant lines -n 8 --noise 1 --seed 25|solve
degenerate-d2-scale|degenerate -d 2 --teacher 1 --variant scale -n 6 --noise 1 --seed 26|solve
degenerate-d2-breaklines|degenerate -d 2 --variant breaklines -n 7 --seed 27|solve
levee-d2-one|levee --levees 1 -n 5 --seed 28|solve
levee-d2-parallel|levee --levees 2 --directions parallel --placement ridge -n 8 --seed 32|solve
levee-d2-pinned|levee --levees 1 --placement pinned --seed 29|planted
levee-d2-crossing|levee --levees 2 --directions crossing -n 12 --seed 30|planted
levee-d2-near-parallel|levee --levees 2 --directions near-parallel -n 12 --seed 31|planted
moment-d2-k1|moment -d 2 -n 7 -k 1 --seed 33|solve
moment-d2-k2|moment -d 2 -n 9 -k 2 --seed 45|solve
moment-d2-k1-target|moment -d 2 -n 7 -k 1 --target 1 --seed 33|solve
iris-petal-2d|slice --csv $SKLEARN/iris.csv --columns 3,4 --rows 71,73,78,84,107,120,134,139 --binary-label 2 -k 1 --output-bias|solve
wine-2d|slice --csv $SKLEARN/wine_data.csv --columns 1,10 --label-column 11 -n 6 -k 1 --output-bias --seed 41|solve
planted-d3-k1|planted -d 3 --teacher 1 -n 7 --noise 1 --seed 34|solve
planted-d3-k2|planted -d 3 --teacher 2 -n 7 --seed 35|solve
moment-d3-k1|moment -d 3 -n 6 -k 1 --seed 36|solve
degenerate-d3-planes|degenerate -d 3 --teacher 1 --variant planes --flats 1 -n 7 --noise 1 --seed 37|solve
degenerate-d3-mixed|degenerate -d 3 --teacher 2 --variant mixed -n 7 --seed 38|solve
iris-3d|slice --csv $SKLEARN/iris.csv --columns 1,3,4 --rows 71,78,84,107,120,134 --binary-label 2 -k 1 --output-bias|solve
wine-3d|slice --csv $SKLEARN/wine_data.csv --columns 1,10,13 --label-column 14 --binary-label 0 -n 6 -k 1 --output-bias --seed 43|solve
"

# Instances whose solve takes longer than this many seconds are checked
# through their certificate only.
RESOLVE_SECONDS=3

printf 'name\tkind\tn\td\tk\tloss\tclaim\tvalue\ttest\tobtained\tseconds\n' \
    >corpus.tsv
while IFS='|' read -r name args answer; do
    [ -n "$name" ] || continue
    if [ "$args" != - ]; then
        # shellcheck disable=SC2086
        if [ "$answer" = planted ]; then
            "$XTRAIN" gen $args -o "$name.txt" --answer "$name.net" \
                --certificate "$name.cert"
        else
            "$XTRAIN" gen $args -o "$name.txt"
        fi
    fi
    start=$(date +%s.%N)
    if [ "$answer" = solve ]; then
        set +e
        "$XTRAIN" solve "$name.txt" --certificate "$name.cert" \
            -o "$name.net" -q >/dev/null
        status=$?
        set -e
        [ "$status" -le 1 ] || { echo "$name: solve failed" >&2; exit 1; }
        obtained="xtrain solve --certificate"
    else
        obtained="planted (xtrain gen --certificate)"
    fi
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    test=check
    if [ "$answer" = solve ] &&
        [ "$(echo "$seconds < $RESOLVE_SECONDS" | bc)" = 1 ]; then
        test=solve
    fi
    kind=${args%% *}
    [ "$args" != - ] || kind=hand-written
    python3 - "$name" "$kind" "$test" "$obtained" "$seconds" \
        >>corpus.tsv <<'PY'
import json, sys
name, kind, test, obtained, seconds = sys.argv[1:]
cert = json.load(open(name + ".cert"))
fields = {}
for line in open(name + ".txt"):
    words = line.split("#")[0].split()
    if len(words) == 2 and words[0] in ("inputs", "hidden", "loss", "data"):
        fields[words[0]] = words[1]
print("\t".join([name, kind, fields["data"], fields["inputs"],
                 fields["hidden"], fields.get("loss", "l2"), cert["claim"],
                 cert["loss"], test, obtained, "%.2f" % float(seconds)]))
PY
done <<<"$CORPUS"
echo "wrote $(($(wc -l <corpus.tsv) - 1)) instances to corpus.tsv"
