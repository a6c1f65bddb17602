#!/usr/bin/env bash
# Command-line test of `xtrain solve --method convex` and of checking its
# certificates.  Arguments: the xtrain binary, the source folder and a
# scratch folder.
set -u
xtrain=$1
work=$3/convex-cli
mkdir -p "$work"
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# expect CODE COMMAND...: runs the command and compares its exit code.
expect() {
    local want=$1
    shift
    "$@" >"$work/out" 2>"$work/err"
    local got=$?
    if [ "$got" -ne "$want" ]; then
        fail "exit code $got, expected $want: $*"
        sed 's/^/  | /' "$work/out" "$work/err"
    fi
}

# The V shape relu(1 - x) + relu(x - 1) on x = 0, 1, 2: two neurons fit
# it, one does not (a single ReLU is monotone along the line).
cat >"$work/v.txt" <<'EOF'
xtrain-instance 1
inputs 1
hidden 2
loss l2
target 0
convex yes
data 3
0 1
1 0
2 1
EOF

expect 0 "$xtrain" solve "$work/v.txt" --method convex \
    --certificate "$work/yes.json"
grep -q '^status: feasible' "$work/out" || fail "V shape with k = 2: no fit"
expect 0 "$xtrain" check "$work/v.txt" --certificate "$work/yes.json"

expect 1 "$xtrain" solve "$work/v.txt" --method convex --hidden 1 \
    --certificate "$work/no.json"
grep -q '^status: infeasible' "$work/out" || fail "V shape with k = 1"
expect 0 "$xtrain" check "$work/v.txt" --hidden 1 \
    --certificate "$work/no.json"

# The JSON output names the method.
expect 0 "$xtrain" solve "$work/v.txt" --method convex --json
grep -q '"method": "convex"' "$work/out" || fail "JSON output: method"

# A certificate checked against other settings is rejected.
expect 1 "$xtrain" check "$work/v.txt" --hidden 2 \
    --certificate "$work/no.json"

# Removing the leaves breaks the tree: their parent misses its children.
# The node line before " ]," then loses its trailing comma.
awk '!/"farkas"/ { lines[++n] = $0 }
     END { for (i = 1; i <= n; i++) {
               if (i < n && lines[i + 1] ~ /^ \],/) sub(/,$/, "", lines[i])
               print lines[i] } }' "$work/no.json" >"$work/cut.json"
expect 1 "$xtrain" check "$work/v.txt" --hidden 1 \
    --certificate "$work/cut.json"

# The convex method needs a convex instance with target 0.
expect 2 "$xtrain" solve "$work/v.txt" --method convex --target 1
grep -q 'target 0' "$work/err" || fail "target 1: no message"
sed '/^convex yes$/d' "$work/v.txt" >"$work/notconvex.txt"
expect 2 "$xtrain" solve "$work/notconvex.txt" --method convex
grep -q 'convex' "$work/err" || fail "not convex: no message"

if [ "$failures" -ne 0 ]; then
    echo "convex.sh: $failures check(s) failed"
    exit 1
fi
echo "convex.sh: all checks passed"
