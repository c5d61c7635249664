# Reference values for RecalibrationTest: logistic recalibration logit P(y|f) = a + b logit f, weighted by
# 1/pi normalised to sum to n, ridge (a^2 + (b-1)^2)/2, minimised with scipy (BFGS). Run: python3 recalibration.py
import numpy as np
from scipy.optimize import minimize
f = np.array([.4,.71,.29,.1,.95,.56,.64,.57,.48,.14,.32,.73,.89,.87,.93,.04])
y = np.array([1,0,1,0,0,0,1,0,0,0,1,0,1,0,1,0], float)
pi = np.array([.5,.8,.6,.9,.3,.4,.7,.2,.35,.6,.5,.8,.6,.9,.3,.4])
w = 1/pi; w = w*len(w)/w.sum()
x = np.log(f/(1-f))
def nll(t):
    a,b = t; eta = a+b*x
    return -(w*(y*eta - np.logaddexp(0,eta))).sum() + 0.5*(a*a + (b-1)**2)
r = minimize(nll, [0,1], method='BFGS', options={'gtol':1e-12})
print(repr(r.x[0]), repr(r.x[1]))
