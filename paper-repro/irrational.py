#!/usr/bin/env python3
"""Training instances whose optimal networks need irrational weights.

With one output, the optimum of a rational instance is rational.  With
two outputs it need not be: training is complete for the existential
theory of the reals (M. Abrahamsen, L. Kleist and T. Miltzow, "Training
neural networks is ER-complete", NeurIPS 2021), and rational instances
can force weights of high algebraic degree (D. Bertschinger, C.
Hertrich, P. Jungeblut, T. Miltzow and S. Weber, "Training fully
connected neural networks is ER-complete", NeurIPS 2023).

xtrain's reduction `etr-ami` maps systems of constraints x = 1,
x + y = z, x * y = z to zero-error training of a two-output network with
linear hidden units and a sparse first layer.  This script

1. solves the ETR-INV golden-ratio system {x0 = 1, x1 + x0 = x2,
   x1 * x2 = x0} (the inversion x1 * x2 = 1 of ETR-INV written with the
   variable x0 = 1), whose solutions are irrational: x1 = (-1 +- sqrt 5)/2;
2. maps it to the two-output training instance and lets Z3 find a
   zero-error network, verified exactly, whose weights include roots of
   x^2 + x - 1, and maps that network back to a solution;
3. rounds the irrational weights to d decimals and computes the exact
   loss of the rounded network: it shrinks with d but is never 0, since
   the backward map is rational in the weights and the golden ratio is
   not rational;
4. repeats step 2 on random systems forced to have an irrational root
   (`--generate --algebraic`).
"""

import os
import re
from fractions import Fraction

import common

GOLDEN = ("c ETR-INV golden ratio: x1 * x2 = 1 with x2 = x1 + 1\n"
          "p etr-ami 3 3\nx0 = 1\nx1 + x0 = x2\nx1 * x2 = x0\n")


def find_roots(line):
    """Returns the (root-obj POLY INDEX) expressions of a line, with
    parentheses matched."""
    roots, start = [], line.find("(root-obj")
    while start >= 0:
        depth = 0
        for end in range(start, len(line)):
            depth += {"(": 1, ")": -1}.get(line[end], 0)
            if depth == 0:
                break
        roots.append(line[start:end + 1])
        start = line.find("(root-obj", end)
    return roots


