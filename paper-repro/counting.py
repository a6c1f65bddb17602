#!/usr/bin/env python3
"""Counting claims behind the enumeration solver.

1. n points in general position in R^d have 2 * sum_{i<=d} C(n-1, i)
   affine dichotomies (T. M. Cover, "Geometrical and statistical
   properties of systems of linear inequalities with applications in
   pattern recognition", IEEE Trans. Electronic Computers, 1965).  The
   script counts them with xtrain on points of the moment curve
   (t, t^2, ..., t^d), which are in general position.

2. The activation-pattern enumeration solves O(n^{dk}) subproblems
   (R. Arora, A. Basu, P. Mianjy, A. Mukherjee, "Understanding deep
   neural networks with rectified linear units", ICLR 2018).  Without
   symmetry reduction (--naive) xtrain examines (2 D(n, d))^k patterns:
   a sign and a dichotomy per neuron.  D(n, d) grows like 2 n^d / d!, so
   the ratio to n^{dk} tends to (4 / d!)^k.
"""

import math
import os

import common


def cover(n, d):
    return 2 * sum(math.comb(n - 1, i) for i in range(d + 1))


def moment_instance(args, n, d, k):
    path = os.path.join(args.out, "moment-n%d-d%d-k%d.txt" % (n, d, k))
    common.xtrain(args, "gen", "moment", "-d", d, "-n", n, "-k", k,
                  "-o", path, "-q")
    return path


def count_dichotomies(args):
    sizes = {1: range(2, 13, 2), 2: range(3, 15, 2), 3: range(4, 14, 2)}
    if args.quick:
        sizes = {1: [4, 6], 2: [4, 6], 3: [5]}
    rows, lines = [], {}
    for d, ns in sizes.items():
        for n in ns:
            path = moment_instance(args, n, d, 1)
            stats = common.xtrain(args, "solve", path,
                                  "--json").json()["statistics"]
            want = cover(n, d)
            got = stats["dichotomies"]
            rows.append([d, n, got, want, "yes" if got == want else "NO"])
            lines.setdefault(d, []).append((n, got))
    common.print_table(["d", "n", "dichotomies (xtrain)",
                        "2 sum C(n-1, i) (Cover)", "equal"], rows,
                       "Affine dichotomies of n points on the moment curve")
    figure = common.Figure("Affine dichotomies: xtrain count and Cover's "
                           "formula", "points n", "dichotomies", log_y=True)
    for i, (d, pts) in enumerate(lines.items()):
        figure.line("xtrain, d = %d" % d, pts, colour=i)
        figure.line("Cover, d = %d" % d,
                    [(n, cover(n, d)) for n, _ in pts], dashed=True,
                    colour=i)
    figure.save(os.path.join(args.out, "dichotomies.svg"))
    return all(r[-1] == "yes" for r in rows)


def count_subproblems(args):
    cases = [(1, 1, range(4, 25, 4)), (1, 2, range(4, 13, 2)),
             (2, 1, range(4, 17, 3)), (2, 2, [4, 5, 6, 7]),
             (3, 1, [5, 7, 9, 11])]
    if args.quick:
        cases = [(1, 1, [4, 8]), (1, 2, [4, 6]), (2, 1, [4, 6])]
    rows, figure_lines = [], []
    ok = True
    for d, k, ns in cases:
        pts = []
        for n in ns:
            path = moment_instance(args, n, d, k)
            run = common.xtrain(args, "solve", path, "--json", "--naive")
            patterns = run.json()["statistics"]["patterns"]
            want = (2 * cover(n, d)) ** k
            ok &= patterns == want
            ratio = patterns / n ** (d * k)
            rows.append([d, k, n, patterns, want, n ** (d * k),
                         "%.3f" % ratio, "%.2f" % run.seconds])
            pts.append((n, patterns))
        limit = (4 / math.factorial(d)) ** k
        rows.append([d, k, "", "", "", "", "-> %.3f" % limit, ""])
        figure_lines.append((d, k, pts))
    common.print_table(["d", "k", "n", "patterns (--naive)",
                        "(2 D(n,d))^k", "n^(dk)", "ratio", "seconds"], rows,
                       "Patterns the enumeration examines against n^(dk)")
    figure = common.Figure("Enumeration size against n^(dk)", "points n",
                           "patterns examined", log_x=True, log_y=True)
    for i, (d, k, pts) in enumerate(figure_lines):
        figure.line("d = %d, k = %d" % (d, k), pts, colour=i)
        scale = pts[-1][1] / pts[-1][0] ** (d * k)
        figure.line("n^%d (scaled)" % (d * k),
                    [(n, scale * n ** (d * k)) for n, _ in pts], dashed=True,
                    colour=i)
    figure.save(os.path.join(args.out, "subproblems.svg"))
    return ok


def main():
    args = common.parse_args("counting", __doc__)
    ok = count_dichotomies(args)
    ok &= count_subproblems(args)
    print("figures: %s, %s" % (os.path.join(args.out, "dichotomies.svg"),
                               os.path.join(args.out, "subproblems.svg")))
    print("claim reproduced" if ok else "CLAIM NOT REPRODUCED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
