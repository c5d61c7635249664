"""Worked example of the expert tier as a third phase (ExpertPhaseTest; docs/calibration.md,
"Expert gold: a third phase"), computed from the formulas with numpy, independently of plumb's code.

Run: python3 calibration/src/test/resources/reference/expert_phase.py

22 reviewed units of a 30-unit phase-1 sample; cells = review stratum x vendor consensus call; the
experts saw every consensus-positive and a simple random sample of each consensus-negative cell.
Human-only (Hajek) estimate  P = sum a_i y~_i / sum a_i,  a_i = m_i / pi1_i / pi2_i,  y~ = the
expert answer, or the cell's expert rate r_c = sum_E b y / sum_E b (b = m / pi1) for a unit the
experts did not see.
V_gold = Var_b(sum c_i y~_i^(b)), c_i = a_i / sum a: Rao-Wu rescaled bootstrap weights in each
cell reviewed in part (n-1 draws with replacement, lambda = sqrt(1 - n/N),
w = 1 - lambda + lambda n/(n-1) k), r^(b) = sum w b y / sum w b, expert units w y + (1-w) r^(b),
other units Bernoulli(r^(b)). Its expectation is computed here as
Var_w(E[T | w]) + E_w[sum_unseen c_i^2 r(w)(1 - r(w))] over 2,000,000 draws of w per cell.
"""
import numpy as np

# reviewed units: (id, exposure m, pi1, review stratum, vendor call, expert answer or None)
units = [
    ("u01", 12, 0.9, "llm_positive", 1, 1), ("u02", 3, 0.5, "llm_positive", 1, 1),
    ("u03", 7, 0.8, "llm_positive", 1, 0), ("u04", 1, 0.2, "llm_positive", 1, 1),
    ("u05", 25, 1.0, "llm_positive", 1, 1),
    ("u06", 4, 0.4, "llm_positive", 0, 1), ("u07", 9, 0.7, "llm_positive", 0, 0),
    ("u08", 2, 0.3, "llm_positive", 0, None), ("u09", 5, 0.6, "llm_positive", 0, None),
    ("u10", 1, 0.1, "llm_positive", 0, None),
    ("u11", 6, 0.5, "llm_negative", 1, 0), ("u12", 2, 0.25, "llm_negative", 1, 1),
    ("u13", 1, 0.05, "llm_negative", 0, 0), ("u14", 3, 0.1, "llm_negative", 0, 0),
    ("u15", 8, 0.4, "llm_negative", 0, 1), ("u16", 1, 0.08, "llm_negative", 0, None),
    ("u17", 2, 0.12, "llm_negative", 0, None), ("u18", 4, 0.2, "llm_negative", 0, None),
    ("u19", 1, 0.06, "llm_negative", 0, None), ("u20", 15, 0.9, "llm_negative", 0, None),
    ("u21", 2, 0.15, "llm_negative", 0, None), ("u22", 1, 0.07, "llm_negative", 0, None),
]
# phase-2 inclusion probability of each review stratum: reviewed / sampled
pi2 = {"llm_positive": 10 / 12, "llm_negative": 12 / 18}

a = np.array([m / p1 / pi2[s] for (_, m, p1, s, _, _) in units])
b = np.array([m / p1 for (_, m, p1, _, _, _) in units])
c = a / a.sum()
cells = {}
for k, (_, _, _, s, call, _) in enumerate(units):
    cells.setdefault(s + "/" + ("consensus_positive" if call else "consensus_negative"), []).append(k)

ytilde = np.zeros(len(units))
rng = np.random.default_rng(20261207)
v_gold = 0.0
M = 2_000_000
for name, members in cells.items():
    seen = [k for k in members if units[k][5] is not None]
    unseen = [k for k in members if units[k][5] is None]
    y = np.array([units[k][5] for k in seen], dtype=float)
    n, N = len(seen), len(members)
    bs = b[seen]
    r = (bs * y).sum() / bs.sum()
    for k in seen:
        ytilde[k] = units[k][5]
    for k in unseen:
        ytilde[k] = r
    if n == N:
        continue  # seen whole: no variance
    lam = np.sqrt(1 - n / N)
    counts = rng.multinomial(n - 1, [1 / n] * n, size=M)
    w = 1 - lam + lam * n / (n - 1) * counts
    rb = (w * bs * y).sum(axis=1) / (w * bs).sum(axis=1)
    cs = c[seen]
    cu = c[unseen]
    mean_t = (cs * (w * y + (1 - w) * rb[:, None])).sum(axis=1) + cu.sum() * rb
    hot = (cu ** 2).sum() * rb * (1 - rb)
    part = mean_t.var() + hot.mean()
    print(f"cell {name}: n={n} N={N} rate={r:.6f} lambda={lam:.6f} V_gold part={part:.6e}")
    v_gold += part

print(f"human-only estimate = {(c * ytilde).sum():.15f}")
print(f"vendor-call human-only = {(c * np.array([u[4] for u in units])).sum():.15f}")
print(f"V_gold = {v_gold:.6e}")
