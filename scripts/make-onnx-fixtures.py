#!/usr/bin/python3
"""Train three small PyTorch networks on Fashion-MNIST and export them as the ONNX fixtures in nets/.

The fixtures are real networks from a real framework, for ternsweep's ONNX importer ("bring your own
network") and its tests, which never need PyTorch. Each fixture differs in architecture, opset, export
options and where the input normalisation lives, so that together they cover the importer's op paths:

  resnet20   He et al. (2016) CIFAR ResNet-20, 1x1 stride-2 conv+BN projection shortcuts; opset 13, default
             export (BN folded into Conv by torch's eval peephole); expects inputs normalised by the sweep's
             mean/std.
  vgg        3x3 convs + BN, max-pooling, two dense layers with dropout; opset 11, BN kept as separate
             BatchNormalization nodes, no constant folding; normalisation baked into the graph (Sub/Div by
             constants), so it takes [0, 1] pixels.
  mobilenet  depthwise-separable convs, ReLU6 (Clip), average pooling, MatMul + Add classifier; opset 17,
             default export; plain [0, 1] pixels, no normalisation anywhere.

Usage (Debian: apt-get install python3-torch python3-onnx dataset-fashion-mnist):

    nice -n 10 /usr/bin/python3 scripts/make-onnx-fixtures.py train [--only NAME ...] [--epochs N]
    /usr/bin/python3 scripts/make-onnx-fixtures.py verify --node-path /tmp/node_modules

`train` trains, evaluates PyTorch's accuracy on the full 10 000-image test set (eval mode, from the exact input
the ONNX file expects), exports nets/NAME.onnx and writes its entry in nets/fixtures.json (other entries are
kept). `verify` runs scripts/onnx-accuracy.mjs (ONNX Runtime for Node; `npm install --ignore-scripts
onnxruntime-node` in some directory and pass its node_modules) on every fixture and records ONNX Runtime's
accuracy and its per-image agreement with PyTorch's predictions in the JSON.

Training is deterministic for a given torch build and thread count (fixed seeds, deterministic algorithms,
2 threads); a different torch version or CPU may give slightly different weights, so regenerating changes the
.onnx files and their SHA-256 in the JSON.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import platform
import subprocess
import sys
import time
from collections import Counter

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NETS = os.path.join(REPO, "nets")
JSON_PATH = os.path.join(NETS, "fixtures.json")
DATA = "/usr/share/datasets/fashion-mnist"
THREADS = 2
# Fashion-MNIST's training-set pixel mean and standard deviation (after scaling to [0, 1]), rounded as
# users usually write them; the normalised fixtures use exactly these float values.
MEAN = 0.2860
STD = 0.3530
# Test images whose logits are recorded in the JSON, for importer tests that do not read the data set.
REFERENCE_IMAGES = 4


def read_idx(path):
    """Reads a gzip'ed IDX file (ubyte only) into a numpy array of its declared shape."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file (magic {raw[:4].hex()})")
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_split(data_dir, split):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    # Pixels to [0, 1] exactly as the Java side does: float32(byte) / 255.
    x = torch.from_numpy(images.astype(np.float32) / np.float32(255.0)).unsqueeze(1)
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


# ---------------------------------------------------------------------------------------------- networks

class BasicBlock(nn.Module):
    """conv3x3-BN-ReLU-conv3x3-BN plus shortcut (identity, or 1x1 stride-s conv + BN when the shape changes), ReLU."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNet20(nn.Module):
    """He et al. 2016's CIFAR ResNet-20 (3 stages x 3 basic blocks, 16/32/64 channels) on 1-channel input."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for cout, stride in ((16, 1), (32, 2), (64, 2)):
            for b in range(3):
                layers.append(BasicBlock(cin, cout, stride if b == 0 else 1))
                cin = cout
        self.layers = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.pool(self.layers(x))
        return self.fc(torch.flatten(x, 1))


