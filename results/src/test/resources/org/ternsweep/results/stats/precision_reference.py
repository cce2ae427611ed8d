"""Independent reference values for BootstrapTest, AlmostStochasticOrderTest, EffectSizesTest and
VarianceComponentsTest. The tests read the committed output, precision_reference.json, and never run Python.

Regenerate (Debian's python3-scipy: scipy 1.10.1, numpy 1.24.2), from this directory:
    /usr/bin/python3 precision_reference.py > precision_reference.json

What is independent of the Java code, and what is shared on purpose:
- Resamples: java.util.SplittableRandom (SplitMix64 with the golden gamma; nextInt(bound) by rejection of
  the over-represented values, as in the JDK) is re-implemented below from its published algorithm, so the
  script draws the same resamples as Bootstrap.java without a file of indices. The JSON carries a few rows
  of indices, which the tests compare with Bootstrap.resampleIndices, so a change in the JDK's generator
  fails loudly.
- BCa: the resampled means are summed left to right in the order drawn, as Java does, so that both hold the
  same doubles; those within 1e-12 of the estimate are set equal to it (Bootstrap's tie rule). The interval is
  then computed twice: by scipy.stats.bootstrap(method='BCa') given that bootstrap distribution
  (bootstrap_result=..., n_resamples=0; strata are scipy's independent samples, so its resampling is
  stratified and its jackknife runs per sample), and by a plain numpy transcription of Efron (1987) with the
  jackknife recomputed by deleting each value. The two must agree to 1e-12 (asserted here).
- epsilon_W2: Java integrates over merged quantile breakpoints; here both samples are expanded to the common
  length lcm(n, m) (each sorted value repeated lcm/n times), where the quantile functions become equal-length
  vectors and the integrals plain sums. The hand-worked cases are also done in exact fractions. For
  epsilon_min the script draws the same resamples (per resample, A's indices, then B's) and takes numpy's sd
  (ddof=1) and scipy's normal quantile.
- Variance components: SS_between is obtained as SS_total - SS_within (Java sums n_i (mean_i - mean)^2).
"""
import json
import math
from fractions import Fraction
from types import SimpleNamespace

import numpy as np
import scipy
from scipy import special, stats

MASK = (1 << 64) - 1
RESAMPLES = 10_000
SEED = 1987
TOL = 1e-12


