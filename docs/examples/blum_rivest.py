#!/usr/bin/env python3
"""Set Splitting -> 3-node threshold network, written outside xtrain.

A worked example of an external reduction: the construction of Blum and
Rivest ("Training a 3-node neural network is NP-complete", Neural
Networks 5(1), 1992) as four small commands that read and write xtrain's
file formats.  blum-rivest.spec lists the command lines that
`xtrain reduce --external` runs:

    blum_rivest.py map SOURCE INSTANCE
    blum_rivest.py forward SOURCE CERTIFICATE NETWORK
    blum_rivest.py backward SOURCE INSTANCE NETWORK CERTIFICATE
    blum_rivest.py solve SOURCE OUTPUT

Only the standard library is used.  Numbers are integers or fractions
written as text, so nothing passes through floating point.
"""

import sys
from fractions import Fraction
from itertools import product

# The six gadget points on the last three coordinates, with labels.
GADGET = [((1, 0, 1), 1), ((0, 1, 1), 1),
          ((1, 0, 0), 0), ((0, 1, 0), 0), ((0, 0, 1), 0), ((1, 1, 1), 0)]


def read_source(path):
    """Return (n, subsets) from a "p set N M" file."""
    n, subsets, current = None, [], []
    with open(path) as f:
        for line in f:
            words = line.split()
            if not words or words[0] == "c":
                continue
            if words[0] == "p":
                n = int(words[2])
                continue
            for word in words:
                value = int(word)
                if value == 0:
                    subsets.append(current)
                    current = []
                else:
                    current.append(value)
    if n is None:
        sys.exit(f"{path}: missing header line \"p set N M\"")
    return n, subsets


def read_certificate(path, n):
    """Return the first certificate of a file of v lines as n 0/1 values."""
    values = [0] * n
    with open(path) as f:
        for line in f:
            words = line.split()
            if not words or words[0] != "v":
                continue
            for word in words[1:]:
                literal = int(word)
                if literal == 0:
                    return values
                values[abs(literal) - 1] = 1 if literal > 0 else 0
    sys.exit(f"{path}: no certificate")


def write_certificates(path, certificates):
    with open(path, "w") as f:
        f.write("s SATISFIABLE\n" if certificates else "s UNSATISFIABLE\n")
        for values in certificates:
            literals = [str(v + 1 if bit else -(v + 1))
                        for v, bit in enumerate(values)]
            f.write("v " + " ".join(literals) + " 0\n")


def command_map(source, instance):
    n, subsets = read_source(source)
    d = n + 3
    rows = [([0] * d, 1)]
    for i in range(n):
        point = [0] * d
        point[i] = 1
        rows.append((point, 0))
    for subset in subsets:
        point = [0] * d
        for element in subset:
            point[element - 1] = 1
        rows.append((point, 1))
    for extra, label in GADGET:
        rows.append(([0] * n + list(extra), label))
    with open(instance, "w") as f:
        f.write("xtrain-instance 1\n")
        f.write(f"inputs {d}\nhidden 2\nactivation threshold\n")
        f.write("loss zero-one\ntarget 0\noutput-bias yes\n")
        f.write(f"data {len(rows)}\n")
        for point, label in rows:
            f.write(" ".join(map(str, point)) + f" {label}\n")


def plane(values, part, n, sign):
    """Weights and bias of "on the origin's side": a.x + 1/2 > 0."""
    weights = [-1 if values[i] == part else n for i in range(n)]
    weights += [sign, sign, -sign]
    return weights, Fraction(1, 2)


def command_forward(source, certificate, network):
    n, _ = read_source(source)
    values = read_certificate(certificate, n)
    neurons = [plane(values, 1, n, 1), plane(values, 0, n, -1)]
    with open(network, "w") as f:
        f.write(f"xtrain-network 1\ninputs {n + 3}\nhidden 2\noutputs 1\n")
        f.write("activation threshold\noutput-activation threshold\n")
        f.write("output-bias yes\n")
        for weights, bias in neurons:
            f.write("neuron " + " ".join(map(str, weights)) +
                    f" {bias} 1\n")
        f.write("output-bias-values -3/2\n")


def read_network(path):
    """Return the (w, b) pairs of the hidden neurons as Fractions."""
    d, neurons = None, []
    with open(path) as f:
        for line in f:
            words = line.split("#")[0].split()
            if not words:
                continue
            if words[0] == "inputs":
                d = int(words[1])
            elif words[0] == "neuron":
                numbers = [Fraction(word) for word in words[1:]]
                neurons.append((numbers[:d], numbers[d]))
    return neurons


def command_backward(source, instance, network, certificate):
    n, _ = read_source(source)
    (w, b), _ = read_network(network)[:2]
    origin = b > 0
    values = [1 if (w[i] + b > 0) != origin else 0 for i in range(n)]
    write_certificates(certificate, [values])


def command_solve(source, output):
    n, subsets = read_source(source)
    found = []
    for values in product((0, 1), repeat=n):
        if all(0 < sum(values[e - 1] for e in s) < len(s) for s in subsets):
            found.append(list(values))
    write_certificates(output, found)


COMMANDS = {"map": (command_map, 2), "forward": (command_forward, 3),
            "backward": (command_backward, 4), "solve": (command_solve, 2)}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit("usage: blum_rivest.py map|forward|backward|solve FILES...")
    function, count = COMMANDS[sys.argv[1]]
    if len(sys.argv) != count + 2:
        sys.exit(f"blum_rivest.py {sys.argv[1]}: expected {count} files")
    function(*sys.argv[2:])
