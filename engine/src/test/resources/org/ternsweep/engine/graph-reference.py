#!/usr/bin/python3
"""PyTorch's forward and backward of a small graph with every op the imported networks add to the engine,
as the reference GraphStageTest checks the engine against (torch 1.13, float64, so the reference carries no
rounding of its own).

The graph (input x [2, 4, 9, 9]):
    c  = conv3x3(x, 4->8, stride 1, pad 1, groups 2, bias)
    r  = relu6(c)                                        (Clip 0..6; c is scaled so both bounds are active)
    d  = depthwise conv3x3(r, 8 channels, stride 2, pad 1, no bias)
    p  = conv1x1(r, 8->8, stride 2, bias)                (r fans out: a projection shortcut)
    s  = d + p
    a  = avgpool(s, kernel 3, stride 2, pad 1, count_include_pad=False)
    k  = clamp(a, -1, 2)
    y  = dense(flatten(global average pool(k)), 8->3)    (weight stored [in, out] as the engine's Dense)
    loss = sum(y * R) for a fixed random R, so dloss/dy = R

Run: /usr/bin/python3 graph-reference.py  (writes graph-reference.json beside it)
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(12)
dt = torch.float64


def rand(*shape, scale=1.0):
    return ((torch.rand(*shape, dtype=dt) * 2 - 1) * scale).requires_grad_(True)


params = {
    "c.W": rand(8, 2, 3, 3, scale=1.5), "c.b": rand(8, scale=1.0),
    "d.W": rand(8, 1, 3, 3, scale=1.0),
    "p.W": rand(8, 8, 1, 1, scale=0.5), "p.b": rand(8, scale=0.5),
    "fc.W": rand(8, 3, scale=1.0), "fc.b": rand(3, scale=0.5),
}
x = rand(2, 4, 9, 9, scale=3.0)
R = torch.rand(2, 3, dtype=dt) * 2 - 1

c = F.conv2d(x, params["c.W"], params["c.b"], stride=1, padding=1, groups=2)
r = torch.clamp(c, 0, 6)
d = F.conv2d(r, params["d.W"], None, stride=2, padding=1, groups=8)
p = F.conv2d(r, params["p.W"], params["p.b"], stride=2)
s = d + p
a = F.avg_pool2d(s, 3, stride=2, padding=1, count_include_pad=False)
k = torch.clamp(a, -1, 2)
y = torch.flatten(F.adaptive_avg_pool2d(k, 1), 1) @ params["fc.W"] + params["fc.b"]
(y * R).sum().backward()


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


doc = {
    "about": "written by graph-reference.py (torch " + torch.__version__ + ", float64); see its docstring",
    "clipped_low": int((c < 0).sum()), "clipped_high": int((c > 6).sum()),
    "x": {"shape": list(x.shape), "values": flat(x)},
    "R": {"shape": list(R.shape), "values": flat(R)},
    "y": {"shape": list(y.shape), "values": flat(y)},
    "dx": {"shape": list(x.shape), "values": flat(x.grad)},
    "params": {k: {"shape": list(v.shape), "values": flat(v), "grad": flat(v.grad)} for k, v in params.items()},
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "graph-reference.json"), "w") as f:
    json.dump(doc, f, indent=1)
print("clipped below 0:", doc["clipped_low"], "above 6:", doc["clipped_high"], "a range", float(a.min()), float(a.max()))
