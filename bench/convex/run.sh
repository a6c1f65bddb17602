#!/usr/bin/env bash
# Benchmark of the convex search (solvers/convex) against the enumeration
# solver with all signs +1, on planted convex instances and on the same
# instances with one label moved.  Prints markdown tables for
# docs/benchmarks.md.
#
# Usage: bench/convex/run.sh BUILD_DIR [SEEDS [ENUM_LIMIT [PART]]]
#   BUILD_DIR   a CMake build folder of xtrain (libxtrain.a is linked)
#   SEEDS       instances per size (default 3)
#   ENUM_LIMIT  seconds per enumeration run before giving up (default 60)
#   PART        forms, compare or all (default all)
set -eu
build=$1
seeds=${2:-3}
limit=${3:-60}
part=${4:-all}
src=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cc=${CC:-cc}
$cc -O2 -std=c17 -D_POSIX_C_SOURCE=200809L -I"$src/include" \
    -I"$src/solvers/convex" "$src/bench/convex/bench_convex.c" \
    "$build/libxtrain.a" -lgmp -lmpfr -lglpk -lz3 -lpthread -lm \
    -o "$out/bench_convex"
bench=$out/bench_convex

# mean_time KIND N D K METHOD [FORM]: runs every seed and prints
# "seconds nodes lps answers", or "timeout" when a run used the whole
# time limit (whatever its status) or failed.
mean_time() {
    local kind=$1 n=$2 d=$3 k=$4 method=$5 form=${6:-lazy}
    for s in $(seq 1 "$seeds"); do
        "$bench" "$kind" "$n" "$d" "$k" "$s" "$method" "$form" first 3 1 \
            "$limit"
    done | awk -v limit="$limit" '{ t += $12; nodes += $9; lps += $10
                  if ($8 == "unknown" || $8 == "error" || $12 >= limit)
                      late = 1
                  if ($8 == "feasible") yes++; else no++ }
                END { if (late) print "timeout"
                      else printf "%.3f %.0f %.0f %dY/%dN\n", t / NR,
                           nodes / NR, lps / NR, yes, no }'
}

if [ "$part" != compare ]; then
echo "## LP forms (d = 2, first-index branching, 3 linearization rounds)"
echo
echo "| kind | k | n | lazy s | subsets s | extended s | LPs (lazy/subsets/extended) |"
echo "|---|---|---|---|---|---|---|"
for kind in planted perturbed; do
    for k in 2 3; do
        for n in 50 100 200; do
            row="| $kind | $k | $n"
            lps=""
            for form in lazy subsets extended; do
                r=$(mean_time "$kind" "$n" 2 "$k" convex "$form")
                set -- $r
                row="$row | $1"
                lps="$lps${lps:+/}${3:-?}"
            done
            echo "$row | $lps |"
        done
    done
done
echo
fi
[ "$part" = forms ] && exit 0
echo "## Convex search against enumeration (d = 2, mean of $seeds seeds)"
echo
echo "| kind | k | n | convex s | nodes | LPs | answers | enum s | enum / convex |"
echo "|---|---|---|---|---|---|---|---|---|"
for kind in planted perturbed; do
    for k in 2 3; do
        enum_alive=1
        for n in 10 15 20 30 100 300 1000 3000 10000; do
            r=$(mean_time "$kind" "$n" 2 "$k" convex)
            set -- $r
            ct=$1
            row="| $kind | $k | $n | $ct | ${2:--} | ${3:--} | ${4:--}"
            if [ "$enum_alive" = 1 ]; then
                e=$(mean_time "$kind" "$n" 2 "$k" enum)
                set -- $e
                if [ "$1" = timeout ]; then
                    enum_alive=0
                    row="$row | > $limit | -"
                else
                    ratio=$(awk -v a="$1" -v b="$ct" \
                        'BEGIN { if (b > 0) printf "%.0f", a / b; else print "-" }')
                    row="$row | $1 | $ratio"
                fi
            else
                row="$row | not run | -"
            fi
            echo "$row |"
        done
    done
done
