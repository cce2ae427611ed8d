#!/usr/bin/python3
"""Peer reference: the workloads of the Java benchmarks in PyTorch on the same CPU, for side-by-side ratios.

Setup (Debian, as root): apt-get install -y python3-torch libopenblas0-pthread dataset-fashion-mnist
(without libopenblas0-pthread, Debian's PyTorch falls back to the reference BLAS and is ~50x slower).
Run from the repository root: /usr/bin/python3 bench/pytorch_reference.py [--threads 2] [--quick] [--data DIR]
[--only NAME,...] (as EngineBench's --only: cnn-small, resnet-8, resnet-20, resnet-20.3x32x32, mobilenet, adaround)
or [--profile MODEL] (torch.profiler's operator table of 5 training steps, beside the engine's LayerProfile).
Prints one line per figure: `name value unit`; the sgemm, train and infer lines carry the names that
org.ternsweep.bench.EngineBench prints, so the two outputs line up (docs/BENCHMARKS.md).
The architectures are those of docs/spec.md §7, ternsweep's resnet-20 (on Fashion-MNIST's 1x28x28 and on random
3x32x32 images, the work CIFAR-10 would take) and the MobileNet-style network of nets/mobilenet.onnx
(scripts/make-onnx-fixtures.py), as trained (with BatchNorm) and as the file holds it (BatchNorm folded into the
convolutions' biases, which is what the engine imports, trains and evaluates).
"""
import argparse, gzip, os, time

import numpy as np
import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=os.cpu_count())
p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
p.add_argument("--quick", action="store_true", help="fewer images, for a fast look")
p.add_argument("--only", help="comma-separated workloads to time (default all)")
p.add_argument("--profile", metavar="MODEL", help="instead: torch.profiler's table of 5 training steps (batch 128, "
               "Adam) of cnn-small, resnet-8, resnet-20 or mobilenet.folded, to set beside LayerProfile/BlockProfile")
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


def resnet_20(channels=1):
    """ternsweep's resnet-20: stem conv 3x3 16 + BN + ReLU, 3 stages x 3 basic blocks at 16/32/64 (stride 2 and a
    1x1 conv + BN projection at the first block of stages 2 and 3), global average pool, linear."""
    layers, cin = [nn.Conv2d(channels, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()], 16
    for cout, stride in ((16, 1), (32, 2), (64, 2)):
        for b in range(3):
            layers.append(Block(cin, cout, stride if b == 0 else 1))
            cin = cout
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))


class MobileNet(nn.Module):
    """scripts/make-onnx-fixtures.py's MobileNet-style network; folded=True is the graph nets/mobilenet.onnx holds:
    BatchNorm folded into the convolutions, which then carry biases."""

    def __init__(self, folded=False):
        super().__init__()
        def bn(c):
            return nn.Identity() if folded else nn.BatchNorm2d(c)
        layers = [nn.Conv2d(1, 32, 3, 2, 1, bias=folded), bn(32), nn.ReLU6()]
        cin = 32
        for cout, stride in ((64, 1), (128, 2), (128, 1), (256, 1)):
            layers += [nn.Conv2d(cin, cin, 3, stride, 1, groups=cin, bias=folded), bn(cin), nn.ReLU6(),
                       nn.Conv2d(cin, cout, 1, bias=folded), bn(cout), nn.ReLU6()]
            cin = cout
        self.features = nn.Sequential(*layers)
        self.pool = nn.AvgPool2d(7, count_include_pad=False)
        self.weight = nn.Parameter(torch.empty(cin, 10))
        self.bias = nn.Parameter(torch.zeros(10))
        nn.init.kaiming_uniform_(self.weight.T, a=5 ** 0.5)

    def forward(self, x):
        x = torch.flatten(self.pool(self.features(x)), 1)
        return torch.matmul(x, self.weight) + self.bias


def bench_model(name, make, train_images, data=None, warmup=False):
    """Adam training at batch 128, then evaluation of 10 000 images at batch 500. warmup: one untimed training pass
    over min(train_images, 1280) images and one evaluation of 1 000 images first, as EngineBench does."""
    x_train, y_train, x_test, y_test = data or (xtr, ytr, xte, yte)
    model = make()
    print(f"{name}.params {sum(q.numel() for q in model.parameters())} count")
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    model.train()
    for n in ((min(train_images, 1280),) if warmup else ()) + (train_images,):
        start = time.perf_counter()
        for i in range(0, n, 128):
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x_train[i:i + 128]), y_train[i:i + 128])
            loss.backward()
            opt.step()
        dt = time.perf_counter() - start
    print(f"{name}.train {train_images / dt:.0f} images/s")
    model.eval()
    for n in ((1000,) if warmup else ()) + (10000,):
        correct = 0
        start = time.perf_counter()
        with torch.no_grad():
            for i in range(0, n, 500):
                correct += (model(x_test[i:i + 500]).argmax(1) == y_test[i:i + 500]).sum().item()
        dt = time.perf_counter() - start
    print(f"{name}.infer {10000 / dt:.0f} images/s")


def random_images(channels, side, train_images):
    """Uniform [0, 1) images and cyclic labels: throughput does not depend on the pixel values."""
    g = torch.Generator().manual_seed(2)
    return (torch.rand(train_images, channels, side, side, generator=g), torch.arange(train_images) % 10,
            torch.rand(10000, channels, side, side, generator=g), torch.arange(10000) % 10)


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


def profile(name):
    """Where PyTorch's training time goes, by operator: what the engine's LayerProfile shows by layer."""
    from torch.profiler import profile as torch_profile, ProfilerActivity
    make = {"cnn-small": cnn_small, "resnet-8": resnet_8, "resnet-20": resnet_20,
            "mobilenet.folded": lambda: MobileNet(folded=True)}[name]
    model, x, y = make(), xtr[:128], ytr[:128]
    opt = torch.optim.Adam(model.parameters(), 1e-3)

    def step():
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()

    for _ in range(3):
        step()
    with torch_profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(5):
            step()
    print(f"threads {torch.get_num_threads()} count; {name}, 5 training steps of 128 images")
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=12))


if a.profile:
    profile(a.profile)
    raise SystemExit(0)

only = set(a.only.split(",")) if a.only else None


def wanted(name):
    return only is None or name in only


print(f"threads {torch.get_num_threads()} count")
bench_sgemm()
if wanted("cnn-small"):
    bench_model("cnn-small", cnn_small, 12800 if a.quick else 60000)
if wanted("resnet-8"):
    bench_model("resnet-8", resnet_8, 6400 if a.quick else 12800)
res20 = 640 if a.quick else 2560
if wanted("resnet-20"):
    bench_model("resnet-20", resnet_20, res20, warmup=True)
if wanted("resnet-20.3x32x32"):
    bench_model("resnet-20.3x32x32", lambda: resnet_20(3), res20, random_images(3, 32, res20), warmup=True)
if wanted("mobilenet"):
    bench_model("mobilenet", MobileNet, 1280 if a.quick else 6400, warmup=True)
    bench_model("mobilenet.folded", lambda: MobileNet(folded=True), 1280 if a.quick else 6400, warmup=True)
if wanted("adaround"):
    bench_adaround_step()
