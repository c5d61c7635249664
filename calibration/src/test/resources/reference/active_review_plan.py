"""Reference values for ActiveReviewPlanTest: the planned half-width of active AIPW after a
confidence-driven review, computed independently of plumb with numpy.

    python3 calibration/src/test/resources/reference/active_review_plan.py

The fixture (ActiveReviewPlanTest.files): 14 units of a Poisson phase-1 sample with inclusion
probabilities PI1 and exposures M, two policies a and b with risk scores Q (read as the chance of
violating) and LLM probabilities F. The review: n = 6 expected reviews, the default floor (half the
uniform rate, 0.5 * n / N), and floor 0.3 for the second case.
"""
import numpy as np
from scipy.stats import norm

M = np.array([1, 1, 2, 1, 3, 1, 1, 5, 1, 2, 1, 10, 1, 4], float)
PI1 = np.array([0.5, 0.5, 0.2, 1, 0.5, 0.25, 0.5, 0.8, 0.1, 0.5, 0.4, 1, 0.5, 0.3])
Q = {"a": np.array([0.9, 0.7, 0.05, 0.02, 0.3, 0.01, 0.6, 0.1, 0.02, 0.5, 0.03, 0.08, 0.01, 0.2]),
     "b": np.array([0.05, 0.1, 0.4, 0.01, 0.02, 0.6, 0.01, 0.02, 0.3, 0.05, 0.9, 0.02, 0.15, 0.01])}
F = {"a": np.array([0.95, 0.6, 0.1, 0.01, 0.35, 0.02, 0.55, 0.15, 0.03, 0.5, 0.05, 0.12, 0.02, 0.3]),
     "b": np.array([0.1, 0.05, 0.05, 0.0, 0.03, 0.3, 0.02, 0.05, 0.2, 0.04, 0.8, 0.03, 0.1, 0.02])}
W = M / PI1                      # contribution weight m * d1
TOTAL = W.sum()
Z = norm.ppf(0.975)


def inclusion(n, floor):
    """pi2 = min(1, max(floor, c * w * max_p sqrt(q(1-q)))) with sum pi2 = n, c by bisection."""
    size = W * np.max([np.sqrt(Q[p] * (1 - Q[p])) for p in Q], axis=0)
    lo, hi = 0.0, 1e6
    for _ in range(300):
        c = (lo + hi) / 2
        if np.minimum(1, np.maximum(floor, c * size)).sum() < n:
            lo = c
        else:
            hi = c
    return np.minimum(1, np.maximum(floor, hi * size))


def plan(pi2):
    for p in Q:
        q, f = Q[p], F[p]
        prev = (W * q).sum() / TOTAL
        # phase 1 (Poisson): sum (1 - pi1) (d1 x)^2 of x = m (q - P) / M, plus the Bernoulli noise of y
        v1 = ((1 - PI1) * (W * (q - prev) / TOTAL) ** 2).sum() + ((1 - PI1) * W ** 2 * q * (1 - q)).sum() / TOTAL ** 2
        kappa = (1 - pi2) / pi2 * (W / TOTAL) ** 2
        model = (kappa * f * (1 - f)).sum()
        lam = float(min(1.0, max(0.0, (kappa * q * f).sum() / (kappa * f * f).sum())))
        design = (kappa * (q * (1 - q) + (q - lam * f) ** 2)).sum()
        half = Z * np.sqrt(v1 + max(model, design))
        print(f"  {p}: prevalence {float(prev)!r} v1 {float(v1)!r} model {float(model)!r} design {float(design)!r} lambda {lam!r} half {float(half)!r}")


for n, floor in [(6, 0.5 * 6 / 14), (6, 0.3)]:
    pi2 = inclusion(n, floor)
    print(f"n {n} floor {floor!r}: pi2 {np.round(pi2, 12).tolist()} (sum {float(pi2.sum())!r})")
    plan(pi2)
