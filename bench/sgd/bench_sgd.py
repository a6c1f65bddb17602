#!/usr/bin/python3
"""Benchmark of the SGD core of xtrain against PyTorch, and success rates.

Usage: bench/sgd/bench_sgd.py [XTRAIN] [--write-docs]

1. Speed: epochs per second on n = 100 points, d = 2, k = 4, float64, the
   same model, optimizer, data and initial weights in xtrain and PyTorch,
   reported as a ratio.  PyTorch runs with one thread.
2. Agreement: after the same full-batch SGD run from the same initial
   weights, both final losses are printed; they should agree to rounding.
3. Success rates: on planted instances (a teacher with k ReLUs, so the
   exact optimum is 0 without running a solver) with k = 2..5, the share
   of 100 restarts (100 derived seeds) whose exact loss is at most 1e-6.

With --write-docs the results replace the "SGD core" section of
docs/benchmarks.md.  Needs the Debian package python3-torch (1.13); run it
with /usr/bin/python3 so that the Debian module path is used.
"""
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def write_instance(path, points, labels, k):
    with open(path, "w") as f:
        f.write("xtrain-instance 1\ninputs %d\nhidden %d\nloss l2\n"
                % (len(points[0]), k))
        f.write("data %d\n" % len(points))
        for x, y in zip(points, labels):
            f.write(" ".join(str(v) for v in x) + " %s\n" % y)


def teacher_labels(points, rng, k):
    """Labels of a random teacher with integer weights in [-2, 2]."""
    neurons = [([rng.randint(-2, 2) for _ in points[0]], rng.randint(-2, 2),
                rng.choice([-1, 1])) for _ in range(k)]
    labels = []
    for x in points:
        f = 0
        for w, b, a in neurons:
            f += a * max(0, sum(wi * xi for wi, xi in zip(w, x)) + b)
        labels.append(f)
    return labels


def planted(path, rng, n, k):
    points = [[rng.randint(-5, 5), rng.randint(-5, 5)] for _ in range(n)]
    write_instance(path, points, teacher_labels(points, rng, k), k)
    return points


def run_xtrain(xtrain, args):
    out = subprocess.run([xtrain, "sgd"] + args + ["--json"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def read_sgd_network(path):
    """Weights of an xtrain-sgd-network file (hex floats) as lists."""
    rows = {"neuron": [], "output": []}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts and parts[0] in rows:
                rows[parts[0]].append([float.fromhex(v) for v in parts[1:]])
    return rows


def torch_model(weights):
    hidden = torch.nn.Linear(2, 4).double()
    out = torch.nn.Linear(4, 1, bias=False).double()
    with torch.no_grad():
        for j, row in enumerate(weights["neuron"]):
            hidden.weight[j] = torch.tensor(row[:2], dtype=torch.float64)
            hidden.bias[j] = row[2]
        out.weight[0] = torch.tensor(weights["output"][0][:4],
                                     dtype=torch.float64)
    return torch.nn.Sequential(hidden, torch.nn.ReLU(), out)


def torch_train(weights, x, y, optimizer, lr, epochs, batch):
    """Trains like xtrain, minimizing the mean squared residual per batch.
    Returns the seconds taken and the final sum of squared residuals."""
    torch.manual_seed(0)
    model = torch_model(weights)
    if optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=lr)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=lr)
    n = x.shape[0]
    start = time.perf_counter()
    for _ in range(epochs):
        if batch < n:
            order = torch.randperm(n)
        for s in range(0, n, batch):
            if batch < n:
                idx = order[s:s + batch]
                xb, yb = x[idx], y[idx]
            else:
                xb, yb = x, y
            opt.zero_grad()
            loss = ((model(xb) - yb) ** 2).mean()
            loss.backward()
            opt.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        final = float(((model(x) - y) ** 2).sum())
    return seconds, final


def speed(xtrain, tmp):
    rng = random.Random(1)
    path = os.path.join(tmp, "speed.txt")
    points = planted(path, rng, 100, 4)
    init = os.path.join(tmp, "init.sgd")
    run_xtrain(xtrain, [path, "--epochs", "0", "--restarts", "1", "--save",
                        init])
    weights = read_sgd_network(init)
    data = [list(map(float, line.split()))
            for line in open(path).read().split("data 100\n")[1].splitlines()]
    x = torch.tensor([r[:2] for r in data], dtype=torch.float64)
    y = torch.tensor([[r[2]] for r in data], dtype=torch.float64)
    assert [list(map(float, p)) for p in points] == x.tolist()

    rows = []
    for optimizer, lr, batch in [("sgd", 0.001, 100), ("adam", 0.01, 100),
                                 ("sgd", 0.001, 10)]:
        torch_epochs = 2000 if batch == 100 else 500
        xt_epochs = 200000 if batch == 100 else 50000
        base = [path, "--init", init, "--restarts", "1", "--optimizer",
                optimizer, "--lr", str(lr)]
        if batch < 100:
            base += ["--batch", str(batch)]
        fast = run_xtrain(xtrain, base + ["--epochs", str(xt_epochs)])
        xt_rate = xt_epochs / fast["seconds"]
        same = run_xtrain(xtrain, base + ["--epochs", str(torch_epochs)])
        seconds, torch_loss = torch_train(weights, x, y, optimizer, lr,
                                          torch_epochs, batch)
        rows.append({
            "optimizer": optimizer, "lr": lr,
            "batch": "full" if batch == 100 else str(batch),
            "xtrain": xt_rate, "torch": torch_epochs / seconds,
            "epochs": torch_epochs,
            "xtrain_loss": same["best_loss_double"],
            "torch_loss": torch_loss,
        })
    return rows


