#!/usr/bin/python3
"""Peer reference: the workloads of the Java benchmarks in PyTorch on the same CPU, for side-by-side ratios.

Setup (Debian, as root): apt-get install -y python3-torch libopenblas0-pthread dataset-fashion-mnist
(without libopenblas0-pthread, Debian's PyTorch falls back to the reference BLAS and is ~50x slower).
Run from the repository root: /usr/bin/python3 bench/pytorch_reference.py [--threads 2] [--quick] [--data DIR]
Prints one line per figure: `name value unit`; the sgemm, train and infer lines carry the names that
org.ternsweep.bench.EngineBench prints, so the two outputs line up (docs/BENCHMARKS.md).
The architectures are those of docs/spec.md §7.
"""
import argparse, gzip, os, time

import numpy as np
import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=os.cpu_count())
p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
p.add_argument("--quick", action="store_true", help="fewer images, for a fast look")
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)


def idx(name, offset, shape):
    with gzip.open(os.path.join(a.data, name)) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset).reshape(shape)


xtr = torch.from_numpy(idx("train-images-idx3-ubyte.gz", 16, (-1, 1, 28, 28)).astype(np.float32) / 255)
ytr = torch.from_numpy(idx("train-labels-idx1-ubyte.gz", 8, (-1,)).astype(np.int64))
xte = torch.from_numpy(idx("t10k-images-idx3-ubyte.gz", 16, (-1, 1, 28, 28)).astype(np.float32) / 255)
yte = torch.from_numpy(idx("t10k-labels-idx1-ubyte.gz", 8, (-1,)).astype(np.int64))


def cnn_small():
    return nn.Sequential(
        nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(512, 128), nn.ReLU(), nn.Linear(128, 10))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.short = nn.Sequential()
        if cin != cout or stride != 1:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = torch.relu(self.b1(self.c1(x)))
        return torch.relu(self.b2(self.c2(y)) + self.short(x))


def resnet_8():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
        Block(16, 16, 1), Block(16, 32, 2), Block(32, 64, 2),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))


def bench_model(name, make, train_images):
    model = make()
    print(f"{name}.params {sum(q.numel() for q in model.parameters())} count")
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    model.train()
    start = time.perf_counter()
    for i in range(0, train_images, 128):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(xtr[i:i + 128]), ytr[i:i + 128])
        loss.backward()
        opt.step()
    dt = time.perf_counter() - start
    print(f"{name}.train {train_images / dt:.0f} images/s")
    model.eval()
    correct = 0
    start = time.perf_counter()
    with torch.no_grad():
        for i in range(0, 10000, 500):
            correct += (model(xte[i:i + 500]).argmax(1) == yte[i:i + 500]).sum().item()
    dt = time.perf_counter() - start
    print(f"{name}.infer {10000 / dt:.0f} images/s")


def bench_adaround_step(rows=1024, fan_in=256, fan_out=512, steps=200):
    """One AdaRound layer reconstruction: soft ternary rounding, rectified sigmoid, annealed regulariser."""
    w = torch.randn(fan_out, fan_in) * 0.05
    x = torch.randn(rows, fan_in)
    target = x @ w.t()
    lam = w.abs().amax(1, keepdim=True) * 2 / 3  # tquant level, per output channel
    zeta, gamma = 1.1, -0.1
    r = (w.abs() / lam).clamp(0, 1)
    v = (-torch.log((zeta - gamma) / (r.clamp(1e-4, 1 - 1e-4) - gamma) - 1)).requires_grad_(True)
    opt = torch.optim.Adam([v], 1e-3)
    start = time.perf_counter()
    for i in range(steps):
        h = (torch.sigmoid(v) * (zeta - gamma) + gamma).clamp(0, 1)
        wq = torch.sign(w) * lam * h
        beta = 20 - 18 * i / steps
        loss = ((x @ wq.t() - target) ** 2).sum(1).mean() + 0.01 * (1 - (2 * h - 1).abs().pow(beta)).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    dt = time.perf_counter() - start
    print(f"adaround.dense{fan_in}x{fan_out}.rows{rows}.step {dt / steps * 1000:.2f} ms")


def bench_sgemm(n=2048):
    x, y = torch.randn(n, n), torch.randn(n, n)
    x @ y
    start = time.perf_counter()
    for _ in range(5):
        x @ y
    dt = (time.perf_counter() - start) / 5
    print(f"sgemm{n} {2 * n ** 3 / dt / 1e9:.1f} GFLOP/s")


print(f"threads {torch.get_num_threads()} count")
bench_sgemm()
bench_model("cnn-small", cnn_small, 12800 if a.quick else 60000)
bench_model("resnet-8", resnet_8, 6400 if a.quick else 12800)
bench_adaround_step()
