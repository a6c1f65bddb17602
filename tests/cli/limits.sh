# xtrain solve at its limits: numbers with thousands of digits, instances
# too large for the memory limit, --time-limit and --memory-limit on every
# solver, and Ctrl-C (SIGINT) and SIGTERM during a run.  Every case must
# end with a documented exit code and a clear message, never a crash or a
# hang.
. "$(dirname "$0")/lib.sh"

# Methods to try; a method this build lacks is skipped.
METHODS="enum convex threshold smt mip"

# run_bounded SECONDS COMMAND...: runs COMMAND with stdout and stderr in
# $WORK/out and $WORK/err, and sets $got to its exit status.  A command
# still running after SECONDS fails the test and is killed, so a hang
# cannot stall the suite.
run_bounded() {
    local limit=$1
    shift
    "$@" >"$WORK/out" 2>"$WORK/err" &
    local pid=$!
    if ! stops_within "$limit" "$pid"; then
        fail "still running after $limit s: $*"
        kill -s KILL "$pid"
    fi
    wait "$pid" 2>/dev/null
    got=$?
}

# stops_within SECONDS PID: whether process PID ends within SECONDS.
stops_within() {
    local tenths=$(($1 * 10))
    while [ "$tenths" -gt 0 ]; do
        kill -0 "$2" 2>/dev/null || return 0
        sleep 0.1
        tenths=$((tenths - 1))
    done
    ! kill -0 "$2" 2>/dev/null
}

# available METHOD: whether this build has the method.
available() {
    ! "$XTRAIN" solve "$WORK/xor.txt" -k 1 --method "$1" 2>&1 >/dev/null |
        grep -q "not available"
}

printf 'xtrain-instance 1\ninputs 2\ndata 4\n0 0 0\n1 0 1\n0 1 1\n1 1 0\n' \
    >"$WORK/xor.txt"

# ---------------------------------------------------------------- numbers
# Scaling the inputs of XOR by 10^3000 (or 10^-3000) changes nothing: the
# weights absorb the scale, so the optimum with one neuron stays 1.
big=1$(printf '%03000d' 0)
printf 'xtrain-instance 1\ninputs 2\ndata 4\n0 0 0\n%s 0 1\n0 %s 1\n%s %s 0\n' \
    "$big" "$big" "$big" "$big" >"$WORK/xor-big.txt"
printf 'xtrain-instance 1\ninputs 2\ndata 4\n0 0 0\n1/%s 0 1\n0 1/%s 1\n1/%s 1/%s 0\n' \
    "$big" "$big" "$big" "$big" >"$WORK/xor-small.txt"
for f in xor-big xor-small; do
    expect_exit 0 "$XTRAIN" solve "$WORK/$f.txt" -k 1 --json \
        --certificate "$WORK/$f.cert" -o "$WORK/$f.net"
    expect_text "$WORK/out" '"loss": "1"'
    expect_exit 0 "$XTRAIN" check "$WORK/$f.txt" -k 1 \
        --certificate "$WORK/$f.cert"
    expect_text "$WORK/out" "proven optimum: 1"
    # The network file (weights scaled by 10^-3000 or 10^3000) is read
    # back and evaluated exactly.
    expect_exit 0 "$XTRAIN" check "$WORK/$f.txt" "$WORK/$f.net" --target 1
    expect_exit 1 "$XTRAIN" check "$WORK/$f.txt" "$WORK/$f.net" \
        --target 99/100
done
# Labels scaled by 10^3000 scale the l2 optimum by 10^6000.
printf 'xtrain-instance 1\ninputs 2\ndata 4\n0 0 0\n1 0 %s\n0 1 %s\n1 1 0\n' \
    "$big" "$big" >"$WORK/xor-labels.txt"
expect_exit 0 "$XTRAIN" solve "$WORK/xor-labels.txt" -k 1 --json
expect_text "$WORK/out" "\"loss\": \"1$(printf '%06000d' 0)\""
# Targets 1 + 10^-3000 (reachable) and 1 - 10^-3000 (not), as fractions
# with 3000-digit numerators and denominators.
expect_exit 0 "$XTRAIN" solve "$WORK/xor.txt" -k 1 \
    --target "1$(printf '%03000d' 1)/$big"
