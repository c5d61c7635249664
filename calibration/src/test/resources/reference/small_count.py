"""Reference for ActiveReviewPlanTest's small-count factor of a review stratum's prior variance
(ActiveReviewPlan.smallCount; docs/review.md, "The raters' part of a planned half-width"), written from
the formula, independently of plumb's Java:

    python3 calibration/src/test/resources/reference/small_count.py

B = E_X[Var(logit((X* + s)/(m + 2s)) | X)], X ~ Binomial(m, p), X* ~ Binomial(m, X/m) (import's bootstrap
of the stratum's m reviews), delta = m p (1 - p) / ((m + 2s) p (1 - p))^2; prints B/delta (the Java caps
it at 1).
"""
import numpy as np
from scipy.stats import binom

S = 0.01


def ratio(m, p, s=S):
    delta = m * p * (1 - p) / ((m + 2 * s) * p * (1 - p)) ** 2
    t = np.arange(m + 1)
    pr = (t + s) / (m + 2 * s)
    logit = np.log(pr / (1 - pr))
    boot = 0.0
    for k in range(1, m):
        w = binom.pmf(t, m, k / m)
        mean = w @ logit
        boot += binom.pmf(k, m, p) * (w @ logit**2 - mean**2)
    return boot / delta


for m, p in [(374, 8.45e-5), (200, 0.002), (40, 0.05)]:
    print(m, p, repr(ratio(m, p)))
