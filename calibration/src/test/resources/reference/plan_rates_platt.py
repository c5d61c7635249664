"""Reference for ReviewPlanTest.should_calibrate_the_scores_on_a_pilot_of_this_sample (PlanRates.platt).

logit q = a_c + b (logit s - xbar_c) per LLM call c, xbar_c the mean logit score of the cell's pilot units,
fitted to the pilot's gold calls by maximising
  sum_i [t_i log p_i + (1 - t_i) log(1 - p_i)] + 1/2 sum_c [log sigmoid(a_c) + log(1 - sigmoid(a_c))] - b^2/2
(scipy BFGS); prints the mean q over the 12 sampled units (equal weights: the planned prevalence).
Run: python3 calibration/src/test/resources/reference/plan_rates_platt.py
"""
import numpy as np
from scipy.optimize import minimize

scores = np.array([0.6, 0.7, 0.8, 0.9, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.4])
call = np.array([1] * 4 + [0] * 8)
# pilot: unit index -> gold call
pilot = {0: 0, 1: 1, 2: 1, 4: 0, 5: 0, 6: 0, 8: 0, 9: 1, 10: 0}
idx = np.array(sorted(pilot))
t = np.array([pilot[i] for i in idx], dtype=float)
x = np.log(scores / (1 - scores))
xbar = np.array([x[idx][call[idx] == c].mean() for c in (0, 1)])
xc = x[idx] - xbar[call[idx]]


def nll(theta):
    a, b = theta[:2], theta[2]
    eta = a[call[idx]] + b * xc
    ll = np.sum(t * eta - np.logaddexp(0, eta))
    prior = 0.5 * np.sum(-np.logaddexp(0, -a) - np.logaddexp(0, a))
    return -(ll + prior - b * b / 2)


fit = minimize(nll, np.zeros(3), method="BFGS", options={"gtol": 1e-12})
a, b = fit.x[:2], fit.x[2]
q = 1 / (1 + np.exp(-(a[call] + b * (x - xbar[call]))))
print("a", a, "b", b)
print("mean q %.12f" % q.mean())
