#!/usr/bin/env python3
"""ETR-AMI to sparse linear networks: the reduction, checked by machine.

Training is complete for the existential theory of the reals (M.
Abrahamsen, L. Kleist and T. Miltzow, "Training neural networks is
ER-complete", NeurIPS 2021; for fully connected networks D.
Bertschinger, C. Hertrich, P. Jungeblut, T. Miltzow and S. Weber,
"Training fully connected neural networks is ER-complete", NeurIPS
2023).  xtrain's reduction `etr-ami`, a construction derived for xtrain
(docs/er-reduction.md has the proof), maps a system of constraints
x = 1, x + y = z, x * y = z to zero-error training of a two-output
network with linear hidden units and a sparse first layer.  This script

1. runs `xtrain reduce etr-ami --verify` on random systems (uniform,
   planted rational and planted algebraic in turn): Z3 decides each
   system and, separately, its training instance, and the answers must
   agree; forward networks and every network Z3 returns are checked
   exactly;
2. compares the size of every training instance with the declared
   formulas (points 4 + ones + adds + copies + 2 muls, inputs
   3 + vars + 2 copies + 2 muls, hidden 3 + muls);
3. prints the solve times of both sides against the instance size;
4. runs the exhaustive verification over every small system.

The claim is reproduced when every decision agrees, no check fails and
every size equals its formula.
"""

import csv
import os
import re
import statistics

import common


def verify(args, *words):
    """Runs the verifier; returns its output and the summary counts."""
    run = common.xtrain(args, "reduce", "etr-ami", "--verify", *words,
                        allowed=(0, 1, 3))
    counts = {}
    for key in ("systems", "agreements", "failed checks"):
        m = re.search(r"^%s\s+(\d+)" % key, run.stdout, re.M)
        counts[key] = int(m.group(1)) if m else -1
    return run, counts


def agreement_table(rows):
    """Rows of the agreement table, one per kind of system."""
    table, ok = [], True
    for plant in ("uniform", "rational", "algebraic"):
        mine = [r for r in rows if r["plant"] == plant]
        yes = sum(r["source"] == r["training"] == "yes" for r in mine)
        no = sum(r["source"] == r["training"] == "no" for r in mine)
        undecided = sum("unknown" in (r["source"], r["training"])
                        for r in mine)
        disagree = len(mine) - yes - no - undecided
        irrational = sum(int(r["irrational"]) > 0 for r in mine)
        failures = sum(int(r["failures"]) for r in mine)
        ok &= disagree == 0 and failures == 0
        table.append([plant, len(mine), yes, no, undecided, disagree,
                      irrational, failures])
    return table, ok


def size_table(rows):
    """Distinct size vectors with the measured and declared sizes."""
    seen, table, mismatches = set(), [], 0
    for r in rows:
        pairs = [(r[k], r["formula_" + k]) for k in ("points", "inputs",
                                                     "hidden")]
        mismatches += sum(a != b for a, b in pairs)
        key = tuple(r[k] for k in ("vars", "ones", "adds", "muls",
                                   "copies"))
        if key in seen:
            continue
        seen.add(key)
        table.append(list(key) + ["%s (%s)" % p for p in pairs])
    table.sort(key=lambda row: [int(v) for v in row[:5]])
    return table, mismatches


def time_table(rows):
    """Median and maximum solve times, grouped by instance points."""
    groups = {}
    for r in rows:
        lo = int(r["points"]) // 5 * 5
        groups.setdefault(lo, []).append(r)
    table = []
    for lo in sorted(groups):
        g = groups[lo]
        src = [float(r["source_seconds"]) for r in g]
        trn = [float(r["training_seconds"]) for r in g]
        table.append(["%d-%d" % (lo, lo + 4), len(g),
                      "%.3f" % statistics.median(src), "%.3f" % max(src),
                      "%.3f" % statistics.median(trn), "%.3f" % max(trn)])
    return table


def draw_times(args, rows):
    figure = common.Figure("Z3 on the training instance", "data points",
                           "seconds", log_y=True)
    for plant in ("uniform", "rational", "algebraic"):
        points = sorted((int(r["points"]), float(r["training_seconds"]))
                        for r in rows if r["plant"] == plant)
        if points:
            figure.line(plant + " systems", points)
    return figure.save(os.path.join(args.out, "times.svg"))


def random_systems(args):
    count, size = (6, 3) if args.quick else (60, 6)
    table_path = os.path.join(args.out, "random.csv")
    run, counts = verify(args, "--seed", 1, "--count", count, "--max-size",
                         size, "--variants", 1, "--table", table_path)
    with open(table_path) as f:
        rows = list(csv.DictReader(f))
    agreement, ok = agreement_table(rows)
    common.print_table(["systems", "count", "YES", "NO", "undecided",
                        "disagree", "irrational", "failed checks"],
                       agreement, "Random systems through the reduction "
                       "(seed 1, %d systems, up to %d variables, %.0f s)"
                       % (count, size, run.seconds))
    sizes, mismatches = size_table(rows)
    shown = sizes if len(sizes) <= 12 else sizes[::len(sizes) // 12 + 1]
    common.print_table(["vars", "ones", "adds", "muls", "copies",
                        "points (formula)", "inputs (formula)",
                        "hidden (formula)"], shown,
                       "Instance sizes against the declared formulas (%d of "
                       "%d distinct size vectors shown): %d mismatches in %d "
                       "instances" % (len(shown), len(sizes), mismatches,
                                      len(rows)))
    common.print_table(["points", "systems", "source median s",
                        "source max s", "training median s",
                        "training max s"], time_table(rows),
                       "Solve times (Z3 on the system, Z3 on the training "
                       "instance)")
    print("figure: %s\n" % draw_times(args, rows))
    ok &= mismatches == 0 and counts["failed checks"] == 0
    ok &= counts["agreements"] == counts["systems"] == count
    return ok


def exhaustive(args):
    size = 1 if args.quick else 2
    run, counts = verify(args, "--exhaustive", "--max-size", size,
                         "--variants", 1)
    summary = [line for line in run.stdout.splitlines()
               if line.split()[:1] in (["systems"], ["agreements"],
                                       ["backward"], ["failed"])]
    print("Every system with at most %d variables and %d constraints "
          "(%.0f s):" % (size, size, run.seconds))
    for line in summary:
        print("  " + line)
    print()
    return (counts["failed checks"] == 0 and
            counts["agreements"] == counts["systems"] > 0)


def main():
    args = common.parse_args("etr_ami", __doc__)
    if not common.has_command(args, "reduce"):
        common.skip("this xtrain has no reduce command")
    listing = common.xtrain(args, "reduce", "etr-ami", "--help",
                            allowed=(0, 2))
    if listing.status != 0:
        common.skip("this xtrain has no etr-ami reduction")
    ok = random_systems(args)
    ok &= exhaustive(args)
    print("claim reproduced" if ok else "CLAIM NOT REPRODUCED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
