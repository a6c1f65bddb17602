# Runs every command of docs/tutorial.md, so the tutorial cannot go stale.
#
# The commands are the lines starting with "$ " inside ```console blocks
# (with "> " lines after them continuing the command).  They run in order,
# in one scratch folder, with xtrain on PATH and XTRAIN_DATA set as the
# tutorial's setup describes.  Each must exit 0, and each line shown after it
# must appear in its output: in full, or only the part before "..." when
# the line ends with "..." (for values that depend on timing).  A line
# that is just "..." stands for omitted output.
. "$(dirname "$0")/lib.sh"
TUTORIAL=$SRC/docs/tutorial.md

mkdir -p "$WORK/bin" "$WORK/tour" "$WORK/steps"
# The commands run in another folder: make both paths absolute.
ln -s "$(cd "$(dirname "$XTRAIN")" && pwd)/$(basename "$XTRAIN")" \
    "$WORK/bin/xtrain"
export PATH="$WORK/bin:$PATH"
export XTRAIN_DATA="$(cd "$SRC" && pwd)/instances/data"

# Split the tutorial into steps/N.cmd (the command) and steps/N.out (the
# output it shows).
awk -v dir="$WORK/steps" '
    /^```console[ \t]*$/ { inside = 1; next }
    /^```/ { inside = 0; continuation = 0; next }
    !inside { next }
    /^\$ / {
        n++
        print substr($0, 3) > (dir "/" n ".cmd")
        printf "" > (dir "/" n ".out")
        continuation = 1
        next
    }
    /^> / && continuation { print substr($0, 3) >> (dir "/" n ".cmd"); next }
    { continuation = 0; if (n) print >> (dir "/" n ".out") }
' "$TUTORIAL"

steps=$(find "$WORK/steps" -name '*.cmd' | wc -l)
[ "$steps" -ge 20 ] || fail "found only $steps commands in $TUTORIAL"

for ((i = 1; i <= steps; i++)); do
    command=$(cat "$WORK/steps/$i.cmd")
    (cd "$WORK/tour" && timeout 300 bash -c "$command") \
        >"$WORK/out" 2>&1
    status=$?
    if [ "$status" != 0 ]; then
        fail "step $i exited with $status: $command"
        sed 's/^/  output: /' "$WORK/out" >&2
        continue
    fi
    while IFS= read -r line; do
        line=${line%"${line##*[![:space:]]}"}
        case $line in
        "" | "...") continue ;;
        *...) line=${line%...} ;;
        esac
        if ! grep -qF -- "$line" "$WORK/out"; then
            fail "step $i ($command): output lacks \"$line\""
            sed 's/^/  output: /' "$WORK/out" >&2
        fi
    done <"$WORK/steps/$i.out"
done
echo "ran $steps tutorial commands"
finish
