#!/bin/sh
# Builds the libFuzzer targets with clang (ASan and UBSan on) and runs
# each for a while, starting from the seed corpus.
#
#   tests/fuzz/run.sh [BUILD_DIR]
#
# XTRAIN_FUZZ_SECONDS sets the run time per target (default 3: the short
# run of `make check`); XTRAIN_FUZZ_TARGETS limits the run to some targets
# ("instance json").  New inputs that reach new code go to
# BUILD_DIR/corpus/TARGET, never into the seed corpus.  A crash, a leak, a
# hang (10 s on one input) or a failed oracle stops the target's run: the
# input is saved as BUILD_DIR/artifacts/TARGET/DATE-TIME/crash-* (or
# timeout-*, leak-*) and the script exits 1.  Once the bug is fixed, copy
# the file to tests/fuzz/regressions/TARGET/, so that the ctest
# fuzz.TARGET replays it from then on.  XTRAIN_FUZZ_KEEP_GOING=1 keeps
# fuzzing after a failure (fork mode) and saves every one.
# XTRAIN_FUZZ_BUILD=0 skips the build.  Without clang or
# libclang-rt-14-dev the script prints why and exits 0 (nothing to run).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-$src/build-fuzz}
seconds=${XTRAIN_FUZZ_SECONDS:-3}
cc=${XTRAIN_FUZZ_CC:-clang}

if ! command -v "$cc" >/dev/null 2>&1; then
    echo "check-fuzz: skipped: $cc not found (apt-get install clang)"
    exit 0
fi
probe=$(mktemp -d "${TMPDIR:-/tmp}/xtrain-fuzz-probe-XXXXXX")
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n'\
'{ (void)d; (void)n; return 0; }\n' >"$probe/probe.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$probe/probe.c" \
        -o "$probe/probe" >/dev/null 2>&1; then
    echo "check-fuzz: skipped: $cc cannot link libFuzzer" \
         "(apt-get install libclang-rt-14-dev)"
    exit 0
fi

mkdir -p "$build"
# XTRAIN_FUZZ_BUILD=0 reuses the binaries of an earlier build (for long
# runs while the source tree is being edited).
if [ "${XTRAIN_FUZZ_BUILD:-1}" = 0 ]; then
    :
elif ! { CC=$cc cmake -S "$src" -B "$build" -DXT_FUZZ=ON -DXT_SANITIZE=ON \
           -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
       cmake --build "$build" --target fuzz -j "${JOBS:-2}"; } \
        >"$build/build.log" 2>&1; then
    tail -20 "$build/build.log" >&2
    echo "check-fuzz: the build failed, see $build/build.log" >&2
    exit 1
fi

targets=${XTRAIN_FUZZ_TARGETS:-$(cd "$here" && ls fuzz_*.c |
                                 sed 's/^fuzz_//; s/\.c$//')}
# XTRAIN_FUZZ_KEEP_GOING=1 (for long runs) runs the fuzzer in fork mode
# and keeps going after a crash or a hang, saving every one.
keep_going=""
if [ "${XTRAIN_FUZZ_KEEP_GOING:-0}" = 1 ]; then
    keep_going="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
fi
# The short run in `make check` is the same every time: a fixed seed and
# at most 2000 inputs per target, so CI does not fail on a new finding
# that only a longer or luckier run would make.  XTRAIN_FUZZ_SECONDS
# (a long run) explores freely.
fixed="-seed=1 -runs=2000"
[ -n "${XTRAIN_FUZZ_SECONDS:-}" ] && fixed=""
failed=0
stamp=$(date +%Y%m%d-%H%M%S)
for name in $targets; do
    work="$build/corpus/$name"
    artifacts="$build/artifacts/$name/$stamp"
    log="$build/logs/$name.log"
    mkdir -p "$work" "$artifacts" "$(dirname "$log")"
    # -timeout: an input that takes longer counts as a hang;
    # -rss_limit_mb: a reader must not need more for a 64 KiB input.
    # shellcheck disable=SC2086
    if "$build/tests/fuzz/fuzz_$name" "$work" "$here/corpus/$name" \
            -max_total_time="$seconds" $fixed -timeout=10 -rss_limit_mb=2048 \
            -max_len=65536 -print_final_stats=1 $keep_going \
            -artifact_prefix="$artifacts/" >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        [ -n "$runs" ] ||
            runs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -1)
        found=$(find "$artifacts" -type f | wc -l)
        echo "check-fuzz: $name: ${runs:-?} inputs in ${seconds} s," \
             "$found saved failures"
        [ "$found" = 0 ] || failed=1
    else
        echo "check-fuzz: $name: FAILED, see $log; inputs in $artifacts" >&2
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*fuzz oracle failed)' "$log" \
            | head -5 >&2 || true
        failed=1
    fi
done
exit $failed