expect_text "$WORK/out" "status: feasible"
expect_exit 1 "$XTRAIN" solve "$WORK/xor.txt" -k 1 \
    --target "$(printf '%03000d' 9)/$big"
expect_text "$WORK/out" "status: infeasible"
# The SMT solver on the same scaled instance, when this build has it.
if available smt; then
    expect_exit 0 "$XTRAIN" solve "$WORK/xor-big.txt" -k 1 --method smt \
        --time-limit 60 --json
    expect_text "$WORK/out" '"loss": "1"'
fi
# Numbers past the reader's limit of 100000 characters, and exponents past
# 10^100000, are rejected with one line naming the file and line.
printf 'xtrain-instance 1\ninputs 1\ndata 1\n1%s 0\n' \
    "$(printf '%0100001d' 0)" >"$WORK/too-long.txt"
expect_exit 2 "$XTRAIN" solve "$WORK/too-long.txt" -k 1
expect_one_line
expect_text "$WORK/err" "too-long.txt:4:"
printf 'xtrain-instance 1\ninputs 1\ndata 1\n1e100001 0\n' >"$WORK/exp.txt"
expect_exit 2 "$XTRAIN" solve "$WORK/exp.txt" -k 1
expect_one_line
expect_text "$WORK/err" "exp.txt:4:"

# ---------------------------------------------------------------- options
for bad in -1 abc 1e10 nan inf ""; do
    expect_exit 2 "$XTRAIN" solve "$WORK/xor.txt" -k 1 --time-limit "$bad"
    expect_one_line
done
for bad in -5 abc 1.5 2000000000 ""; do
    expect_exit 2 "$XTRAIN" solve "$WORK/xor.txt" -k 1 --memory-limit "$bad"
    expect_one_line
done
# 0 means no limit.
expect_exit 0 "$XTRAIN" solve "$WORK/xor.txt" -k 1 --memory-limit 0 \
    --time-limit 0

# ------------------------------------------------------ long instances
# Instances that run far longer than the limits below, one per method.
python3 - "$WORK" <<'PY'
import random, sys
work = sys.argv[1]

def write(name, header, rows):
    with open(f"{work}/{name}", "w") as f:
        f.write("xtrain-instance 1\n" + header + f"data {len(rows)}\n")
        f.writelines(" ".join(map(str, r)) + "\n" for r in rows)

rng = random.Random(7)
pts = lambda n, d: [[rng.randint(-50, 50) for _ in range(d)] for _ in range(n)]
write("long-enum.txt", "inputs 2\nhidden 2\n",
      [p + [rng.randint(-5, 5)] for p in pts(400, 2)])
write("long-threshold.txt",
      "inputs 2\nhidden 3\nactivation threshold\nloss zero-one\n",
      [p + [rng.randint(0, 1)] for p in pts(300, 2)])
write("long-smt.txt", "inputs 2\nhidden 2\n",
      [p + [rng.randint(-5, 5)] for p in pts(40, 2)])
write("long-mip.txt", "inputs 2\nhidden 3\n",
      [p + [rng.randint(-5, 5)] for p in pts(200, 2)])
# Convex, target 0: labels of a five-neuron convex teacher, four neurons
# allowed.  The branching search needs far more than the limits below.
rng = random.Random(5)
teacher = [[rng.randint(-3, 3) for _ in range(4)] for _ in range(5)]
rows = []
for _ in range(60):
    x = [rng.randint(-50, 50) for _ in range(3)]
    y = sum(max(0, sum(w[t] * x[t] for t in range(3)) + w[3]) for w in teacher)
    rows.append(x + [y])
write("long-convex.txt", "inputs 3\nhidden 4\nconvex yes\ntarget 0\n", rows)
# Many points: about 20 MB of GMP limbs once read (1.2 million numbers,
# two limbs each), more with malloc's overhead.
rng = random.Random(9)
write("many-points.txt", "inputs 3\nhidden 1\n",
      [[rng.randint(-99, 99) for _ in range(3)] + [rng.randint(-9, 9)]
       for _ in range(300000)])
