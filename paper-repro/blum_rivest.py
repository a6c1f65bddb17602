#!/usr/bin/env python3
"""Blum and Rivest: training a 3-node threshold network is NP-complete.

A. Blum and R. L. Rivest, "Training a 3-node neural network is
NP-complete", Neural Networks 5(1), 1992, reduce Set Splitting to
training a network of two hidden threshold neurons and a threshold
output.  This script

1. runs the reduction on the worked example S = {1, 2, 3},
   c1 = {1, 2}, c2 = {2, 3}: it lists the splittings by brute force, maps
   each forward to a network and checks it exactly, solves the training
   instance exactly and maps the solver's network back to a splitting;
2. shows the NO example (the triangle {1,2}, {2,3}, {1,3}): no
   splitting, and the exact solver proves the training instance
   infeasible;
3. runs xtrain's reduction verifier on every set system up to a size,
   and on a deliberately broken variant (no six-point gadget), which the
   verifier must catch.
"""

import os

import common

WORKED = "c worked example\np set 3 2\n1 2 0\n2 3 0\n"
TRIANGLE = "c the triangle: no splitting\np set 3 3\n1 2 0\n2 3 0\n1 3 0\n"


def write(args, name, text):
    path = os.path.join(args.out, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def certificates(text):
    """Returns the v lines of a certificate listing, one string each."""
    return [line for line in text.splitlines() if line.startswith("v ")]


def splitting(cert):
    """Formats a v line ("v -1 2 -3 0") as the two parts of a split."""
    values = [int(v) for v in cert.split()[1:] if v != "0"]
    first = [str(v) for v in values if v > 0]
    second = [str(-v) for v in values if v < 0]
    return "S1 = {%s}, S2 = {%s}" % (", ".join(first), ", ".join(second))


def worked_example(args):
    source = write(args, "worked.set", WORKED)
    listing = common.xtrain(args, "reduce", "blum-rivest", source, "--solve")

    inst = os.path.join(args.out, "worked.txt")
    common.xtrain(args, "reduce", "blum-rivest", source, "-o", inst)
    rows = []
    ok = True
    for i, cert in enumerate(certificates(listing.stdout)):
        cert_path = write(args, "worked-%d.cert" % i, cert + "\n")
        net = os.path.join(args.out, "worked-%d.net" % i)
        common.xtrain(args, "reduce", "blum-rivest", source, "--forward",
                      cert_path, "-o", net)
        check = common.xtrain(args, "check", inst, net, "--json").json()
        ok &= check["meets_target"]
        rows.append([splitting(cert), "forward map",
                     "loss %s, target %s" % (check["loss"],
                                             "met" if check["meets_target"]
                                             else "MISSED")])

    solved = common.xtrain(args, "solve", inst, "--json")
    result = solved.json()
    net = os.path.join(args.out, "worked-solver.net")
    common.xtrain(args, "solve", inst, "-o", net)
    back = common.xtrain(args, "reduce", "blum-rivest", source, "--backward",
                         net)
    back_line = certificates(back.stdout)
    ok &= result["status"] == "feasible" and len(back_line) == 1
    rows.append(["exact solver", result["method"], result["status"]])
    rows.append(["solver network", "backward map",
                 splitting(back_line[0]) if back_line else "no splitting"])
    common.print_table(["item", "step", "result"], rows,
                       "Worked example: S = {1,2,3}, c1 = {1,2}, "
                       "c2 = {2,3} (12 points in 6 dimensions)")
    return ok


def no_example(args):
    source = write(args, "triangle.set", TRIANGLE)
    listing = common.xtrain(args, "reduce", "blum-rivest", source, "--solve",
                            allowed=(0, 1))
    inst = os.path.join(args.out, "triangle.txt")
    common.xtrain(args, "reduce", "blum-rivest", source, "-o", inst)
    solved = common.xtrain(args, "solve", inst, "--json", allowed=(0, 1))
    status = solved.json()["status"]
    rows = [["set splitting (brute force)",
             "no splitting" if "UNSATISFIABLE" in listing.stdout
             else "SPLITTABLE"],
            ["training instance (%s)" % solved.json()["method"], status]]
    common.print_table(["problem", "answer"], rows,
                       "NO example: the triangle {1,2}, {2,3}, {1,3}")
    return "UNSATISFIABLE" in listing.stdout and status == "infeasible"


def parse_summary(text):
    summary = {}
    for line in text.splitlines():
        parts = line.split(None, 1)
        if len(parts) == 2 and not line.startswith(" "):
            key = line[:19].strip()
            summary[key] = line[19:].strip()
    return summary


def verifier(args):
    sizes = [1, 2] if args.quick else [1, 2, 3, 4]
    rows, checks = [], []
    ok = True
    for size in sizes:
        run = common.xtrain(args, "reduce", "blum-rivest", "--verify",
                            "--exhaustive", "--max-size", size,
                            allowed=(0, 1))
        s = parse_summary(run.stdout)
        passed = run.status == 0 and "PASSED" in run.stdout
        ok &= passed
        rows.append([size, s.get("instances", "?"),
                     s.get("forward checks", "?"),
                     s.get("backward checks", "?"),
                     s.get("failed checks", "?"), "%.2f" % run.seconds,
                     "passed" if passed else "FAILED"])
        checks.append((size, s))
    broken_size = 2 if args.quick else 3
    counterexample = os.path.join(args.out, "broken-counterexample.set")
    run = common.xtrain(args, "reduce", "blum-rivest-broken", "--verify",
                        "--exhaustive", "--max-size", broken_size,
                        "--counterexample", counterexample, allowed=(0, 1))
    s = parse_summary(run.stdout)
    caught = run.status == 1
    ok &= caught
    rows.append(["broken, %d" % broken_size, s.get("instances", "?"),
                 s.get("forward checks", "?"), s.get("backward checks", "?"),
                 s.get("failed checks", "?"), "%.2f" % run.seconds,
                 "caught" if caught else "NOT CAUGHT"])
    common.print_table(["max size", "instances", "forward checks",
                        "backward checks", "failed", "seconds", "verdict"],
                       rows, "Verifier on every set system up to a size "
                       "(elements and subsets)")
    if caught and os.path.exists(counterexample):
        print("smallest counterexample for the broken reduction (%s):"
              % counterexample)
        print(open(counterexample).read())

    figure = common.Figure("Blum-Rivest verifier: checks per size",
                           "max size", "checks")
    groups = [str(size) for size, _ in checks]

    def number(s, key):
        return float(s.get(key, "0").split()[0])

    figure.bar_groups(groups, [
        ("forward checks", [number(s, "forward checks") for _, s in checks]),
        ("backward checks", [number(s, "backward checks")
                             for _, s in checks]),
        ("solver runs", [number(s, "solver runs") for _, s in checks])])
    figure.save(os.path.join(args.out, "verifier.svg"))
    return ok


def main():
    args = common.parse_args("blum_rivest", __doc__)
    if not common.has_command(args, "reduce"):
        common.skip("this xtrain has no reduce command")
    ok = worked_example(args)
    ok &= no_example(args)
    ok &= verifier(args)
    print("figure: %s" % os.path.join(args.out, "verifier.svg"))
    print("claim reproduced" if ok else "CLAIM NOT REPRODUCED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
