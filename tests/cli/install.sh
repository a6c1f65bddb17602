# The installed library works for a program outside the project, through
# the exported CMake package and through pkg-config.
. "$(dirname "$0")/lib.sh"
if [ -n "${XTRAIN_SANITIZE:-}" ]; then
    # An instrumented library needs the sanitizer runtime in every
    # consumer; the normal build runs this test.
    echo "skipped: sanitizer build"
    exit 77
fi
BUILD=$(dirname "$3")
PREFIX=$WORK/prefix

expect_exit 0 cmake --install "$BUILD" --prefix "$PREFIX"
[ -x "$PREFIX/bin/xtrain" ] || fail "xtrain was not installed"
[ -f "$PREFIX/include/xtrain/network.h" ] || fail "headers not installed"

# CMake: find_package(xtrain).
expect_exit 0 cmake -S "$SRC/tests/install" -B "$WORK/cmake-build" \
    -DCMAKE_PREFIX_PATH="$PREFIX"
expect_exit 0 cmake --build "$WORK/cmake-build"
expect_exit 0 "$WORK/cmake-build/consumer"
expect_text "$WORK/out" "3/2"

# pkg-config, static link.
export PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig
flags=$(pkg-config --cflags --libs --static xtrain) || fail "pkg-config failed"
expect_exit 0 cc -o "$WORK/consumer-pc" "$SRC/tests/install/consumer.c" $flags
expect_exit 0 "$WORK/consumer-pc"
expect_text "$WORK/out" "3/2"

finish
