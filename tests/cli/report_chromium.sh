# xtrain report in a browser: headless Chromium renders the page from a
# local file.  The screenshot must not be blank and must show the shaded
# regions, and the console must stay silent.  Two control pages (a blank
# one and one with a script error) show that both checks can fail.
# Skips (exit 77) when /usr/bin/chromium or python3 is missing.
. "$(dirname "$0")/lib.sh"
DATA=$SRC/instances/data
CHROMIUM=/usr/bin/chromium

if [ ! -x "$CHROMIUM" ]; then
    echo "SKIP: $CHROMIUM not found (Debian: apt-get install chromium)"
    exit 77
fi
if ! command -v python3 >/dev/null; then
    echo "SKIP: python3 not found (needed to read the screenshot)"
    exit 77
fi

# render PAGE PNG SIZE: a screenshot of the local file PAGE, a window of
# SIZE CSS pixels drawn at half scale (to keep the pixel check fast), with
# the browser log (console messages included) in PNG.log.  Networking,
# updates and sync are off; the profile is a fresh temporary directory.
render() {
    local profile
    profile=$(mktemp -d "$WORK/profile-XXXXXX")
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update \
        --disable-sync --no-first-run --user-data-dir="$profile" \
        --enable-logging=stderr --v=0 --hide-scrollbars \
        --force-device-scale-factor=0.5 --window-size="$3" \
        --screenshot="$2" "file://$1" \
        >"$2.out" 2>"$2.log"
}

# console_messages LOG: the console lines Chromium logged.
console_messages() {
    grep -E ':CONSOLE[:(]' "$1"
}

# pixels PNG: prints "total nonwhite blue red" pixel counts of an 8-bit
# RGB or RGBA PNG (the only kinds Chromium writes).
pixels() {
    python3 - "$1" <<'PY'
import struct, sys, zlib

def rows(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * step
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - step] if i >= step else 0
            b = previous[i]
            c = previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        previous = line
        yield line, step

total = nonwhite = blue = red = 0
for line, step in rows(sys.argv[1]):
    for i in range(0, len(line), step):
        r, g, b = line[i], line[i + 1], line[i + 2]
        total += 1
        if r < 245 or g < 245 or b < 245:
            nonwhite += 1
        if b > 140 and r < 90:
            blue += 1
        if r > 150 and g < 90 and b < 90:
            red += 1
print(total, nonwhite, blue, red)
PY
}

# The report of XOR (d = 2): shaded regions, curves and tables.
expect_exit 0 "$XTRAIN" report "$DATA/xor.txt" -o "$WORK/xor.html" -r 4 \
    -e 300 -q
render "$WORK/xor.html" "$WORK/xor.png" 1200,4000 || fail "chromium failed on xor.html"
[ -s "$WORK/xor.png" ] || fail "no screenshot of xor.html"
if console_messages "$WORK/xor.png.log" >"$WORK/console"; then
    fail "console messages on xor.html: $(head -3 "$WORK/console")"
fi
read -r total nonwhite blue red < <(pixels "$WORK/xor.png")
echo "xor.html screenshot: $total pixels, $nonwhite not white," \
    "$blue blue, $red red"
[ "$((nonwhite * 50))" -gt "$total" ] ||
    fail "the screenshot is blank: $nonwhite of $total pixels not white"
[ "$blue" -gt 1500 ] || fail "no blue shading in the screenshot ($blue)"
[ "$red" -gt 100 ] || fail "no red shading in the screenshot ($red)"

# The DOM Chromium built contains every section and both figures.
profile=$(mktemp -d "$WORK/profile-XXXXXX")
timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$profile" \
    --dump-dom "file://$WORK/xor.html" >"$WORK/dom.html" 2>/dev/null
expect_text "$WORK/dom.html" "<h2>SGD loss curves</h2>"
expect_text "$WORK/dom.html" "<h2>Pictures</h2>"
[ "$(grep -o '<svg ' "$WORK/dom.html" | wc -l)" = 2 ] ||
    fail "the DOM lacks the two inline SVG figures"

# Controls: a blank page is judged blank, a script error is caught.
printf '<!DOCTYPE html><html><body></body></html>\n' >"$WORK/blank.html"
render "$WORK/blank.html" "$WORK/blank.png" 400,300
read -r total nonwhite blue red < <(pixels "$WORK/blank.png")
[ "$((nonwhite * 50))" -gt "$total" ] &&
    fail "the blank control page was not judged blank"
printf '<!DOCTYPE html><html><body><p>x</p><script>%s</script></body></html>\n' \
    'console.error("control message")' >"$WORK/noisy.html"
render "$WORK/noisy.html" "$WORK/noisy.png" 400,300
console_messages "$WORK/noisy.png.log" | grep -q "control message" ||
    fail "the console check missed the control page's console.error"

finish
