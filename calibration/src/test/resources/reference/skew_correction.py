"""Reference for SkewCorrectionTest: A-hat, B-hat and Hall's (1992) skewness-corrected limits for human-only
on MoverWilsonTest.sparse() (review classes a 30 of 30, b 50 of 200 with positives 4, 17, 33, c 100 of 500;
phase 1 a census), with SE fixed at 0.01.  Run: python3 skew_correction.py"""
from scipy.stats import norm
import numpy as np

units = []  # (m, y, pi2)
for name, n, take, pi2 in (("a", 30, 30, 1.0), ("b", 200, 50, 0.25), ("c", 500, 100, 0.2)):
    for i in range(take):
        m = {"a": 1 + i % 5, "b": 1 + i % 7, "c": 2 + i % 3}[name]
        y = (i % 3 == 0) if name == "a" else (name == "b" and i in (4, 17, 33))
        units.append((m, float(y), pi2))
m, y, pi2 = (np.array(c) for c in zip(*units))
w = m / pi2
p = (w * y).sum() / w.sum()
u = w * (y - p) / w.sum()
pi = pi2  # phase 1 is a census
v = ((1 - pi) * u**2).sum()
A = ((1 - pi) * (1 - 2 * pi) * u**3).sum() / v**1.5
B = ((1 - pi) ** 2 * u**3).sum() / v**1.5
a = (3 * B - A) / 6
b = B / 2 - a
z, se = norm.ppf(0.975), 0.01
inv = lambda x: (np.cbrt(1 + 3 * a * (x - b)) - 1) / a
print(f"p {p:.16g} A {A:.16g} B {B:.16g} lower {p - se * inv(z):.16g} upper {p - se * inv(-z):.16g}")
