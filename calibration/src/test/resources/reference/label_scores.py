# Reference values for ScoreQualityTest / ScoreMapTest (calibration.scores): label scores against gold.
# Run: /usr/bin/python3 calibration/src/test/resources/reference/label_scores.py
# (sklearn 1.2.1, statsmodels, numpy). The DeLong interval: label_scores_delong.R (pROC 1.18.0).
import numpy as np
import statsmodels.api as sm
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import brier_score_loss, roc_auc_score

N = 60
i = np.arange(N)
s = ((i * 37) % 101) / 100.0
s[7] = s[8]                                  # a tie
y = (((i * 13) % 7) < 1 + 5 * s).astype(float)
w = 1 + (i % 4) * 0.5

print("auc unweighted", repr(roc_auc_score(y, s)))
print("auc weighted", repr(roc_auc_score(y, s, sample_weight=w)))
print("brier unweighted", repr(brier_score_loss(y, s)))
print("brier weighted", repr(brier_score_loss(y, s, sample_weight=w)))

iso = IsotonicRegression(out_of_bounds="clip").fit(s, y, sample_weight=w)
probe = np.array([-0.0, 0.03, 0.2, 0.37, 0.5, 0.64, 0.81, 0.95, 1.0])
print("isotonic", [repr(v) for v in iso.predict(probe)])

x = np.log(np.clip(s, 1e-6, 1 - 1e-6) / (1 - np.clip(s, 1e-6, 1 - 1e-6)))
glm = sm.GLM(y, sm.add_constant(x), family=sm.families.Binomial(), freq_weights=w).fit(tol=1e-14)
print("platt a b", [repr(v) for v in glm.params])
