#!/usr/bin/python3
"""Reference values for GammaTest: human-only's gamma interval (Fay & Feuer 1997) on MoverWilsonTest's
fixture (census phase 1, review strata a: 30 of 30, b: 50 of 200 with 3 positives, c: 100 of 500 with
none; see mover_wilson.py).

P = sum_G c_i y_i with c_i = m_i / pi2_i / M, M = sum_G m / pi2. V is the stratified-SRS variance of the
linearised b_i = m_i (y_i - P) / M (phase 1 is a census, so V1 = 0): sum_g N_g^2 (1 - n_g/N_g) s_g^2 / n_g.
Gamma limits with scipy.stats.gamma (scipy 1.x):
  lower = ppf(0.025, P^2/V, scale=V/P); upper = ppf(0.975, (P+w)^2/(V+w^2), scale=(V+w^2)/(P+w))
for w by each rule: max / mean c_i over all reviewed units, max / mean over class c (the one reviewed in
part with no positive).
  /usr/bin/python3 gamma_interval.py
"""
from scipy.stats import gamma

strata = {
    'a': ([1 + i % 5 for i in range(30)], [i % 3 == 0 for i in range(30)], 1.0, 30),
    'b': ([1 + i % 7 for i in range(50)], [i in (4, 17, 33) for i in range(50)], 0.25, 200),
    'c': ([2 + i % 3 for i in range(100)], [False] * 100, 0.2, 500),
}
total = sum(sum(m) / pi for m, y, pi, N in strata.values())
p = sum(sum(mi for mi, yi in zip(m, y) if yi) / pi for m, y, pi, N in strata.values()) / total
v = 0.0
for m, y, pi, N in strata.values():
    n = len(m)
    b = [mi * (yi - p) / total for mi, yi in zip(m, y)]
    mean = sum(b) / n
    s2 = sum((x - mean) ** 2 for x in b) / (n - 1)
    v += N * N * (1 - n / N) * s2 / n
c_all = [mi / pi / total for m, y, pi, N in strata.values() for mi in m]
c_unseen = [mi / 0.2 / total for mi in strata['c'][0]]
print('estimate %.15g variance %.15g' % (p, v))
lower = gamma.ppf(0.025, p * p / v, scale=v / p)
for rule, w in [('max', max(c_all)), ('mean', sum(c_all) / len(c_all)), ('unseen-class max', max(c_unseen)),
                ('unseen-class mean', sum(c_unseen) / len(c_unseen))]:
    upper = gamma.ppf(0.975, (p + w) ** 2 / (v + w * w), scale=(v + w * w) / (p + w))
    print('%s: w %.15g lower %.15g upper %.15g' % (rule, w, lower, upper))

# kg-gamma (KgGammaTest): class c is reviewed in part (pi2 = 0.2 < 1), holds no positive and stands for
# sum_c m / pi2 / M of the estimated exposure (>= 0.1), so the switch fires: the gamma interval with
# w = the mean c_i of class c, i.e. share / reviewed units (the 'unseen-class mean' line above)
share_c = sum(strata['c'][0]) / 0.2 / total
w = share_c / len(strata['c'][0])
upper = gamma.ppf(0.975, (p + w) ** 2 / (v + w * w), scale=(v + w * w) / (p + w))
print('kg-gamma: class c share %.15g, w %.15g lower %.15g upper %.15g' % (share_c, w, lower, upper))
