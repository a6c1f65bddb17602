"""Shared pieces of the paper-repro scripts: finding and running xtrain,
printing tables, and writing SVG figures with the standard library only.

Every script takes the same options:

    --quick        the smallest settings (the ctest smoke test uses them)
    --out DIR      where figures and intermediate files go
                   (default: paper-repro/out/SCRIPT)
    --xtrain PATH  the xtrain binary (default: $XTRAIN, then build/xtrain
                   next to this folder, then xtrain on PATH)

A script whose feature is missing from the build prints one line starting
with "SKIP:" and exits with status 77.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time

SKIP_STATUS = 77
HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args(name, description):
    """Parses the common options and prepares the output folder."""
    parser = argparse.ArgumentParser(prog=name, description=description)
    parser.add_argument("--quick", action="store_true",
                        help="smallest settings, for smoke tests")
    parser.add_argument("--out", help="folder for figures and files")
    parser.add_argument("--xtrain", help="path of the xtrain binary")
    args = parser.parse_args()
    args.xtrain = find_xtrain(args.xtrain)
    args.out = args.out or os.path.join(HERE, "out", name)
    os.makedirs(args.out, exist_ok=True)
    return args


def find_xtrain(given):
    candidates = [given, os.environ.get("XTRAIN"),
                  os.path.join(HERE, "..", "build", "xtrain"),
                  shutil.which("xtrain")]
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return os.path.abspath(path)
    sys.exit("error: xtrain not found: build it (cmake --build build) or "
             "pass --xtrain PATH")


def skip(message):
    print("SKIP: " + message)
    sys.exit(SKIP_STATUS)


class Run:
    """The result of one xtrain command: exit status, output, seconds."""

    def __init__(self, status, stdout, stderr, seconds):
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds

    def json(self):
        return json.loads(self.stdout)


def xtrain(args, *words, allowed=(0,), cwd=None):
    """Runs xtrain with the given words; exits with a message when the
    exit status is not in allowed."""
    command = [args.xtrain] + [str(w) for w in words]
    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd)
    seconds = time.monotonic() - start
    if done.returncode not in allowed:
        sys.exit("error: %s exited with %d\n%s%s" % (
            " ".join(command), done.returncode, done.stdout, done.stderr))
    return Run(done.returncode, done.stdout, done.stderr, seconds)


def has_command(args, name):
    """Returns whether the xtrain build has the subcommand name."""
    done = subprocess.run([args.xtrain, "--help"], capture_output=True,
                          text=True)
    return any(line.split()[:1] == [name]
               for line in done.stdout.splitlines())


def has_method(args, method):
    """Returns whether this build knows `xtrain solve --method METHOD`.
    The method name is parsed before the instance is read, so an empty
    file is enough to find out."""
    done = subprocess.run([args.xtrain, "solve", os.devnull, "--method",
                           method], capture_output=True, text=True)
    return "unknown method" not in done.stderr


def help_mentions(args, command, text):
    """Returns whether `xtrain COMMAND --help` mentions text."""
    done = subprocess.run([args.xtrain, command, "--help"],
                          capture_output=True, text=True)
    return text in done.stdout


def print_table(headers, rows, title=None):
    """Prints rows (lists of values) under headers, columns aligned."""
    cells = [[str(h) for h in headers]] + [[str(v) for v in r] for r in rows]
    widths = [max(len(row[c]) for row in cells) for c in range(len(headers))]
    if title:
        print(title)
    for i, row in enumerate(cells):
        print("  ".join(v.ljust(w) if i == 0 or c == 0 else v.rjust(w)
                        for c, (v, w) in enumerate(zip(row, widths)))
              .rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print()


# ------------------------------------------------------------ figures

PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00",
           "#56b4e9", "#000000"]


def _escape(text):
    return (str(text).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def _ticks(lo, hi, count=6):
    if not hi > lo:
        return [lo]
    raw = (hi - lo) / (count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step)
    return [t * step for t in range(first, int(math.floor(hi / step)) + 1)]


def _log_ticks(lo, hi):
    """Tick positions (log10 of the values) on a log axis from 10^lo to
    10^hi: powers of ten, and 2 and 5 times them on short ranges."""
    factors = (1, 2, 5) if hi - lo < 2.5 else (1,)
    ticks = []
    for e in range(math.floor(lo), math.ceil(hi) + 1):
        for m in factors:
            t = e + math.log10(m)
            if lo <= t <= hi:
                ticks.append(t)
    return ticks


def _label(v, log):
    return "%g" % (10 ** v) if log else "%g" % v


class Figure:
    """A line or bar chart written as SVG.  Coordinates on log axes are
    given in data units; points that cannot be drawn there are dropped."""

    def __init__(self, title, x_label, y_label, log_x=False, log_y=False,
                 width=640, height=400, bottom=50):
        self.title, self.x_label, self.y_label = title, x_label, y_label
        self.log_x, self.log_y = log_x, log_y
        self.width, self.height, self.bottom = width, height, bottom
        self.series = []   # (name, points, dashed, colour index)
        self.bars = None   # (group names, [(series name, values)])

    def line(self, name, points, dashed=False, colour=None):
        """Adds a curve; curves given the same colour index share a
        colour (a measurement and its formula, say)."""
        if colour is None:
            colour = len(self.series)
        self.series.append((name, list(points), dashed, colour))

    def bar_groups(self, groups, series):
        self.bars = (list(groups), list(series))

    def _tx(self, v):
        return math.log10(v) if self.log_x else v

    def _ty(self, v):
        return math.log10(v) if self.log_y else v

    def _drawable(self, x, y):
        return ((not self.log_x or x > 0) and (not self.log_y or y > 0)
                and math.isfinite(x) and math.isfinite(y))

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            f.write(self._svg())
        return path

    def _svg(self):
        legend_width = 190
        left, top, right, bottom = 70, 40, 20, self.bottom
        pw = self.width - left - right
        ph = self.height - top - bottom
        out = ['<?xml version="1.0" encoding="UTF-8"?>',
               '<svg xmlns="http://www.w3.org/2000/svg" width="%d" '
               'height="%d" font-family="sans-serif">'
               % (self.width + legend_width, self.height),
               '<rect width="100%" height="100%" fill="#ffffff"/>',
               '<text x="%g" y="22" font-size="14" text-anchor="middle">'
               '%s</text>' % (left + pw / 2, _escape(self.title))]
        if self.bars:
            out += self._bar_body(left, top, pw, ph)
        else:
            out += self._line_body(left, top, pw, ph)
        out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" '
                   'stroke="#444444"/>' % (left, top, pw, ph))
        out.append('<text x="%g" y="%d" font-size="12" '
                   'text-anchor="middle">%s</text>'
                   % (left + pw / 2, self.height - 12, _escape(self.x_label)))
        out.append('<text x="16" y="%g" font-size="12" text-anchor="middle" '
                   'transform="rotate(-90 16 %g)">%s</text>'
                   % (top + ph / 2, top + ph / 2, _escape(self.y_label)))
        out.append("</svg>\n")
        return "\n".join(out)

    def _legend(self, x, y, entries):
        out = []
        for i, (name, colour, dashed) in enumerate(entries):
            yy = y + 18 * i
            dash = ' stroke-dasharray="6 3"' if dashed else ""
            out.append('<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="%s" '
                       'stroke-width="2.5"%s/>'
                       % (x, yy - 4, x + 22, yy - 4, colour, dash))
            out.append('<text x="%g" y="%g" font-size="11">%s</text>'
                       % (x + 28, yy, _escape(name)))
        return out

    def _line_body(self, left, top, pw, ph):
        points = [(self._tx(x), self._ty(y)) for _, pts, _, _ in self.series
                  for x, y in pts if self._drawable(x, y)]
        if not points:
            return ['<text x="%g" y="%g">no data</text>'
                    % (left + 10, top + 20)]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        xlo, xhi, ylo, yhi = min(xs), max(xs), min(ys), max(ys)
        if xhi == xlo:
            xlo, xhi = xlo - 1, xhi + 1
        pad = (yhi - ylo) / 20 if yhi > ylo else 1
        ylo, yhi = ylo - pad, yhi + pad

        def px(v):
            return left + (v - xlo) / (xhi - xlo) * pw

        def py(v):
            return top + (yhi - v) / (yhi - ylo) * ph

        out = self._grid(left, top, pw, ph, xlo, xhi, ylo, yhi, px, py)
        entries = []
        for name, pts, dashed, index in self.series:
            colour = PALETTE[index % len(PALETTE)]
            drawn = [(self._tx(x), self._ty(y)) for x, y in pts
                     if self._drawable(x, y)]
            if not drawn:
                continue
            path = " ".join(("M" if j == 0 else "L") + "%.2f %.2f"
                            % (px(x), py(y)) for j, (x, y) in enumerate(drawn))
            dash = ' stroke-dasharray="6 3"' if dashed else ""
            out.append('<path d="%s" fill="none" stroke="%s" '
                       'stroke-width="2"%s/>' % (path, colour, dash))
            if not dashed:
                out += ['<circle cx="%.2f" cy="%.2f" r="3" fill="%s"/>'
                        % (px(x), py(y), colour) for x, y in drawn]
            entries.append((name, colour, dashed))
        out += self._legend(left + pw + 16, top + 10, entries)
        return out

    def _grid(self, left, top, pw, ph, xlo, xhi, ylo, yhi, px, py):
        out = []
        xticks = _log_ticks(xlo, xhi) if self.log_x else _ticks(xlo, xhi)
        yticks = _log_ticks(ylo, yhi) if self.log_y else _ticks(ylo, yhi)
        for t in xticks:
            out.append('<line x1="%.2f" y1="%d" x2="%.2f" y2="%d" '
                       'stroke="#e3e3e3"/>' % (px(t), top, px(t), top + ph))
            out.append('<text x="%.2f" y="%d" font-size="11" '
                       'text-anchor="middle">%s</text>'
                       % (px(t), top + ph + 15, _label(t, self.log_x)))
        for t in yticks:
            out.append('<line x1="%d" y1="%.2f" x2="%d" y2="%.2f" '
                       'stroke="#e3e3e3"/>' % (left, py(t), left + pw, py(t)))
            out.append('<text x="%d" y="%.2f" font-size="11" '
                       'text-anchor="end">%s</text>'
                       % (left - 5, py(t) + 4, _label(t, self.log_y)))
        return out

    def _bar_body(self, left, top, pw, ph):
        groups, series = self.bars
        values = [v for _, vals in series for v in vals]
        yhi = max(values + [1e-12]) * 1.1
        out = []
        for t in _ticks(0, yhi):
            y = top + (yhi - t) / yhi * ph
            out.append('<line x1="%d" y1="%.2f" x2="%d" y2="%.2f" '
                       'stroke="#e3e3e3"/>' % (left, y, left + pw, y))
            out.append('<text x="%d" y="%.2f" font-size="11" '
                       'text-anchor="end">%g</text>' % (left - 5, y + 4, t))
        slot = pw / max(len(groups), 1)
        width = slot * 0.8 / max(len(series), 1)
        for g, group in enumerate(groups):
            # Group names slant so that long ones do not overlap.
            x, y = left + slot * (g + 0.5), top + ph + 14
            out.append('<text x="%.2f" y="%d" font-size="11" '
                       'text-anchor="end" transform="rotate(-35 %.2f %d)">'
                       '%s</text>' % (x, y, x, y, _escape(group)))
            for s, (_, vals) in enumerate(series):
                h = vals[g] / yhi * ph
                x = left + slot * g + slot * 0.1 + width * s
                out.append('<rect x="%.2f" y="%.2f" width="%.2f" '
                           'height="%.2f" fill="%s"/>'
                           % (x, top + ph - h, width, h,
                              PALETTE[s % len(PALETTE)]))
        entries = [(name, PALETTE[s % len(PALETTE)], False)
                   for s, (name, _) in enumerate(series)]
        out += self._legend(left + pw + 16, top + 10, entries)
        return out
