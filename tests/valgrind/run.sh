#!/bin/sh
# Runs the test suite under valgrind memcheck with leak checking.
#
#   tests/valgrind/run.sh [BUILD_DIR [REGEX]]
#
# BUILD_DIR is a normal build (default: build); a sanitizer build cannot
# run under valgrind.  Every ctest test that is not labelled slow runs
# once (only those whose name matches REGEX, when given).  Unit tests and
# fuzz replays run under valgrind directly.  The command-line scripts get
# a wrapper in place of xtrain, so every xtrain they start runs under
# valgrind, but bash and the other tools they call do not.  An invalid read or write, a use of an uninitialized value or
# a definitely or indirectly lost block is an error: valgrind then makes
# the program exit with status 99.  Logs go to OUT/logs/ and a summary to
# OUT/summary.txt, where OUT is XTRAIN_VALGRIND_OUT (default
# BUILD_DIR/valgrind); the logs of an earlier run there are removed.  The script exits 1
# when a test fails or a log reports an error, 0 otherwise.
# XTRAIN_VALGRIND_TIMEOUT sets the time limit per test in seconds
# (default 3600).  tests/valgrind/xtrain.supp lists suppressed reports
# in third-party libraries, each with the reason.
#
# Not part of `make check`: valgrind runs the suite 20 to 50 times slower.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
filter=${2:-}
limit=${XTRAIN_VALGRIND_TIMEOUT:-3600}

for tool in valgrind python3 ctest; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "check-valgrind: $tool not found (apt-get install $tool)" >&2
        exit 2
    fi
done
if grep -q '^XT_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
    echo "check-valgrind: $build is a sanitizer build; use a normal" \
         "build" >&2
    exit 2
fi

# A script that signals xtrain waits this long first, because under
# valgrind xtrain needs seconds to start and install its handlers.
export XTRAIN_SIGNAL_DELAY="${XTRAIN_SIGNAL_DELAY:-20}"

out=${XTRAIN_VALGRIND_OUT:-$build/valgrind}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/logs"
mkdir -p "$out/logs"
summary=$out/summary.txt
: >"$summary"

# --error-exitcode makes a reported error visible in the exit status;
# --errors-for-leak-kinds counts definite and indirect leaks as errors,
# but not blocks that are still reachable at exit.
options="--tool=memcheck --error-exitcode=99 --leak-check=full
 --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect
 --track-origins=yes --num-callers=30 --suppressions=$here/xtrain.supp"

# One line per test: name, working directory, then the command, all
# separated by tabs.
(cd "$build" && ctest --show-only=json-v1 -LE slow) | python3 -c '
import json, sys
for test in json.load(sys.stdin)["tests"]:
    directory = "."
    for prop in test.get("properties", []):
        if prop["name"] == "WORKING_DIRECTORY":
            directory = prop["value"]
    print("\t".join([test["name"], directory] + test["command"]))
' >"$out/tests.tsv"

# The wrapper the command-line scripts run in place of xtrain: the
# third word of a cli.* command.
xtrain=$(awk -F '\t' '$1 ~ /^cli\./ { print $5; exit }' "$out/tests.tsv")
# $(echo $options) joins the option lines into one.
# shellcheck disable=SC2086,SC2116
cat >"$out/xtrain" <<EOF_WRAPPER
#!/bin/sh
exec valgrind $(echo $options) --log-file=$out/logs/xtrain.%p.log \\
    $xtrain "\$@"
EOF_WRAPPER
chmod +x "$out/xtrain"

failed=0
start=$(date +%s)
while IFS=$(printf '\t') read -r name dir program rest; do
    if [ -n "$filter" ] && ! printf '%s\n' "$name" | grep -Eq -- "$filter"
    then
        continue
    fi
    # Unquoted on purpose: the arguments are paths without spaces.
    # shellcheck disable=SC2086
    set -- $rest
    t0=$(date +%s)
    case $name in
    cli.*)
        # bash SCRIPT XTRAIN SOURCE_DIR BUILD_DIR, XTRAIN replaced
        script=$1
        shift 2
        (cd "$dir" && timeout "$limit" "$program" "$script" \
             "$out/xtrain" "$@") >"$out/logs/$name.out" 2>&1
        ;;
    *)
        # shellcheck disable=SC2086
        (cd "$dir" && timeout "$limit" valgrind $options \
             --log-file="$out/logs/$name.%p.log" "$program" "$@") \
            >"$out/logs/$name.out" 2>&1
        ;;
    esac && status=0 || status=$?
    seconds=$(( $(date +%s) - t0 ))
    case $status in
    0) result=passed ;;
    77) result=skipped ;;
    99) result="valgrind error"; failed=1 ;;
    124) result="timed out after $limit s"; failed=1 ;;
    *) result="failed (exit $status)"; failed=1 ;;
    esac
    echo "$name: $result, $seconds s" | tee -a "$summary"
done <"$out/tests.tsv"

# A CLI script may expect a nonzero exit from xtrain, so its status does
# not show every error: check the logs too.
bad=$(grep -l 'ERROR SUMMARY: [1-9]' "$out"/logs/*.log 2>/dev/null || true)
if [ -n "$bad" ]; then
    failed=1
    echo "logs with errors:" | tee -a "$summary"
    printf '  %s\n' $bad | tee -a "$summary"
fi
echo "total: $(( $(date +%s) - start )) s, $(ls "$out"/logs/*.log 2>/dev/null |
     wc -l) processes checked" | tee -a "$summary"
exit $failed
