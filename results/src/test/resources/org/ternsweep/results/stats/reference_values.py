"""Independent reference values for the statistics tests (StatisticsTest, WilcoxonSignedRankTest,
PairedSampleSizeTest). Run with: /usr/bin/python3 reference_values.py  (scipy 1.10, numpy 1.24).
t-test, CI and power come from scipy; exact Wilcoxon p-values come from brute-force enumeration of
all 2^n sign patterns below (independent of the dynamic programme in WilcoxonSignedRank.java)."""
import itertools
import numpy as np
from scipy import stats

native = np.array([0.1183, 0.1520, 0.0985, 0.1342, 0.1710, 0.1067])
mquant = np.array([0.4290, 0.4351, 0.4227, 0.4315, 0.4402, 0.4260])
tquant = np.array([0.4050, 0.4101, 0.4238, 0.4012, 0.4402, 0.4180])


def midranks(a):
    a = np.abs(a)
    order = np.argsort(a, kind="stable")
    r = np.empty(len(a))
    i = 0
    while i < len(a):
        j = i
        while j + 1 < len(a) and abs(a[order[j + 1]] - a[order[i]]) <= 1e-12:
            j += 1
        r[order[i:j + 1]] = (i + j + 2) / 2
        i = j + 1
    return r


def wilcoxon_enumerated(d):
    d = np.array([x for x in d if abs(x) > 1e-12])
    r = midranks(d)
    w = r[d > 0].sum()
    lo = hi = 0
    for signs in itertools.product([0, 1], repeat=len(d)):
        s = sum(rk for rk, sg in zip(r, signs) if sg)
        lo += s <= w + 1e-9
        hi += s >= w - 1e-9
    return w, min(1.0, 2 * min(lo, hi) / 2 ** len(d))


def t_and_ci(d):
    n = len(d)
    m, s = d.mean(), d.std(ddof=1)
    half = stats.t.ppf(0.975, n - 1) * s / np.sqrt(n)
    return m, s, m - half, m + half, stats.ttest_1samp(d, 0.0).pvalue


def power(n, effect, alpha=0.05):
    df, ncp = n - 1, effect * np.sqrt(n)
    c = stats.t.ppf(1 - alpha / 2, df)
    return 1 - stats.nct.cdf(c, df, ncp) + stats.nct.cdf(-c, df, ncp)


def needed(effect):
    n = 2
    while power(n, effect) < 0.8:
        n += 1
    return n


for name, d in [("mquant-native", mquant - native), ("mquant-tquant", mquant - tquant)]:
    print(name, "mean std lo hi p_t =", ["%.12g" % v for v in t_and_ci(d)])
    print(name, "wilcoxon W+, p =", wilcoxon_enumerated(d))
    print(name, "effect, needed =", (d.mean() / d.std(ddof=1)), needed(abs(d.mean() / d.std(ddof=1))))

ties = [0.012, -0.004, 0.012, 0.007, -0.007, 0.0, 0.021, 0.003]
print("ties W+, p =", wilcoxon_enumerated(ties))
no_ties = [0.031, -0.012, 0.044, 0.005, 0.027, -0.019, 0.038, 0.016, 0.009]
print("no ties W+, p =", wilcoxon_enumerated(no_ties), stats.wilcoxon(no_ties, method="exact"))
big = np.round(np.sin(np.arange(1, 61) * 1.7) * 0.02 + 0.004, 3)
print("n=60 approx:", stats.wilcoxon(big, correction=True, method="approx"))
for effect in [0.2, 0.5, 0.8, 1.0, 2.0]:
    print("effect", effect, "needed", needed(effect), "power(10)=%.10f" % power(10, effect))
print("sample summary of mquant: mean std ci median",
      mquant.mean(), mquant.std(ddof=1), stats.t.ppf(0.975, 5) * mquant.std(ddof=1) / np.sqrt(6), np.median(mquant))