PY

# Wall-clock slack over a time limit: the sanitizer build is slower.
slack=5
[ -n "${XTRAIN_SANITIZE:-}" ] && slack=20

for m in $METHODS; do
    available "$m" || { echo "skipped: --method $m not in this build"; continue; }
    run_bounded $((1 + slack)) "$XTRAIN" solve "$WORK/long-$m.txt" \
        --method "$m" --time-limit 1 --json
    [ "$got" = 3 ] || fail "--method $m --time-limit 1: exit $got"
    expect_text "$WORK/out" '"status": "unknown"'
    expect_text "$WORK/out" '"time_limit_reached": true'
    expect_text "$WORK/out" '"proven": false'
    expect_text "$WORK/out" '"statistics": {'
    run_bounded $((1 + slack)) "$XTRAIN" solve "$WORK/long-$m.txt" \
        --method "$m" --time-limit 1
    [ "$got" = 3 ] || fail "--method $m --time-limit 1: exit $got"
    expect_text "$WORK/out" "status: unknown (time limit"
done

# ------------------------------------------------------------- signals
# SIGINT (Ctrl-C) and SIGTERM stop a run: exit 3, the best network so far
# marked as not proven, and the statistics (-v on stderr, or in JSON).
for m in $METHODS; do
    available "$m" || continue
    for sig in INT TERM; do
        for form in text json; do
            flag=-v
            [ "$form" = json ] && flag=--json
            "$XTRAIN" solve "$WORK/long-$m.txt" --method "$m" "$flag" \
                >"$WORK/out" 2>"$WORK/err" &
            pid=$!
            sleep 1
            kill -s "$sig" "$pid"
            if ! stops_within "$slack" "$pid"; then
                fail "--method $m: still running $slack s after SIG$sig"
                kill -s KILL "$pid"
                wait "$pid" 2>/dev/null
                continue
            fi
            wait "$pid"
            got=$?
            [ "$got" = 3 ] ||
                fail "--method $m: SIG$sig gave exit $got, expected 3"
            if [ "$form" = json ]; then
                expect_text "$WORK/out" '"interrupted": true'
                expect_text "$WORK/out" '"proven": false'
                expect_text "$WORK/out" '"statistics": {'
            else
                expect_text "$WORK/out" "status: unknown (interrupted"
                expect_text "$WORK/err" "statistics:"
            fi
        done
    done
done

# -------------------------------------------------------------- memory
# Reading 300000 points needs more than 8 MiB: exit 3 and one clear line,
# with or without --json.  Under AddressSanitizer only GMP's memory is
# counted, which is enough here.
expect_exit 3 "$XTRAIN" solve "$WORK/many-points.txt" --memory-limit 8
expect_text "$WORK/err" "memory"
expect_exit 3 "$XTRAIN" solve "$WORK/many-points.txt" --memory-limit 8 --json
expect_text "$WORK/err" "memory"
# A limit in the middle of a run, on every method: exit 3 (or 0 when the
# run needs less), never a crash.
for m in $METHODS; do
    available "$m" || continue
    for mib in 16 64 256; do
        run_bounded $((2 + slack)) "$XTRAIN" solve "$WORK/long-$m.txt" \
            --method "$m" --time-limit 2 --memory-limit "$mib"
        case $got in
            0|3) ;;
            *) fail "--method $m --memory-limit $mib: exit $got"
               sed 's/^/  stderr: /' "$WORK/err" >&2 ;;
        esac
    done
done
# Without --memory-limit, a failing allocation (ulimit -v) also ends with
# exit 3 and a message instead of GMP's abort.  Not under AddressSanitizer,
# which cannot start with a small address space.
if [ -z "${XTRAIN_SANITIZE:-}" ]; then
    (ulimit -v 200000; exec "$XTRAIN" solve "$WORK/many-points.txt" \
        --time-limit 20) >"$WORK/out" 2>"$WORK/err"
    got=$?
    [ "$got" = 3 ] || fail "ulimit -v: exit $got, expected 3"
    expect_text "$WORK/err" "memory"
fi

finish
