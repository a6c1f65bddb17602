#!/bin/sh
# Builds the libFuzzer targets with clang (ASan and UBSan on) and runs
# each for a while, starting from the seed corpus.
#
#   tests/fuzz/run.sh [BUILD_DIR]
#
# XTRAIN_FUZZ_SECONDS sets the run time per target (default 3: the short
# run of `make check`); XTRAIN_FUZZ_TARGETS limits the run to some targets
# ("instance json").  New inputs that reach new code go to
# BUILD_DIR/corpus/TARGET, never into the seed corpus.  A crash, a leak or
# a failed oracle stops the run: the input is saved as
# BUILD_DIR/artifacts/TARGET/crash-* and the script exits 1.  Copy it to
# tests/fuzz/regressions/TARGET/ once fixed, so that the ctest fuzz.TARGET
# replays it from then on.  XTRAIN_FUZZ_BUILD=0 skips the build.  Without
# clang or libclang-rt-14-dev the script prints why and exits 0 (nothing
# to run).
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
failed=0
for name in $targets; do
    work="$build/corpus/$name"
    artifacts="$build/artifacts/$name"
    log="$build/logs/$name.log"
    mkdir -p "$work" "$artifacts" "$(dirname "$log")"
    # -timeout: an input that takes longer counts as a hang;
    # -rss_limit_mb: a reader must not need more for a 64 KiB input.
    if "$build/tests/fuzz/fuzz_$name" "$work" "$here/corpus/$name" \
            -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -max_len=65536 -print_final_stats=1 \
            -artifact_prefix="$artifacts/" >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "check-fuzz: $name: ${runs:-?} inputs in ${seconds} s, no crash"
    else
        echo "check-fuzz: $name: FAILED, see $log; inputs in $artifacts" >&2
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*fuzz oracle failed)' "$log" \
            | head -5 >&2 || true
        failed=1
    fi
done
exit $failed
