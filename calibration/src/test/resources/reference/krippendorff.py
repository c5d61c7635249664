"""Krippendorff's alpha at every level of measurement, written from Krippendorff (2011),
"Computing Krippendorff's Alpha-Reliability", independently of plumb's Java (numpy only).
Run: python3 calibration/src/test/resources/reference/krippendorff.py
"""
import numpy as np

# section C reliability data: 4 observers x 12 units, nan = missing
KD = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
    [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan],
])


def alpha(data, level):
    values = np.unique(data[~np.isnan(data)])
    q = len(values)
    o = np.zeros((q, q))
    for unit in data.T:
        v = unit[~np.isnan(unit)]
        m = len(v)
        if m < 2:
            continue
        for i in range(m):
            for j in range(m):
                if i != j:
                    o[np.searchsorted(values, v[i]), np.searchsorted(values, v[j])] += 1 / (m - 1)
    nc = o.sum(axis=1)
    n = nc.sum()

    def d2(c, k):
        if level == "nominal":
            return 0.0 if c == k else 1.0
        if level == "ordinal":
            lo, hi = min(c, k), max(c, k)
            return (nc[lo:hi + 1].sum() - (nc[c] + nc[k]) / 2) ** 2
        if level == "interval":
            return (values[c] - values[k]) ** 2
        if level == "ratio":
            return ((values[c] - values[k]) / (values[c] + values[k])) ** 2
        raise ValueError(level)

    delta = np.array([[d2(c, k) for k in range(q)] for c in range(q)])
    return 1 - (n - 1) * (o * delta).sum() / (np.outer(nc, nc) * delta).sum()


for level in ("nominal", "ordinal", "interval", "ratio"):
    print(level, repr(alpha(KD, level)))