class Vgg(nn.Module):
    """VGG-style: [conv3x3-BN-ReLU]x2, maxpool, [conv3x3-BN-ReLU]x2, maxpool, dense 3136->128, ReLU, dropout, dense.

    The input normalisation is part of the model (constant buffers), so the export contains Sub/Div nodes and the
    network takes [0, 1] pixels.
    """

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([MEAN], dtype=torch.float32).view(1, 1, 1, 1))
        self.register_buffer("std", torch.tensor([STD], dtype=torch.float32).view(1, 1, 1, 1))

        def cbr(cin, cout):
            return [nn.Conv2d(cin, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]

        self.features = nn.Sequential(*cbr(1, 32), *cbr(32, 32), nn.MaxPool2d(2),
                                      *cbr(32, 64), *cbr(64, 64), nn.MaxPool2d(2))
        self.fc1 = nn.Linear(64 * 7 * 7, 128)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = (x - self.mean) / self.std
        x = self.features(x)
        # view(-1, K) exports as Reshape with a constant shape; view(x.size(0), -1) would export a
        # Shape-Gather-Unsqueeze-Concat chain for the dynamic batch dimension.
        x = x.view(-1, 64 * 7 * 7)
        return self.fc2(self.drop(F.relu(self.fc1(x))))


class MobileNet(nn.Module):
    """MobileNet-style: conv3x3 stride-2 stem with BN and ReLU6, four depthwise-separable blocks (dw3x3-BN-ReLU6,
    pw1x1-BN-ReLU6), 7x7 average pooling, and a classifier written as matmul + bias (exports as MatMul + Add
    instead of Gemm)."""

    def __init__(self):
        super().__init__()
        layers = [nn.Conv2d(1, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU6()]
        cin = 32
        for cout, stride in ((64, 1), (128, 2), (128, 1), (256, 1)):
            layers += [nn.Conv2d(cin, cin, 3, stride, 1, groups=cin, bias=False), nn.BatchNorm2d(cin), nn.ReLU6(),
                       nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU6()]
            cin = cout
        self.features = nn.Sequential(*layers)
        # count_include_pad=False: with the default True, torch exports an all-zero Pad before AveragePool.
        self.pool = nn.AvgPool2d(7, count_include_pad=False)
        self.weight = nn.Parameter(torch.empty(cin, 10))
        self.bias = nn.Parameter(torch.zeros(10))
        nn.init.kaiming_uniform_(self.weight.T, a=5 ** 0.5)  # nn.Linear's default initialisation

    def forward(self, x):
        x = torch.flatten(self.pool(self.features(x)), 1)
        return torch.matmul(x, self.weight) + self.bias


# What each fixture is and how it is trained and exported. "normalisation" says where the mean/std live:
# "sweep" = the caller normalises (the sweep entry's mean/std), "graph" = Sub/Div nodes inside the file,
# "none" = plain [0, 1] pixels.
FIXTURES = {
    # One epoch for ResNet-20: it is the slowest of the three to train (about half an hour per epoch on two
    # idle cores).
    "resnet20": dict(
        model=ResNet20, epochs=1, lr=2e-3, seed=20, opset=13, training="eval", constant_folding=True,
        normalisation="sweep",
        architecture="He et al. (2016) CIFAR ResNet-20 on 1x28x28: conv3x3 1->16 (no bias), BN, ReLU; 3 stages x 3 "
                     "basic blocks (conv3x3-BN-ReLU-conv3x3-BN + shortcut, ReLU) at 16/32/64 channels, the first "
                     "block of stages 2 and 3 with stride 2 and a 1x1 stride-2 conv+BN projection shortcut; global "
                     "average pool; dense 64->10."),
    "vgg": dict(
        model=Vgg, epochs=3, lr=1e-3, seed=11, opset=11, training="preserve", constant_folding=False,
        normalisation="graph",
        architecture="VGG-style on 1x28x28: (x-mean)/std as Sub/Div by constants; [conv3x3-BN-ReLU]x2 at 32 ch, "
                     "maxpool 2; [conv3x3-BN-ReLU]x2 at 64 ch, maxpool 2; reshape to [N, 3136]; dense 3136->128, "
                     "ReLU, dropout 0.5 (identity at inference); dense 128->10."),
    "mobilenet": dict(
        model=MobileNet, epochs=3, lr=2e-3, seed=17, opset=17, training="eval", constant_folding=True,
        normalisation="none",
        architecture="MobileNet-style on 1x28x28: conv3x3 stride 2 1->32, BN, ReLU6; four depthwise-separable "
                     "blocks (depthwise conv3x3 stride s, BN, ReLU6, pointwise conv1x1, BN, ReLU6) 32->64 s1, "
                     "64->128 s2, 128->128 s1, 128->256 s1; average pool 7x7; flatten; matmul 256x10 + bias."),
}
BATCH = 128


def configure_determinism(seed):
    torch.manual_seed(seed)
    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)


def model_input(spec, x):
    """The input the exported file expects: [0, 1] pixels, normalised by the sweep's mean/std only for 'sweep'."""
    return (x - MEAN) / STD if spec["normalisation"] == "sweep" else x


def evaluate(model, x, y):
    """Top-1 accuracy, predictions and the first logits, in eval mode, in batches of 500."""
    model.eval()
    preds, first = [], None
    with torch.no_grad():
        for i in range(0, len(x), 500):
            logits = model(x[i:i + 500])
            if first is None:
                first = logits[:REFERENCE_IMAGES].clone()
            preds.append(logits.argmax(1))
    preds = torch.cat(preds)
    return (preds == y).sum().item() / len(y), preds, first


def train(name, spec, epochs, train_x, train_y, log):
    """Adam with a per-step cosine learning-rate decay to zero, batch 128, shuffled by the fixture's seed."""
    configure_determinism(spec["seed"])
    model = spec["model"]()
    opt = torch.optim.Adam(model.parameters(), lr=spec["lr"])
    steps = epochs * ((len(train_x) + BATCH - 1) // BATCH)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    gen = torch.Generator().manual_seed(spec["seed"])
    xin = model_input(spec, train_x)
    start = time.time()
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(xin), generator=gen)
        total, seen = 0.0, 0
        for i in range(0, len(order), BATCH):
            idx = order[i:i + BATCH]
            loss = F.cross_entropy(model(xin[idx]), train_y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
            seen += len(idx)
        log(f"{name}: epoch {epoch + 1}/{epochs} loss {total / seen:.4f} ({time.time() - start:.0f} s)")
    return model, time.time() - start


def export(name, spec, model, path):
    model.eval()
    training = {"eval": torch.onnx.TrainingMode.EVAL, "preserve": torch.onnx.TrainingMode.PRESERVE}[spec["training"]]
    buf = io.BytesIO()
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), buf, opset_version=spec["opset"], training=training,
                      do_constant_folding=spec["constant_folding"], input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}})
    proto = onnx.load_from_string(buf.getvalue())
    proto.doc_string = f"ternsweep fixture {name}: {spec['architecture']} Trained on Fashion-MNIST by " \
                       f"scripts/make-onnx-fixtures.py; see nets/fixtures.json."
    onnx.checker.check_model(proto, full_check=True)
    data = proto.SerializeToString()
    with open(path, "wb") as f:
        f.write(data)
    return proto, data