SUCCESS_RUNS = [("adam", 0.01), ("sgd", 0.003)]


def success(xtrain, tmp):
    rows = []
    for k in range(2, 6):
        rng = random.Random(100 + k)
        path = os.path.join(tmp, "planted%d.txt" % k)
        planted(path, rng, 30, k)
        row = {"k": k}
        for optimizer, lr in SUCCESS_RUNS:
            out = run_xtrain(xtrain, [path, "--optimizer", optimizer, "--lr",
                                      str(lr), "--schedule", "cosine",
                                      "--epochs", "20000", "--restarts",
                                      "100", "--seed", "1"])
            losses = sorted(frac(l) for l in out["losses"] if l is not None)
            row[optimizer] = {
                "good": sum(1 for l in losses if l <= 1e-6),
                "zero": sum(1 for l in out["losses"] if l == "0"),
                "diverged": len(out["losses"]) - len(losses),
                "median": losses[len(losses) // 2] if losses else None,
            }
        rows.append(row)
    return rows


def frac(text):
    """Value of an exact rational string (rounded, for thresholds)."""
    from fractions import Fraction
    return float(Fraction(text))


def machine():
    model = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0]
    return "%s, %d cores, %s, PyTorch %s (1 thread), load average %.1f " \
        "at the start" % (model, os.cpu_count() or 0, platform.platform(),
                          torch.__version__, load)


def report(speed_rows, success_rows):
    lines = ["## SGD core", "",
             "Measured by `bench/sgd/bench_sgd.py` on %s." % machine(), "",
             "### Epochs per second, n = 100, d = 2, k = 4 (float64)", "",
             "Same data, model (no output bias), optimizer and initial "
             "weights in both.",
             "PyTorch runs one thread; its minibatches are shuffled by "
             "torch.randperm, so",
             "only full-batch runs are expected to give the same loss. "
             "Ratio: xtrain / PyTorch.",
             "Rates depend on the machine's load; the ratios vary less "
             "between runs.", "",
             "| optimizer | lr | batch | xtrain epochs/s | PyTorch epochs/s "
             "| ratio | loss after N epochs, xtrain | PyTorch | N |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in speed_rows:
        lines.append("| %s | %g | %s | %.0f | %.0f | %.0f | %.15g | %.15g "
                     "| %d |" % (r["optimizer"], r["lr"], r["batch"],
                                 r["xtrain"], r["torch"],
                                 r["xtrain"] / r["torch"], r["xtrain_loss"],
                                 r["torch_loss"], r["epochs"]))
    lines += ["", "### Success rate on planted instances", "",
              "n = 30 points with integer coordinates in [-5, 5]^2, labels "
              "from a teacher with k",
              "ReLUs (integer weights in [-2, 2]), so the exact optimum is "
              "0. A student with k",
              "neurons, He-normal initialization, 20000 full-batch epochs "
              "with a cosine",
              "schedule, 100 restarts (seeds derived from --seed 1). "
              "Success: exact loss <= 1e-6.", "",
              "| k | Adam lr 0.01: success | median loss | SGD lr 0.003: "
              "success | median loss | diverged (Adam / SGD) |",
              "|---|---|---|---|---|---|"]
    for r in success_rows:
        a, s = r["adam"], r["sgd"]
        lines.append("| %d | %d%% | %.3g | %d%% | %.3g | %d / %d |" % (
            r["k"], a["good"], a["median"], s["good"], s["median"],
            a["diverged"], s["diverged"]))
    zeros = sum(r[o]["zero"] for r in success_rows for o in ("adam", "sgd"))
    lines += ["", "Restarts whose exact loss is exactly 0: %d of %d (trained "
              "weights are" % (zeros, 100 * len(SUCCESS_RUNS) *
                               len(success_rows)),
              "generic doubles, so an exact zero needs luck)."]
    return "\n".join(lines) + "\n"


def write_docs(section):
    path = os.path.join(ROOT, "docs", "benchmarks.md")
    text = open(path).read() if os.path.exists(path) else \
        "# Benchmarks\n\n"
    pattern = re.compile(r"^## SGD core\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda m: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as f:
        f.write(text)


def main():
    args = [a for a in sys.argv[1:] if a != "--write-docs"]
    xtrain = args[0] if args else os.path.join(ROOT, "build", "xtrain")
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp:
        section = report(speed(xtrain, tmp), success(xtrain, tmp))
    print(section)
    if "--write-docs" in sys.argv:
        write_docs(section)


if __name__ == "__main__":
    main()