def write(args, name, text):
    path = os.path.join(args.out, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def solution_rows(text):
    """Returns (variable, value, decimals) rows from v lines and their
    c comments."""
    rows, decimals = [], {}
    for line in text.splitlines():
        m = re.match(r"c (x\d+) = (\S+)", line)
        if m:
            decimals[m.group(1)] = m.group(2)
    for line in text.splitlines():
        m = re.match(r"v (x\d+) (.*)", line)
        if m:
            rows.append([m.group(1), m.group(2),
                         decimals.get(m.group(1), m.group(2))])
    return rows


def network_part(text):
    """Extracts the network text from a --train output: the header,
    neuron and output-bias lines with their comments, without the c/s/v
    lines of the backward map."""
    keep = []
    for line in text.splitlines():
        if line.startswith(("c ", "s ", "v ")) or line in ("c", "s", "v"):
            continue
        keep.append(line)
    return "\n".join(keep) + "\n"


def irrational_weights(network):
    """Lists each irrational weight's name, root-obj and decimals, in
    file order."""
    weights, pending = [], []
    for line in network.splitlines():
        if line.startswith(("neuron", "output-bias-values")):
            pending = find_roots(line)
        m = re.match(r"#\s+(\S+) = (\S+)", line)
        if m and pending:
            weights.append((m.group(1), pending.pop(0), m.group(2)))
    return weights


def rounded_network(network, digits):
    """Returns the network with every root-obj replaced by its decimal
    expansion cut to digits decimals (an exact rational)."""
    out = []
    lines = network.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(("neuron", "output-bias-values")):
            roots = find_roots(line)
            values = []
            for follow in lines[i + 1:]:
                m = re.match(r"#\s+\S+ = (\S+)", follow)
                if not m:
                    break
                values.append(m.group(1).rstrip("."))
            for root, value in zip(roots, values):
                whole, _, frac = value.partition(".")
                line = line.replace(root, whole + "." + frac[:digits], 1)
        if not line.startswith("#"):
            out.append(line)
    return "\n".join(out) + "\n"


def golden(args):
    system = write(args, "golden.etr", GOLDEN)
    solved = common.xtrain(args, "reduce", "etr-ami", system, "--solve")
    common.print_table(["variable", "value (exact)", "decimals"],
                       solution_rows(solved.stdout),
                       "The golden-ratio system, solved by Z3 and checked "
                       "with exact algebraic arithmetic")

    instance = os.path.join(args.out, "golden.txt")
    common.xtrain(args, "reduce", "etr-ami", system, "-o", instance)
    header = {}
    for line in open(instance):
        words = line.split()
        if len(words) == 2 and words[0] in ("inputs", "outputs", "hidden",
                                            "activation", "target", "data"):
            header[words[0]] = words[1]

    trained = common.xtrain(args, "reduce", "etr-ami", system, "--train")
    network = network_part(trained.stdout)
    write(args, "golden.net", network)
    weights = irrational_weights(network)
    back = solution_rows(trained.stdout[trained.stdout.find("c backward"):])

    rows = [[key, header.get(key, "?")] for key in
            ("data", "inputs", "outputs", "hidden", "activation", "target")]
    rows.append(["irrational weights in Z3's network", len(weights)])
    rows += [["  " + name, "%s = %s" % (root, value)]
             for name, root, value in weights]
    rows += [["backward map: " + v, d] for v, _, d in back]
    common.print_table(["training instance and network", "value"], rows,
                       "The two-output training instance (%.2f s for Z3)"
                       % trained.seconds)
    golden_root = "(root-obj (+ (^ x 2) x (- 1))"
    found = any(root.startswith(golden_root) for _, root, _ in weights)
    return network, instance, len(weights) > 0 and found


def rounding(args, network, instance):
    rows, points = [], []
    digits_list = [1, 2, 4] if args.quick else [1, 2, 3, 4, 6, 8, 12, 16]
    ok = True
    for digits in digits_list:
        path = write(args, "golden-%d.net" % digits,
                     rounded_network(network, digits))
        check = common.xtrain(args, "check", instance, path, "--json",
                              allowed=(0, 1)).json()
        loss = Fraction(check["loss"])
        ok &= loss > 0
        rows.append([digits, check["loss"] if len(check["loss"]) < 30
                     else "%.3e" % loss, "%.3e" % loss])
        points.append((digits, float(loss)))
    common.print_table(["decimals kept", "exact loss", "about"], rows,
                       "Z3's network with its irrational weights rounded")
    figure = common.Figure("Rounding the irrational weights: the exact "
                           "loss never reaches 0", "decimals kept",
                           "exact loss (l2)", log_y=True)
    figure.line("rounded network", points)
    figure.save(os.path.join(args.out, "rounding.svg"))
    return ok


def random_systems(args):
    seeds = [3] if args.quick else [1, 2, 3, 4, 5]
    rows = []
    for seed in seeds:
        system = os.path.join(args.out, "algebraic-%d.etr" % seed)
        common.xtrain(args, "reduce", "etr-ami", "--generate", "--algebraic",
                      "--seed", seed, "-o", system)
        trained = common.xtrain(args, "reduce", "etr-ami", system, "--train",
                                "--time-limit", 60, allowed=(0, 1, 3))
        weights = irrational_weights(network_part(trained.stdout))
        degrees = sorted({root.count("^ x") and
                          max(int(d) for d in re.findall(r"\^ x (\d+)", root))
                          or 1 for _, root, _ in weights})
        verdict = {0: "zero-error network", 1: "no network",
                   3: "undecided"}[trained.status]
        rows.append([seed, verdict, len(weights),
                     ", ".join(str(d) for d in degrees) or "-",
                     "%.2f" % trained.seconds])
    common.print_table(["seed", "Z3 on the training instance",
                        "irrational weights", "degrees", "seconds"], rows,
                       "Random systems forced to have an irrational root")
    return True


def main():
    args = common.parse_args("irrational", __doc__)
    if not common.has_command(args, "reduce"):
        common.skip("this xtrain has no reduce command")
    listing = common.xtrain(args, "reduce", "etr-ami", "--help",
                            allowed=(0, 2))
    if listing.status != 0:
        common.skip("this xtrain has no etr-ami reduction")
    network, instance, ok = golden(args)
    ok &= rounding(args, network, instance)
    ok &= random_systems(args)
    print("figure: %s" % os.path.join(args.out, "rounding.svg"))
    print("claim reproduced" if ok else "CLAIM NOT REPRODUCED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