def describe(proto):
    """The facts about an exported file that the importer cares about, read back with the onnx package."""
    graph = proto.graph
    ops = Counter(n.op_type for n in graph.node)
    inp = graph.input[0].type.tensor_type.shape.dim
    bn_nodes = sum(1 for n in graph.node if n.op_type == "BatchNormalization")
    convs = [n for n in graph.node if n.op_type == "Conv"]
    groups = sorted({next((a.i for a in c.attribute if a.name == "group"), 1) for c in convs})
    return {
        "opset": next(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")),
        "ir_version": proto.ir_version,
        "producer": f"{proto.producer_name} {proto.producer_version}",
        "input_name": graph.input[0].name,
        "input_shape": [d.dim_param if d.dim_param else d.dim_value for d in inp],
        "output_name": graph.output[0].name,
        "ops": dict(sorted(ops.items())),
        "batch_normalization_nodes": bn_nodes,
        "conv_groups": groups,
        "initializers": len(graph.initializer),
    }


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def load_json():
    if os.path.exists(JSON_PATH):
        with open(JSON_PATH) as f:
            return json.load(f)
    return {"about": "ONNX fixtures made by scripts/make-onnx-fixtures.py; see nets/README.md.",
            "dataset": "Fashion-MNIST (train 60 000 / test 10 000), pixels scaled to [0, 1] as byte / 255",
            "fixtures": {}}


def to_json(value, indent=0):
    """Indented JSON with lists of scalars (shapes, logits) kept on one line."""
    pad = "  " * (indent + 1)
    if isinstance(value, dict) and value:
        items = [f"{pad}{json.dumps(k)}: {to_json(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        return "[\n" + ",\n".join(pad + to_json(v, indent + 1) for v in value) + "\n" + "  " * indent + "]"
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def save_json(doc):
    doc["fixtures"] = dict(sorted(doc["fixtures"].items()))
    with open(JSON_PATH, "w") as f:
        f.write(to_json(doc) + "\n")


def debian_package_version(package):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True,
                              check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def cmd_train(args):
    os.makedirs(NETS, exist_ok=True)
    train_x, train_y = load_split(args.data, "train")
    if args.train_images:
        train_x, train_y = train_x[:args.train_images], train_y[:args.train_images]
    test_x, test_y = load_split(args.data, "test")
    doc = load_json()
    for name in args.only or FIXTURES:
        spec = FIXTURES[name]
        epochs = args.epochs or spec["epochs"]
        model, seconds = train(name, spec, epochs, train_x, train_y, lambda m: print(m, flush=True))
        accuracy, preds, first = evaluate(model, model_input(spec, test_x), test_y)
        path = os.path.join(NETS, f"{name}.onnx")
        proto, data = export(name, spec, model, path)
        facts = describe(proto)
        entry = {
            "file": f"nets/{name}.onnx",
            "sha256": sha256(data),
            "bytes": len(data),
            "architecture": spec["architecture"],
            "parameters": sum(p.numel() for p in model.parameters()),
            "normalisation": {
                "sweep": {"where": "caller: (pixel - mean) / std per input channel, pixels in [0, 1]",
                          "mean": [MEAN], "std": [STD]},
                "graph": {"where": "inside the graph as Sub/Div by constants; feed pixels in [0, 1]",
                          "mean": [MEAN], "std": [STD]},
                "none": {"where": "none; feed pixels in [0, 1]"},
            }[spec["normalisation"]],
            **facts,
            "export": {"torch.onnx.export": {
                "opset_version": spec["opset"],
                "training": {"eval": "TrainingMode.EVAL", "preserve": "TrainingMode.PRESERVE (model in eval mode)"}[
                    spec["training"]],
                "do_constant_folding": spec["constant_folding"],
                "dynamic_axes": {"input": {"0": "N"}, "logits": {"0": "N"}}}},
            "training": {
                "recipe": f"Adam lr {spec['lr']} with per-step cosine decay to 0, batch {BATCH}, {epochs} epochs, "
                          f"cross-entropy, no augmentation, shuffled by torch.Generator seed {spec['seed']}",
                "seed": spec["seed"], "epochs": epochs, "train_images": len(train_x), "threads": THREADS,
                "deterministic_algorithms": True, "seconds": round(seconds, 1),
                "torch": torch.__version__, "debian_python3_torch": debian_package_version("python3-torch"),
                "onnx": onnx.__version__, "python": platform.python_version(),
                "machine": f"{platform.machine()} {platform.processor() or ''}".strip()},
            "torch_test_accuracy": accuracy,
            "torch_test_correct": int((preds == test_y).sum()),
            "torch_reference_logits": {
                "images": f"the first {REFERENCE_IMAGES} test images, as the file expects them",
                "labels": test_y[:REFERENCE_IMAGES].tolist(),
                "logits": [[float(f"{v:.6g}") for v in row] for row in first.tolist()]},
            "torch_test_predictions": "".join(str(p) for p in preds.tolist()),
        }
        doc["fixtures"][name] = entry
        save_json(doc)
        print(f"{name}: torch test accuracy {accuracy:.4f}, {len(data)} bytes, ops {facts['ops']}", flush=True)


def cmd_verify(args):
    doc = load_json()
    script = os.path.join(REPO, "scripts", "onnx-accuracy.mjs")
    env = dict(os.environ, NODE_PATH=args.node_path) if args.node_path else None
    failures = 0
    for name, entry in doc["fixtures"].items():
        norm = entry["normalisation"]
        cmd = ["node", script, os.path.join(REPO, entry["file"]), os.path.join(args.data, "t10k-images-idx3-ubyte.gz"),
               os.path.join(args.data, "t10k-labels-idx1-ubyte.gz"), "--json"]
        if "mean" in norm and norm["where"].startswith("caller"):
            cmd += ["--mean", ",".join(map(str, norm["mean"])), "--std", ",".join(map(str, norm["std"]))]
        out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout)
        torch_preds = entry["torch_test_predictions"]
        disagree = sum(1 for a, b in zip(torch_preds, out["predictions"]) if int(a) != b)
        entry["ort"] = {"onnxruntime": out["onnxruntime"], "test_accuracy": out["accuracy"],
                        "test_correct": out["correct"], "predictions_differing_from_torch": disagree,
                        "max_abs_logit_difference_on_reference_images": max(
                            abs(a - b) for ra, rb in zip(entry["torch_reference_logits"]["logits"], out["first_logits"])
                            for a, b in zip(ra, rb))}
        print(f"{name}: torch {entry['torch_test_accuracy']:.4f}  ort {out['accuracy']:.4f}  "
              f"differing predictions {disagree}", flush=True)
        failures += disagree > 0
    save_json(doc)
    fill_readme(doc)
    return 1 if failures else 0


# nets/README.md's generated parts sit between these markers, so that `verify` can rewrite them every time.
README_PARTS = ("table", "ops", "time")


def fill_readme(doc):
    """Rewrites the table, the per-file op counts and the training times in nets/README.md from the JSON."""
    path = os.path.join(NETS, "README.md")
    with open(path) as f:
        text = f.read()
    fixtures = doc["fixtures"]
    rows, ops, times = [], [], []
    for name, e in fixtures.items():
        norm = e["normalisation"]
        where = ("mean/std by the caller" if norm["where"].startswith("caller")
                 else "Sub/Div in the graph" if norm["where"].startswith("inside") else "[0, 1] pixels")
        export = e["export"]["torch.onnx.export"]
        ort = e.get("ort", {})
        ort_cell = (f"{ort['test_accuracy']:.4f} ({ort['predictions_differing_from_torch']} predictions differ)"
                    if ort else "not verified")
        rows.append(f"| `{name}.onnx` | {e['architecture'].split(':')[0]} | {e['opset']} | "
                    f"{export['training'].split(' ')[0]}, folding {'on' if export['do_constant_folding'] else 'off'} "
                    f"| {where} | {e['parameters']:,} | {e['torch_test_accuracy']:.4f} | {ort_cell} | "
                    f"{e['bytes'] / 1024:,.0f} KiB |")
        ops.append(f"- `{name}.onnx` ({e['producer']}, opset {e['opset']}): "
                   + ", ".join(f"{op} × {n}" for op, n in e["ops"].items())
                   + f"; conv groups {e['conv_groups']}.")
        t = e["training"]
        times.append(f"{name} {t['epochs']} epoch{'s' if t['epochs'] != 1 else ''} in {t['seconds'] / 60:.0f} min")
    parts = {
        "table": "\n".join(["| file | network | opset | export | input | parameters | PyTorch | ONNX Runtime | size |",
                            "|---|---|---|---|---|---|---|---|---|"] + rows),
        "ops": "\n".join(ops),
        "time": f"Training times on the {fixtures[next(iter(fixtures))]['training']['threads']}-thread machine that "
                f"made the committed files: {'; '.join(times)}.",
    }
    for key in README_PARTS:
        begin, end = f"<!-- begin {key} (written by make-onnx-fixtures.py verify) -->", f"<!-- end {key} -->"
        head, sep, rest = text.partition(begin)
        _, sep2, tail = rest.partition(end)
        if not sep or not sep2:
            raise ValueError(f"{path}: markers '{begin}' ... '{end}' not found")
        text = f"{head}{begin}\n{parts[key]}\n{end}{tail}"
    with open(path, "w") as f:
        f.write(text)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train", help="train, evaluate and export (all fixtures, or --only)")
    t.add_argument("--only", nargs="+", choices=sorted(FIXTURES))
    t.add_argument("--epochs", type=int, help="override every fixture's epoch count (for a quick try)")
    t.add_argument("--train-images", type=int, help="train on the first N images only (for a quick try)")
    t.add_argument("--data", default=DATA, help=f"directory with the gzip'ed IDX files (default {DATA})")
    v = sub.add_parser("verify", help="record ONNX Runtime's accuracy for every fixture in the JSON")
    v.add_argument("--node-path", help="a node_modules directory holding onnxruntime-node")
    v.add_argument("--data", default=DATA)
    args = p.parse_args()
    sys.exit(cmd_train(args) if args.cmd == "train" else cmd_verify(args))


if __name__ == "__main__":
    main()
