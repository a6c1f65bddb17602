#!/bin/sh
# Builds bench_smt against a built xtrain and runs the three SMT
# benchmarks; the tables go to stdout (docs/benchmarks.md, section "SMT
# backend", has the tables of one run).
#
#   bench/smt/run.sh BUILD_DIR [SEED] [LIMIT]
#
# BUILD_DIR contains libxtrain.a (cmake -S . -B BUILD_DIR && cmake --build
# BUILD_DIR).  LIMIT is the time limit per solver run in seconds
# (default 30).  cvc5 must be on PATH for the last table.
set -e
BUILD=${1:?usage: run.sh BUILD_DIR [SEED] [LIMIT]}
SEED=${2:-1}
LIMIT=${3:-30}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BIN=$BUILD/bench_smt

cc -std=c17 -O2 -D_POSIX_C_SOURCE=200809L -I"$SRC/include" \
    "$HERE/bench_smt.c" "$BUILD/libxtrain.a" -o "$BIN" \
    $(pkg-config --libs z3 mpfr gmp) -lglpk -lpthread -lm

echo "## ReLU as ite or as disjunction (seed $SEED, limit $LIMIT s)"
echo
"$BIN" encoding "$SEED" 8 "$LIMIT"
echo
echo "## SMT against enumeration (seed $SEED, limit $LIMIT s)"
echo
"$BIN" enum "$SEED" "$LIMIT"
echo
if command -v cvc5 >/dev/null; then
    echo "## Z3 against cvc5 on the exported files (seed $SEED, limit $LIMIT s)"
    echo
    "$BIN" cvc5 "$SEED" 8 "$LIMIT"
else
    echo "cvc5 is not installed: no Z3 against cvc5 table"
fi
