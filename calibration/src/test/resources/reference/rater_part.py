"""Reference for RaterPartTest: the raters' part of a planned review's variance (docs/review.md,
"The raters' part of a planned half-width"), written from the formulas, independently of plumb's Java.

    python3 calibration/src/test/resources/reference/rater_part.py

Panel: 3 counted raters + 1 excluded, 3 raters asked per item (so 4 sets of 3 of the 4, the excluded one's
answer dropped). Five units with chance q of violating, prior pi, logit-prior variance, weight w.
The unbiased gold of answer pattern a: q(a) = posterior at prior pi and the rates, e_c = sum_a P(a|c) q(a),
g(a) = (q(a) - e0)/(e1 - e0). Noise v = q Var(g|1) + (1-q) Var(g|0). For a parameter theta (a rater's Se or Sp,
or the prior's logit), x = dg(a)/dtheta by a central difference with step 1e-6 (plumb uses 1e-4 and 1e-3):
square_j = sum_theta Var(theta) E[x^2], meanSquare_j = sum_theta Var(theta) (E x)^2,
systematic = sum_theta Var(theta) (sum_j (w_j/M) E x_j)^2 (the prior one parameter shared by all units).
"""
import itertools
import numpy as np

se = np.array([0.9, 0.8, 0.95])
sp = np.array([0.99, 0.97, 0.995])
vse = np.array([0.002, 0.004, 0.001])
vsp = np.array([1e-5, 4e-5, 2e-6])
excluded = 1
per_item = 3
q = np.array([0.3, 0.01, 0.001, 0.05, 0.6])
prior = np.array([0.2, 0.02, 0.005, 0.05, 0.4])
pvar = np.array([0.05, 0.08, 0.2, 0.06, 0.04])
w = np.array([1.0, 5.0, 40.0, 3.0, 2.0])
M = w.sum()

panel = list(range(3 + excluded))
sets = []
for c in itertools.combinations(panel, min(per_item, len(panel))):
    s = [r for r in c if r < 3]
    if s:
        sets.append(s)


def patterns(s_se, s_sp, t_se, t_sp, pr):
    k = len(s_se)
    g, p1, p0, qa = [], [], [], []
    for a in itertools.product([0, 1], repeat=k):
        a = np.array(a[::-1])  # any order: sums over all patterns
        lo = np.log(pr / (1 - pr)) + np.sum(np.where(a == 1, np.log(s_se / (1 - s_sp)), np.log((1 - s_se) / s_sp)))
        qa.append(1 / (1 + np.exp(-lo)))
        p1.append(np.prod(np.where(a == 1, t_se, 1 - t_se)))
        p0.append(np.prod(np.where(a == 1, 1 - t_sp, t_sp)))
        # the fitted-rate probabilities define e_c
    qa, p1, p0 = map(np.array, (qa, p1, p0))
    f1 = np.array([np.prod(np.where(np.array(a[::-1]) == 1, s_se, 1 - s_se)) for a in itertools.product([0, 1], repeat=k)])
    f0 = np.array([np.prod(np.where(np.array(a[::-1]) == 1, 1 - s_sp, s_sp)) for a in itertools.product([0, 1], repeat=k)])
    e1, e0 = f1 @ qa, f0 @ qa
    return (qa - e0) / (e1 - e0), p1, p0


H = 1e-6
noise = np.zeros(5)
square = np.zeros(5)
mean = {}
prior_mean = np.zeros(5)
for s in sets:
    s_se, s_sp = se[s], sp[s]
    for j in range(5):
        g, p1, p0 = patterns(s_se, s_sp, s_se, s_sp, prior[j])
        noise[j] += (q[j] * (p1 @ g**2 - (p1 @ g) ** 2) + (1 - q[j]) * (p0 @ g**2 - (p0 @ g) ** 2)) / len(sets)
        p = q[j] * p1 + (1 - q[j]) * p0
        for a, r in enumerate(s):
            for which, var in ((0, vse[r]), (1, vsp[r])):
                up_se, up_sp, dn_se, dn_sp = s_se.copy(), s_sp.copy(), s_se.copy(), s_sp.copy()
                if which == 0:
                    up_se[a] += H
                    dn_se[a] -= H
                else:
                    up_sp[a] += H
                    dn_sp[a] -= H
                gu = patterns(up_se, up_sp, s_se, s_sp, prior[j])[0]
                gd = patterns(dn_se, dn_sp, s_se, s_sp, prior[j])[0]
                x = (gu - gd) / (2 * H)
                mean[(r, which, j)] = mean.get((r, which, j), 0) + (p @ x) / len(sets)
                square[j] += var * (p @ x**2) / len(sets)
        lg = np.log(prior[j] / (1 - prior[j]))
        gu = patterns(s_se, s_sp, s_se, s_sp, 1 / (1 + np.exp(-(lg + H))))[0]
        gd = patterns(s_se, s_sp, s_se, s_sp, 1 / (1 + np.exp(-(lg - H))))[0]
        x = (gu - gd) / (2 * H)
        prior_mean[j] += (p @ x) / len(sets)
        square[j] += pvar[j] * (p @ x**2) / len(sets)

mean_square = np.zeros(5)
systematic = 0.0
for r in range(3):
    for which, var in ((0, vse[r]), (1, vsp[r])):
        m = np.array([mean.get((r, which, j), 0) for j in range(5)])
        mean_square += var * m**2
        systematic += var * (w / M @ m) ** 2
mean_square += pvar * prior_mean**2
systematic += (w / M @ (prior_mean * np.sqrt(pvar))) ** 2
pi2 = np.array([1.0, 0.5, 0.2, 0.8, 1.0])
rates = systematic + np.sum((w / M) ** 2 * (square / pi2 - mean_square))
print("sets", len(sets))
print("noise", ", ".join(repr(x) for x in noise))
print("square", ", ".join(repr(x) for x in square))
print("meanSquare", ", ".join(repr(x) for x in mean_square))
print("systematic", repr(systematic))
print("rates at pi2", repr(rates))