class SplittableRandom:
    """java.util.SplittableRandom(seed): nextSeed, mix32 and nextInt(bound) as in the JDK."""
    GAMMA = 0x9E3779B97F4A7C15

    def __init__(self, seed):
        self.seed = seed & MASK

    def _next_int32(self):
        self.seed = (self.seed + self.GAMMA) & MASK
        z = self.seed
        z = ((z ^ (z >> 33)) * 0x62A9D9ED799705F5) & MASK
        z = ((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & MASK
        return z >> 32  # unsigned 32 bits

    def next_int(self, bound):
        r = self._next_int32()
        m = bound - 1
        if bound & m == 0:
            return r & m
        u = r >> 1
        while True:
            r = u % bound
            if u + m - r < (1 << 31):  # Java: no int overflow
                return r
            u = self._next_int32() >> 1


def resample_indices(sizes, resamples, seed):
    rng = SplittableRandom(seed)
    return [[rng.next_int(n) for n in sizes for _ in range(n)] for _ in range(resamples)]


def left_sum(values):
    s = 0.0
    for v in values:
        s += v
    return s


def replicate_means(strata, resamples, seed):
    rng = SplittableRandom(seed)
    total = sum(len(s) for s in strata)
    out = np.empty(resamples)
    for b in range(resamples):
        acc = 0.0
        for s in strata:
            n = len(s)
            for _ in range(n):
                acc += s[rng.next_int(n)]
        out[b] = acc / total
    return out


def pooled_mean(*samples):
    values = [v for s in samples for v in s]
    return left_sum(values) / len(values)


def bca_numpy(strata, theta_b, estimate, confidence):
    """Efron (1987) with the jackknife by deletion, per stratum (Davison & Hinkley 1997 for several samples)."""
    b = len(theta_b)
    z0 = special.ndtri(((theta_b < estimate).sum() + (theta_b <= estimate).sum()) / (2 * b))
    nums, dens = 0.0, 0.0
    for h, s in enumerate(strata):
        n = len(s)
        jack = []
        for j in range(n):
            rest = [list(t) for t in strata]
            del rest[h][j]
            jack.append(np.mean(np.concatenate([np.asarray(t, float) for t in rest])))
        jack = np.array(jack)
        u = (n - 1) * (jack.mean() - jack)
        nums += (u ** 3).sum() / n ** 3
        dens += (u ** 2).sum() / n ** 2
    a = nums / (6 * dens ** 1.5)
    alpha = (1 - confidence) / 2
    levels = []
    for z in (special.ndtri(alpha), special.ndtri(1 - alpha)):
        levels.append(special.ndtr(z0 + (z0 + z) / (1 - a * (z0 + z))))
    low, high = np.percentile(theta_b, [100 * levels[0], 100 * levels[1]])
    return float(low), float(high), float(z0), float(a)


def bca_case(name, strata, resamples=RESAMPLES, seed=SEED, confidence=0.95):
    estimate = pooled_mean(*strata)
    theta_b = replicate_means(strata, resamples, seed)
    near = np.abs(theta_b - estimate) <= TOL
    theta_b[near] = estimate
    low, high, z0, a = bca_numpy(strata, theta_b, estimate, confidence)
    case = {"name": name, "strata": strata, "resamples": resamples, "seed": seed, "confidence": confidence,
            "estimate": estimate, "low": low, "high": high, "z0": z0, "acceleration": a,
            "ties_with_estimate": int(near.sum())}
    if all(len(s) >= 2 for s in strata):
        res = stats.bootstrap(tuple(np.asarray(s, float) for s in strata), pooled_mean, vectorized=False,
                              n_resamples=0, method="BCa", confidence_level=confidence,
                              bootstrap_result=SimpleNamespace(bootstrap_distribution=theta_b))
        ci = res.confidence_interval
        assert abs(ci.low - low) <= 1e-12 and abs(ci.high - high) <= 1e-12, (name, ci, low, high)
        case["checked_with_scipy"] = True
    else:
        case["checked_with_scipy"] = False  # scipy.stats.bootstrap needs two values per sample
    return case


def expanded(x, length):
    xs = sorted(x)
    return np.repeat(np.asarray(xs, float), length // len(xs))


def epsilon_w2(a, b):
    length = math.lcm(len(a), len(b))
    d = expanded(a, length) - expanded(b, length)
    d[np.abs(d) <= TOL] = 0.0
    total = (d ** 2).sum()
    return float("nan") if total == 0 else float((d[d < 0] ** 2).sum() / total)


def epsilon_w2_exact(a, b):
    """The same index in exact fractions, for the hand-worked cases."""
    length = math.lcm(len(a), len(b))
    xs = [Fraction(v) for v in sorted(a) for _ in range(length // len(a))]
    ys = [Fraction(v) for v in sorted(b) for _ in range(length // len(b))]
    sq = [(x - y) ** 2 for x, y in zip(xs, ys)]
    return sum(s for s, x, y in zip(sq, xs, ys) if x < y) / sum(sq)


def aso_case(name, a, b, resamples=RESAMPLES, seed=SEED, confidence=0.95):
    eps = epsilon_w2(a, b)
    rng = SplittableRandom(seed)
    reps = []
    for _ in range(resamples):
        xa = [a[rng.next_int(len(a))] for _ in range(len(a))]
        xb = [b[rng.next_int(len(b))] for _ in range(len(b))]
        e = epsilon_w2(xa, xb)
        if not math.isnan(e):
            reps.append(e)
    sd = float(np.std(reps, ddof=1))
    bound = min(1.0, max(0.0, eps + special.ndtri(confidence) * sd))
    return {"name": name, "a": a, "b": b, "resamples": resamples, "seed": seed, "confidence": confidence,
            "epsilon_w2": eps, "epsilon_min": bound, "bootstrap_sd": sd, "resamples_used": len(reps)}


def variance_case(name, groups):
    ys = [np.asarray(g, float) for g in groups]
    allv = np.concatenate(ys)
    k, n = len(ys), len(allv)
    ss_total = ((allv - allv.mean()) ** 2).sum()
    ss_within = sum(((g - g.mean()) ** 2).sum() for g in ys)
    msb = (ss_total - ss_within) / (k - 1)
    msw = ss_within / (n - k)
    n0 = (n - sum(len(g) ** 2 for g in ys) / n) / (k - 1)
    between = max(0.0, (msb - msw) / n0)
    return {"name": name, "groups": groups, "ms_between": msb, "ms_within": msw, "n0": n0, "between": between,
            "within": msw, "between_fraction": between / (between + msw)}


def effect_case(name, a, b):
    d = np.asarray(a, float) - np.asarray(b, float)
    wins = np.where(np.abs(d) <= TOL, 0.5, (d > 0).astype(float))
    return {"name": name, "a": a, "b": b, "d_z": float(d.mean() / d.std(ddof=1)),
            "p_improvement": float(wins.mean())}


native = [0.1183, 0.1520, 0.0985, 0.1342, 0.1710, 0.1067]
mquant = [0.4290, 0.4351, 0.4227, 0.4315, 0.4402, 0.4260]
tquant = [0.4050, 0.4101, 0.4238, 0.4012, 0.4402, 0.4180]
gen = np.random.default_rng(14)
skewed = [round(0.40 + v, 4) for v in gen.exponential(0.01, 30)]
by_model_seed = [[0.4290, 0.4351, 0.4227, 0.4315], [0.4402, 0.4460, 0.4388, 0.4421],
                 [0.4180, 0.4233, 0.4129, 0.4256]]
unbalanced = [[0.601, 0.612], [0.587, 0.595, 0.603], [0.622, 0.617, 0.630, 0.611, 0.626]]
with_single = [[0.501], [0.512, 0.498, 0.507], [0.520, 0.515]]

hand_a, hand_b = [0, 5], [1, 2, 3]
assert epsilon_w2_exact(hand_a, hand_b) == Fraction(6, 23)
assert epsilon_w2_exact(hand_b, hand_a) == Fraction(17, 23)
assert abs(epsilon_w2(hand_a, hand_b) - 6 / 23) <= 1e-15

out = {
    "generator": "precision_reference.py",
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "resample_indices": {"sizes": [3, 2, 4], "resamples": 5, "seed": SEED,
                         "indices": resample_indices([3, 2, 4], 5, SEED)},
    "bca": [
        bca_case("mquant", [mquant]),
        bca_case("mquant-native differences", [[m - n for m, n in zip(mquant, native)]]),
        bca_case("two values", [[0.41, 0.43]]),
        bca_case("skewed n=30", [skewed]),
        bca_case("three model seeds x four seeds", by_model_seed),
        bca_case("unbalanced strata 2, 3, 5", unbalanced),
        bca_case("a stratum of one", with_single),
        bca_case("other seed, 999 resamples, 90 %", [mquant], resamples=999, seed=42, confidence=0.90),
    ],
    "aso": [
        aso_case("hand-worked {0,5} over {1,2,3}", hand_a, hand_b),
        aso_case("mquant over tquant", mquant, tquant),
        aso_case("tquant over mquant", tquant, mquant),
        aso_case("mquant over native", mquant, native),
        aso_case("unequal sizes 5 and 7", [0.61, 0.58, 0.64, 0.60, 0.59],
                 [0.60, 0.57, 0.62, 0.55, 0.61, 0.58, 0.63]),
        aso_case("tiny, 3 resamples", [0.0, 3.0], [1.0, 2.0], resamples=3),
    ],
    "effect": [
        effect_case("mquant-native", mquant, native),
        effect_case("mquant-tquant (one tie)", mquant, tquant),
    ],
    "variance": [
        variance_case("three model seeds x four seeds", by_model_seed),
        variance_case("unbalanced strata 2, 3, 5", unbalanced),
        variance_case("a stratum of one", with_single),
    ],
}

def compact(value):
    """JSON with one line per case, so that a regenerated file diffs case by case."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "[\n  " + ",\n  ".join(json.dumps(v) for v in value) + "\n ]"
    return json.dumps(value)


print("{\n" + ",\n".join(f" {json.dumps(k)}: {compact(v)}" for k, v in out.items()) + "\n}")
