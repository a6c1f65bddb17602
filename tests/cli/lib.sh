# Helpers for the command-line tests.  Each test script is run by ctest as
#   bash SCRIPT XTRAIN SOURCE_DIR BUILD_DIR
# and exits nonzero when a check fails.
XTRAIN=$1
SRC=$2
WORK=$(mktemp -d "${TMPDIR:-/tmp}/xtrain-cli-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# expect_exit CODE COMMAND...: runs COMMAND, saving stdout and stderr in
# $WORK/out and $WORK/err, and checks its exit status.
expect_exit() {
    local want=$1
    shift
    "$@" >"$WORK/out" 2>"$WORK/err"
    local got=$?
    if [ "$got" != "$want" ]; then
        fail "exit $got, expected $want: $*"
        sed 's/^/  stdout: /' "$WORK/out" >&2
        sed 's/^/  stderr: /' "$WORK/err" >&2
    fi
}

# expect_text FILE TEXT: FILE ($WORK/out or $WORK/err) contains TEXT.
expect_text() {
    if ! grep -qF -- "$2" "$1"; then
        fail "$(basename "$1") lacks \"$2\""
        sed 's/^/  got: /' "$1" >&2
    fi
}

# expect_one_line: stderr is exactly one line.
expect_one_line() {
    local lines
    lines=$(wc -l <"$WORK/err")
    [ "$lines" = 1 ] || fail "stderr has $lines lines, expected one"
}

finish() {
    if [ "$failures" != 0 ]; then
        echo "$failures failed" >&2
        exit 1
    fi
    echo "all checks passed"
}
