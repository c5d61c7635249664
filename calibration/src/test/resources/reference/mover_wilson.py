#!/usr/bin/python3
"""Reference values for MoverWilsonTest: human-only's MOVER-Wilson interval on a census phase 1.

Fixture (built the same way in the test): phase 1 is a census (d1 = 1, so V1 = 0 and w = m); three
phase-2 strata:
  a: 30 units, m = 1 + i % 5, all reviewed (pi2 = 1), positive when i % 3 == 0
  b: 200 units, m = 1 + i % 7, the first 50 reviewed (pi2 = 0.25), positive: i in {4, 17, 33}
  c: 500 units, m = 2 + i % 3, the first 100 reviewed (pi2 = 0.2), none positive
Per stratum reviewed in part: Hajek rate r = sum w y / sum w, Wilson (statsmodels 0.13.5) on Kish's
n / (1 - pi2); weights c = That_g / That with That_g = sum w / pi2; MOVER (Zou & Donner 2008).
  /usr/bin/python3 mover_wilson.py
"""
import math
from statsmodels.stats.proportion import proportion_confint

strata = {
    'a': ([1 + i % 5 for i in range(30)], [i % 3 == 0 for i in range(30)], 1.0),
    'b': ([1 + i % 7 for i in range(50)], [i in (4, 17, 33) for i in range(50)], 0.25),
    'c': ([2 + i % 3 for i in range(100)], [False] * 100, 0.2),
}
total = sum(sum(w) / pi for w, y, pi in strata.values())
p = sum(sum(wi for wi, yi in zip(w, y) if yi) / pi for w, y, pi in strata.values()) / total
down = up = 0.0
for name, (w, y, pi) in strata.items():
    if pi == 1:
        continue
    r = sum(wi for wi, yi in zip(w, y) if yi) / sum(w)
    n = sum(w) ** 2 / sum(x * x for x in w) / (1 - pi)
    lo, hi = proportion_confint(r * n, n, alpha=0.05, method='wilson')
    c = sum(w) / pi / total
    down += (c * (r - lo)) ** 2
    up += (c * (hi - r)) ** 2
print('estimate %.15g' % p)
print('lower %.15g' % (p - math.sqrt(down)))
print('upper %.15g' % (p + math.sqrt(up)))
