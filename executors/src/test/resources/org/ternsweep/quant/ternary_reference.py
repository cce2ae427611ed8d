"""Independent reference fits for OptimalOperatorTest: twn (Li and Liu 2016) and the MSE-optimal symmetric ternary
fit, computed with numpy by brute force. The test reads the committed output, ternary_reference.json, and never
runs Python.

Regenerate (Debian's python3-numpy: numpy 1.24.2), from this directory:
    /usr/bin/python3 ternary_reference.py > ternary_reference.json

What is independent of the Java code: the groups are drawn by numpy's default_rng (not by the Java tests'
generator) and written out in full; the optimal fit tries every threshold t in {0} and {|w_i|} (codes: |w| > t),
takes the least-squares level, the mean |w| of the coded weights, and keeps the least squared error, with no
sorting or prefix sums as OptimalOperator uses. The threshold is reported as the interval of thresholds that give
the same codes, [largest uncoded |w|, smallest coded |w|), since any value in it is optimal.
"""
import json

import numpy as np

SEED = 20161605


def optimal(w):
    a = np.abs(w)
    best = None
    for t in np.concatenate(([0.0], a)):
        coded = a > t
        k = int(coded.sum())
        lam = float(a[coded].mean()) if k else 0.0
        q = np.where(coded, np.sign(w) * lam, 0.0)
        err = float(((w - q) ** 2).sum())
        if best is None or err < best[0] - 1e-15 * max(1.0, best[0]):
            best = (err, lam, k, coded)
    err, lam, k, coded = best
    low = float(a[~coded].max()) if (~coded).any() else 0.0
    high = float(a[coded].min()) if k else low
    return {"lambda": lam, "k": k, "sse": err, "threshold_low": low, "threshold_high": high}


def twn(w):
    a = np.abs(w)
    t = 0.7 * float(a.mean())
    above = a[a > t]
    lam = float(above.mean()) if above.size else float(a.max())
    return {"lambda": lam, "threshold": t}


def main():
    rng = np.random.default_rng(SEED)
    groups = []
    for n in (1, 2, 3, 5, 8, 13, 40, 200):
        for dist in ("normal", "laplace", "uniform", "exponential"):
            if dist == "normal":
                w = rng.normal(0, 0.05, n)
            elif dist == "laplace":
                w = rng.laplace(0, 0.05, n)
            elif dist == "uniform":
                w = rng.uniform(-0.05, 0.05, n)
            else:
                w = rng.exponential(0.05, n) - 0.02
            w = w.astype(np.float32).astype(np.float64)
            groups.append({"name": f"{dist}-{n}", "w": w.tolist()})
    # ties: equal magnitudes must be coded alike
    groups.append({"name": "ties", "w": [0.5, -0.5, 0.5, 0.25, -0.25, 0.0]})
    groups.append({"name": "all-equal", "w": [0.125, -0.125, 0.125, -0.125]})
    groups.append({"name": "one-outlier", "w": [1.0, 0.01, -0.01, 0.02, 0.0]})
    for g in groups:
        w = np.array(g["w"])
        g["optimal"] = optimal(w)
        g["twn"] = twn(w)
    print(json.dumps({"generator": "ternary_reference.py, numpy " + np.__version__, "seed": SEED,
                      "groups": groups}, indent=1))


if __name__ == "__main__":
    main()
