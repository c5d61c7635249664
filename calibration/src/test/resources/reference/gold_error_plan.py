"""Reference numbers for GoldErrorPlanTest (docs/calibration.md, "Planning against gold error"),
computed with scipy from the formulas, independently of plumb's code.

Run: python3 calibration/src/test/resources/reference/gold_error_plan.py
"""
import math
from scipy.stats import binom


def majority(r, q):
    # P(a majority of r answers is positive), a tie counting half
    return sum(binom.pmf(k, r, q) * (1 if 2 * k > r else 0.5 if 2 * k == r else 0) for k in range(r + 1))


def slope(r, q):
    # the majority's derivative, exactly: d/dq P(Bin(r, q) = k) = r (pmf(k-1; r-1) - pmf(k; r-1))
    return sum((1 if 2 * k > r else 0.5 if 2 * k == r else 0) * r * (binom.pmf(k - 1, r - 1, q) - binom.pmf(k, r - 1, q))
               for k in range(r + 1))


def plan(se, sp, r, p, n, hv, hc, t, share):
    fp = 1 - sp
    seM, fpM = majority(r, se), majority(r, fp)
    g = p * seM + (1 - p) * fpM
    bias = g - p
    fp_unit = ((1 - p) * slope(r, fp)) ** 2 * fp * (1 - fp) / r
    se_unit = (p * slope(r, se)) ** 2 * se * (1 - se) / r
    fp_info = hc + (n * (1 - p) if r >= 2 else 0)
    se_info = hv + (n * p if r >= 2 else 0)
    em = math.sqrt(fp_unit / fp_info + se_unit / se_info) / (seM - fpM)
    budget = (t * p * (seM - fpM)) ** 2
    se_term = se_unit / se_info
    fp_term = fp_unit / fp_info
    if se_term > budget / 2 and fp_term + se_term > budget:
        # raise the violating honeypots until the sensitivity term takes half the budget
        hv = max(hv, math.ceil(se_unit / (budget / 2) - (n * p if r >= 2 else 0)))
        se_term = se_unit / (hv + (n * p if r >= 2 else 0))
    clean = max(0, math.ceil(fp_unit / (budget - se_term) - (n * (1 - p) if r >= 2 else 0)))
    n0 = n * (1 - g)
    miss = p * (1 - seM) / (1 - g)
    k = min(max(1, math.floor(n0)), max(2, math.ceil(share * n0)))
    x = n0 / n * math.sqrt((1 / k - 1 / n0) * miss * (1 - miss))
    need = math.ceil(1 / ((t * p * n / n0) ** 2 / (miss * (1 - miss)) + 1 / n0))
    need = 0 if p * (1 - seM) <= t * p else max(2, need)
    print(f"Se={se} Sp={sp} r={r} p={p} n={n} h+={hv} h-={hc} t={t} share={share}")
    print(f"  seM={seM:.15f} fpM={fpM:.15f} bias={bias:.15e}")
    print(f"  error model={em:.15e} clean honeypots={clean} violating honeypots={hv}")
    print(f"  positives={n * g:.6f} negatives={n0:.6f} positives-only bias={-p * (1 - seM):.15e}")
    print(f"  k={k} expert error={x:.15e} needed={need}")


plan(0.95, 0.95, 3, 0.005, 900, 20, 40, 0.1, 0.2)
plan(0.85, 0.98, 3, 0.005, 900, 20, 40, 0.1, 0.2)
plan(0.9, 0.97, 4, 0.02, 600, 10, 30, 0.1, 0.5)
plan(0.7, 0.99, 1, 0.01, 1000, 30, 60, 0.1, 0.3)
