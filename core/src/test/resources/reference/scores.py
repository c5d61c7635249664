"""Reference values for core/src/test/java/dev/plumb/core/scores/ScoresTest.java.
Run: /usr/bin/python3 core/src/test/resources/reference/scores.py  (numpy 1.24.2, sklearn 1.2.1)
The data are generated here with a fixed formula (no randomness), so the Java test rebuilds them."""
import numpy as np
from sklearn.isotonic import IsotonicRegression

n = 40
score = np.array([((i * 37) % 101) / 100 for i in range(n)])   # ties at equal values
score[5] = score[6]                                              # an explicit tie
outcome = np.array([1.0 if ((i * 13) % 7) < 2 + 4 * score[i] else 0.0 for i in range(n)])
weight = np.array([1 + (i % 4) * 0.5 for i in range(n)])
iso = IsotonicRegression(out_of_bounds="clip").fit(score, outcome, sample_weight=weight)
probe = np.array([-0.5, 0.0, 0.055, 0.1, 0.33, 0.5, 0.61, 0.775, 0.9, 0.99, 1.0, 2.0])
print("apply", ", ".join(repr(float(v)) for v in iso.predict(probe)))
print("fitted", ", ".join(repr(float(v)) for v in iso.predict(score)))

# Saerens et al. (2002) EM, written from the paper
def em(p, w, trained, tol=1e-10):
    prior = trained
    for _ in range(100000):
        a = prior / trained * p
        b = (1 - prior) / (1 - trained) * (1 - p)
        post = a / (a + b)
        nxt = (w * post).sum() / w.sum()
        if abs(nxt - prior) < tol:
            return nxt
        prior = nxt
    return prior

p = np.array([0.02 + 0.96 * (((i * 29) % 97) / 96) ** 3 for i in range(200)])
w = np.array([1 + (i % 5) for i in range(200)], float)
print("em", repr(em(p, w, 0.2)), repr(em(p, np.ones(200), 0.2)))
