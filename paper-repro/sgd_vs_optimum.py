#!/usr/bin/env python3
"""How often does gradient training find the global optimum?

Exact solvers prove the optimum of small instances, so the success rate
of SGD restarts can be measured against the truth instead of against
the best run.  This script runs `xtrain compare` on planted instances (a
teacher network fits the data exactly) and on sgd-trap instances (the
1-D hat, XOR, and instances found by a search for SGD failures), for
plain SGD, heavy-ball momentum, Nesterov and Adam (D. P. Kingma and
J. Ba, ICLR 2015), each with a constant rate, a cosine schedule
(I. Loshchilov and F. Hutter, "SGDR", ICLR 2017) and a large initial rate
annealed to a tenth halfway through.  A restart succeeds when its exact
final loss is within 1/1000000 of the proven optimum.
"""

import os
from fractions import Fraction

import common

INSTANCES = ["hat", "xor", "trap-search-d1", "planted-d1-k2",
             "planted-d2-k2"]
QUICK_INSTANCES = ["hat", "planted-d1-k2"]

# Optimizer, the rate of the constant and cosine schedules, and the large
# initial rate of the annealed schedule (ten times larger).
OPTIMIZERS = [("sgd", 0.05), ("momentum", 0.01), ("nesterov", 0.01),
              ("adam", 0.01)]
SCHEDULES = ["constant", "cosine", "anneal"]


def configs(quick):
    chosen = []
    for optimizer, lr in OPTIMIZERS:
        for schedule in SCHEDULES:
            rate = lr * 10 if schedule == "anneal" else lr
            chosen.append(("%s/%s" % (optimizer, schedule),
                           ["--optimizer", optimizer, "--lr", rate,
                            "--schedule", schedule]))
    if quick:
        chosen = [chosen[0], chosen[2], chosen[-1]]
    return chosen


def main():
    args = common.parse_args("sgd_vs_optimum", __doc__)
    if not common.has_command(args, "compare"):
        common.skip("this xtrain has no compare command")
    data = os.path.join(common.HERE, "..", "instances", "data")
    instances = QUICK_INSTANCES if args.quick else INSTANCES
    restarts, epochs = (4, 200) if args.quick else (50, 2000)
    chosen = configs(args.quick)

    rates = {name: [] for name, _ in chosen}
    rows = []
    for inst in instances:
        path = os.path.join(data, inst + ".txt")
        for name, words in chosen:
            result = common.xtrain(args, "compare", path, "--json", "-r",
                                   restarts, "-e", epochs, "--seed", 1,
                                   *words).json()
            within = result["success"]["within_tolerance"]
            rates[name].append(within / restarts)
            sgd = result["sgd"]
            best = sgd.get("best")
            rows.append([inst, result["exact"]["optimum"], name, sgd["lr"],
                         "%d / %d" % (within, restarts),
                         "%.3g" % Fraction(best) if best else "-",
                         sgd["diverged"]])

    common.print_table(["instance", "optimum", "optimizer/schedule", "lr",
                        "successes", "best SGD loss", "diverged"], rows,
                       "SGD restarts against the exact optimum (%d restarts "
                       "of %d epochs each, seed 1)" % (restarts, epochs))
    summary = [[name] + ["%.2f" % r for r in rates[name]]
               for name, _ in chosen]
    common.print_table(["optimizer/schedule"] + instances, summary,
                       "Success rate by instance")

    figure = common.Figure("SGD success rate against the exact optimum",
                           "optimizer / schedule", "fraction of restarts",
                           width=900, height=420, bottom=110)
    figure.bar_groups([name for name, _ in chosen],
                      [(inst, [rates[name][i] for name, _ in chosen])
                       for i, inst in enumerate(instances)])
    path = figure.save(os.path.join(args.out, "success.svg"))
    print("figure: %s" % path)
    # The claim is qualitative: on the trap instances SGD often misses the
    # optimum, which the exact solver proves.
    missed = any(r < 1 for name in rates for r in rates[name])
    print("claim reproduced: some restarts miss the proven optimum"
          if missed else "CLAIM NOT REPRODUCED: every restart succeeded")
    return 0 if missed else 1


if __name__ == "__main__":
    raise SystemExit(main())
