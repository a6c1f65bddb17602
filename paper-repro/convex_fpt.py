#!/usr/bin/env python3
"""The convex case is fixed-parameter tractable.

V. Froese and C. Hertrich, "Training neural networks is NP-hard in fixed
dimension", NeurIPS 2023, show that exact fitting (target 0) by a network
whose output weights are all +1, so that it computes a convex function,
takes 2^{O(k^2 d)} poly(k, L) time: polynomial in the number of points
for fixed d and k.  The activation-pattern enumeration needs n^{O(dk)}
subproblems instead.  This script solves the same instances with both
(--method convex and --method enum) as n grows and checks that they
agree: planted instances (a convex teacher, so the instance is feasible)
and the same instances with one label moved (usually infeasible, where
both searches must finish).
"""

import os

import common


def instance(args, d, k, n, noise, seed):
    path = os.path.join(args.out, "convex-d%d-k%d-n%d%s.txt"
                        % (d, k, n, "-noise" if noise else ""))
    words = ["gen", "planted", "-d", d, "--teacher", k, "-n", n, "--convex",
             "--target", "0", "--seed", seed, "-o", path, "-q",
             "--coord-bound", max(5, n)]
    if noise:
        words += ["--noise", "1"]
    common.xtrain(args, *words)
    return path


def solve(args, path, method):
    run = common.xtrain(args, "solve", path, "--method", method, "--json",
                        allowed=(0, 1))
    result = run.json()
    return result["status"], run.seconds, result


def main():
    args = common.parse_args("convex_fpt", __doc__)
    if not common.has_method(args, "convex"):
        common.skip("this xtrain has no --method convex")
    cases = [(1, 3, [6, 10, 14, 20, 30, 40]), (2, 2, [6, 10, 14, 18, 24]),
             (2, 3, [6, 9, 12, 15])]
    if args.quick:
        cases = [(1, 2, [5, 8]), (2, 2, [6])]

    rows, ok = [], True
    series = {}
    for d, k, ns in cases:
        for noise in (False, True):
            for n in ns:
                path = instance(args, d, k, n, noise, seed=n)
                convex, convex_seconds, _ = solve(args, path, "convex")
                enum, enum_seconds, result = solve(args, path, "enum")
                agree = convex == enum
                ok &= agree
                rows.append([d, k, n, "moved" if noise else "planted",
                             convex, "%.3f" % convex_seconds, enum,
                             "%.3f" % enum_seconds,
                             result["statistics"]["subproblems"],
                             "yes" if agree else "NO"])
                key = (d, k, noise)
                series.setdefault(key, []).append(
                    (n, convex_seconds, enum_seconds))

    common.print_table(["d", "k", "n", "labels", "convex", "seconds",
                        "enum", "seconds", "enum subproblems", "agree"],
                       rows, "Exact fitting of convex networks: FPT search "
                       "against the enumeration")

    figure = common.Figure("Convex exact fitting: FPT search and "
                           "enumeration", "points n", "seconds", log_y=True)
    for i, ((d, k, noise), pts) in enumerate(series.items()):
        label = "d=%d k=%d %s" % (d, k, "moved" if noise else "planted")
        figure.line("enum, " + label, [(n, e) for n, _, e in pts], colour=i)
        figure.line("convex, " + label, [(n, c) for n, c, _ in pts],
                    dashed=True, colour=i)
    path = figure.save(os.path.join(args.out, "convex.svg"))
    print("figure: %s" % path)
    print("claim reproduced" if ok else "CLAIM NOT REPRODUCED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
