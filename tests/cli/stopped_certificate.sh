# Certificates of enumeration runs stopped by --time-limit, SIGTERM or
# SIGINT.  The file must be well-formed JSON with the claim "unknown", and
# xtrain check must reject it as not proven (exit 1), never as a parse
# error (exit 2).  A stop inside a suffix proof ("rest") is the hard case:
# that item's pattern list is still open when the search ends.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || { echo "skipped: needs python3"; exit 77; }

# With 40 points the suffix proofs take far longer than the stops below,
# so every stop lands inside one of them (in a RelWithDebInfo build one
# second reaches about the 13th of the 39 proofs).
expect_exit 0 "$XTRAIN" gen planted -d 2 --teacher 3 -n 40 --noise 5 \
    --seed 21 -o "$WORK/planted.txt"

# Wall-clock slack for a stopped run to end: the sanitizer build is slower.
slack=10
[ -n "${XTRAIN_SANITIZE:-}" ] && slack=40

# expect_stopped_certificate CERT TREE: CERT parses, claims "unknown", and
# xtrain check rejects it with exit 1.  With TREE=1 it is a tree
# certificate stopped during the suffix proofs: the main list is empty and
# the last "rest" item, left unfinished, carries the trivial bound 0.
expect_stopped_certificate() {
    if ! python3 - "$1" "$2" 40 <<'PY' >"$WORK/py" 2>&1; then
import json, sys
path, tree, n = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3])
with open(path) as f:
    cert = json.load(f)
assert cert["claim"] == "unknown", "claim is %r" % cert["claim"]
assert isinstance(cert["patterns"], list), "patterns is not a list"
if tree:
    rest = cert["rest"]
    assert 0 < len(rest) < n - 1, "%d rest items" % len(rest)
    assert cert["patterns"] == [], "main list has entries"
    assert rest[-1]["lower"] == "0", "last lower is %r" % rest[-1]["lower"]
    for item in rest:
        assert isinstance(item["patterns"], list), "rest patterns"
PY
        fail "$1 is not a stopped certificate"
        sed 's/^/  python3: /' "$WORK/py" >&2
    fi
    expect_exit 1 "$XTRAIN" check "$WORK/planted.txt" --certificate "$1"
    expect_text "$WORK/out" "certificate rejected"
    expect_text "$WORK/out" "pattern not covered"
}

# stop_by_signal SIG CERT ARGS...: starts a solve writing CERT, sends SIG
# after one second and checks that the run ends with exit 3.
stop_by_signal() {
    local sig=$1 cert=$2
    shift 2
    "$XTRAIN" solve "$WORK/planted.txt" -q --certificate "$cert" "$@" \
        >"$WORK/out" 2>"$WORK/err" &
    local pid=$! tenths=$((slack * 10))
    sleep 1
    kill -s "$sig" "$pid"
    while kill -0 "$pid" 2>/dev/null && [ "$tenths" -gt 0 ]; do
        sleep 0.1
        tenths=$((tenths - 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        fail "still running $slack s after SIG$sig: $*"
        kill -s KILL "$pid"
    fi
    wait "$pid" 2>/dev/null
    local got=$?
    [ "$got" = 3 ] || fail "SIG$sig gave exit $got, expected 3: $*"
    expect_text "$WORK/out" "status: unknown (interrupted"
}

# ------------------------------------------------------------ time limit
for threads in 1 2; do
    cert="$WORK/time-$threads.cert"
    expect_exit 3 "$XTRAIN" solve "$WORK/planted.txt" -q --threads "$threads" \
        --time-limit 0.5 --certificate "$cert"
    expect_text "$WORK/out" "status: unknown (time limit"
    expect_stopped_certificate "$cert" 1
done

# --naive writes one flat list, which a stop leaves incomplete.
expect_exit 3 "$XTRAIN" solve "$WORK/planted.txt" -q --naive \
    --time-limit 0.5 --certificate "$WORK/naive.cert"
expect_stopped_certificate "$WORK/naive.cert" 0

# --------------------------------------------------------------- signals
for sig in TERM INT; do
    for threads in 1 2; do
        cert="$WORK/$sig-$threads.cert"
        stop_by_signal "$sig" "$cert" --threads "$threads"
        expect_stopped_certificate "$cert" 1
    done
done

finish
