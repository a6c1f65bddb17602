# xtrain sgd: exact re-evaluation, lossless files, reproducibility, traces,
# bad options and Ctrl-C.
. "$(dirname "$0")/lib.sh"

# The 1-D hat: relu(x+1) - 2 relu(x) + relu(x-1) fits it exactly.
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
RUN=(--optimizer adam --lr 0.05 --epochs 300 --restarts 4 --seed 11)

# field NAME FILE: the string value of a JSON member.
field() {
    grep -o "\"$1\": \"[^\"]*\"" "$2" | head -1 | sed 's/.*: "\(.*\)"/\1/'
}

expect_exit 0 "$XTRAIN" sgd "$HAT" "${RUN[@]}" --json -o "$WORK/best.net" \
    --save "$WORK/best.sgd" --trace "$WORK/trace.csv"
cp "$WORK/out" "$WORK/run1.json"
best=$(field best_loss "$WORK/run1.json")
[ -n "$best" ] || fail "no best_loss in the JSON output"

# xtrain check evaluates the exported network to the same exact loss.
expect_exit 0 "$XTRAIN" check "$HAT" "$WORK/best.net" --json
[ "$(field loss "$WORK/out")" = "$best" ] ||
    fail "check reports loss $(field loss "$WORK/out"), sgd $best"

# Both saved files reproduce the network with zero epochs of training.
for file in best.sgd best.net; do
    expect_exit 0 "$XTRAIN" sgd "$HAT" --init "$WORK/$file" --epochs 0 \
        --restarts 1 --json
    [ "$(field best_loss "$WORK/out")" = "$best" ] ||
        fail "--init $file gives loss $(field best_loss "$WORK/out")"
done
expect_text "$WORK/best.sgd" "xtrain-sgd-network 1"
expect_text "$WORK/best.sgd" "0x1."

# Trace: a header and one row per restart and epoch, epoch 0 included.
[ "$(head -1 "$WORK/trace.csv")" = "restart,epoch,loss" ] ||
    fail "trace header is $(head -1 "$WORK/trace.csv")"
rows=$(($(wc -l <"$WORK/trace.csv") - 1))
[ "$rows" = $((4 * 301)) ] || fail "trace has $rows rows, expected 1204"
grep -q '^3,300,' "$WORK/trace.csv" || fail "trace lacks restart 3 epoch 300"

# The same seed gives the same bits; another seed gives other losses.
strip() { sed 's/"seconds": [0-9.e+-]*//' "$1"; }
expect_exit 0 "$XTRAIN" sgd "$HAT" "${RUN[@]}" --json
[ "$(strip "$WORK/out")" = "$(strip "$WORK/run1.json")" ] ||
    fail "a rerun with the same seed differs"
expect_exit 0 "$XTRAIN" sgd "$HAT" "${RUN[@]}" --json --seed 12
[ "$(field losses "$WORK/out")" != "" ] || true
if [ "$(strip "$WORK/out")" = "$(strip "$WORK/run1.json")" ]; then
    fail "seeds 11 and 12 give identical runs"
fi

# Every optimizer, schedule, initialization and minibatches run.
for opt in sgd momentum nesterov adam; do
    for sched in constant step cosine warmup anneal; do
        expect_exit 0 "$XTRAIN" sgd "$HAT" --optimizer $opt \
            --schedule $sched --epochs 20 --restarts 1 --batch 2 -q
        expect_text "$WORK/out" "best loss (l2, exact):"
    done
done
for init in he-normal he-uniform small; do
    expect_exit 0 "$XTRAIN" sgd "$HAT" --init $init --epochs 5 -r 2
done
expect_exit 0 "$XTRAIN" sgd "$HAT" --loss linf --smoothing 0.1 --epochs 5
expect_text "$WORK/out" "best loss (linf, exact):"
expect_exit 0 "$XTRAIN" sgd "$HAT" --loss l1 --output-bias --epochs 5 -v
expect_text "$WORK/out" "with output bias"
expect_text "$WORK/out" "final losses over 10 restarts"

# Masks: train only the output weights (w 3, b 3, a 3).
printf '0 0 0\n0 0 0\n1 1 1\n' >"$WORK/mask"
expect_exit 0 "$XTRAIN" sgd "$HAT" --mask "$WORK/mask" --epochs 5
expect_exit 0 "$XTRAIN" sgd "$HAT" --fisher-top 2 --epochs 5
printf '1 1\n' >"$WORK/short.mask"
expect_exit 2 "$XTRAIN" sgd "$HAT" --mask "$WORK/short.mask"
expect_text "$WORK/err" "2 mask entries, expected 9"
expect_one_line

# Convex: the exported network keeps output weights 1 and conforms.
expect_exit 0 "$XTRAIN" sgd "$HAT" --convex --epochs 50 -r 2 \
    -o "$WORK/convex.net"
expect_exit 0 "$XTRAIN" check "$HAT" "$WORK/convex.net" --convex --json
expect_text "$WORK/out" '"conforms": true'

# Bad values: one line on stderr and exit 2.
while read -r option value text; do
    expect_exit 2 "$XTRAIN" sgd "$HAT" "$option" "$value"
    expect_text "$WORK/err" "$text"
    expect_one_line
done <<'BAD'
--lr abc invalid value "abc" for --lr
--lr -0.5 invalid value "-0.5" for --lr
--momentum 1 invalid value "1" for --momentum
--beta2 1.5 invalid value "1.5" for --beta2
--optimizer rmsprop unknown optimizer "rmsprop"
--schedule linear unknown schedule "linear"
--epochs 1e3 invalid value "1e3" for --epochs
--restarts 0 --restarts must be at least 1
--seed -1 invalid value "-1" for --seed
--init he-norml --init "he-norml" is neither
--smoothing 0 --smoothing must be greater than 0
--loss zero-one cannot minimize the zero-one loss
--activation threshold cannot train threshold networks
--hidden 0 --hidden must be at least 1
BAD
expect_exit 2 "$XTRAIN" sgd
expect_one_line
expect_exit 2 "$XTRAIN" sgd "$WORK/missing.txt"
expect_one_line
grep -v '^hidden' "$HAT" >"$WORK/nohidden.txt"
expect_exit 2 "$XTRAIN" sgd "$WORK/nohidden.txt"
expect_text "$WORK/err" "give --hidden K"
expect_exit 0 "$XTRAIN" sgd --help
expect_text "$WORK/out" "--optimizer"

# Divergence: every restart diverges, exit 1 and no network written.
expect_exit 1 "$XTRAIN" sgd "$HAT" --lr 1e150 --epochs 10 -o "$WORK/x.net"
expect_text "$WORK/out" "every restart diverged"

# Ctrl-C: the run stops, reports the restarts so far, exit 3.
# XTRAIN_SIGNAL_DELAY (seconds, default 1) leaves a slow start, such as
# under valgrind, time to install the signal handler.
"$XTRAIN" sgd "$HAT" --epochs 1000000000 -r 3 >"$WORK/out" 2>"$WORK/err" &
pid=$!
sleep "${XTRAIN_SIGNAL_DELAY:-1}"
kill -INT "$pid"
wait "$pid"
code=$?
[ "$code" = 3 ] || fail "interrupted sgd exits $code, expected 3"
expect_text "$WORK/err" "interrupted: 1 of 3 restarts started"
expect_text "$WORK/out" "best loss (l2, exact):"

finish
