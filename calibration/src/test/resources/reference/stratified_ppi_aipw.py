# Reference values for StratifiedPpiAipwTest: stratified PPI (Fisch et al. 2024, NeurIPS, λ_h per
# stratum = design-weighted Cov_h(y, f)/Var_h(f) for nested samples) and active inference's AIPW
# estimator (Zrnic & Candès 2024, ICML), written from the papers' formulas with numpy.
# Run: python3 stratified_ppi_aipw.py
import numpy as np
# Phase 1: SRS of 16 units from N = 160 (d1 = 10); exposure m; LLM call and probability f.
m    = np.array([3,1,7,2,5,1,4,9,2,6,1,3,8,2,5,4], float)
call = np.array([1,0,0,1,0,0,1,0,0,0,1,0,0,0,1,0], float)
f    = np.array([.4,.71,.29,.1,.95,.56,.64,.57,.48,.14,.32,.73,.89,.87,.93,.04])
y    = np.array([1,0,1,0,0,0,1,0,0,0,1,0,1,0,1,0], float)
d1 = 10.0
w1 = d1*m
T = w1.sum()
def strat_ppi(G, pi):
    est = 0; lams = []
    for h in (0,1):
        S_h = call == h
        T_h = w1[S_h].sum(); F_h = (w1*f)[S_h].sum()/T_h
        g = np.array([i for i in G if call[i]==h]); p = np.array([pi[i] for i in g])
        w = w1[g]/p
        yb = (w*y[g]).sum()/w.sum(); fb = (w*f[g]).sum()/w.sum()
        k = (1-p)*w*w
        den = (k*(f[g]-fb)**2).sum()
        lam = min(1, max(0, (k*(y[g]-yb)*(f[g]-fb)).sum()/den)) if den > 1e-300 else 0.0
        lams.append(lam)
        est += T_h/T*(yb + lam*(F_h - fb))
    return est, lams
def aipw(G, pi):
    """Active AIPW with plumb's λ: λ̂ = Σκyf/Σκf² (κ = (1-π)w², clipped [0, 1], 1 if undefined) shrunk toward 1,
    λ̃ = 1 - (1-λ̂)·max(0, 1 - v/(1-λ̂)²), v = Σκ²f³(1-f)/(Σκf²)² (λ̂'s variance were y ~ Bernoulli(f)).
    Returns (estimate, λ̃, λ̂)."""
    g = np.array(G); p = np.array([pi[i] for i in g]); w = w1[g]/p
    k = (1-p)*w*w
    den = (k*f[g]**2).sum()
    fit = min(1,max(0,(k*y[g]*f[g]).sum()/den)) if den>1e-300 else 1.0
    lam = fit
    if den > 1e-300 and fit < 1:
        v = (k**2*f[g]**3*(1-f[g])).sum()/den**2
        lam = 1 - (1-fit)*max(0, 1 - v/(1-fit)**2)
    return (lam*(w1*f).sum() + (w*(y[g]-lam*f[g])).sum())/T, lam, fit
# stratified SRS review: 4 of the 5 LLM-positives (pi 3/5), 5 of the 11 LLM-negatives (pi 5/11)
G = [0,3,6,14, 1,2,7,9,12]
pi = {i:(4/5 if call[i]==1 else 5/11) for i in G}
print("stratified review: strat-ppi", repr(strat_ppi(G,pi)), "aipw", repr(aipw(G,pi)))
# Poisson (active) review with unit pi
piA = {0:.5,2:.8,3:.6,7:.9,9:.3,10:.4,12:.7,13:.2,15:.35}
GA = list(piA)
print("active review: strat-ppi", repr(strat_ppi(GA,piA)), "aipw", repr(aipw(GA,piA)))
# AIPW phase-2 variance under Poisson with λ fixed: Σ_G (1-π)(w1 (y-λf)/(π T))²
est, lam, fit = aipw(GA, piA)
g = np.array(GA); p = np.array([piA[i] for i in g])
print("active v2 linearised", repr(((1-p)*(w1[g]*(y[g]-lam*f[g])/(p*T))**2).sum()))
# PPI++'s floor on the phase-2 variance (the variance f anticipates, as stratified PPI and AIPW have):
# Σ_G (1-π)/π² (m d1 / M_G)² f(1-f), M_G = Σ_G m d1/π, on the stratified review
g = np.array(G); p = np.array([pi[i] for i in g]); MG = (w1[g]/p).sum()
print("ppi++ v2 model, stratified review", repr(((1-p)/p**2*(w1[g]/MG)**2*f[g]*(1-f[g])).sum()))
# λ̂ = 0: both reviewed positives (0, 6) reviewed with certainty (κ = 0), so Σκyf = 0 while Σκf² > 0
piZ = {0:1.0,6:1.0,1:.3,7:.25,9:.5,15:.4}
print("positives seen only at pi = 1: aipw (estimate, lambda, lambda_fitted)", repr(aipw(list(piZ), piZ)))
# λ̂ = 1 (clipped): the positives reviewed in part carry f near y
piO = {0:.5,2:.6,12:.7,3:.4,9:.3}
print("lambda_fitted clipped at 1: aipw (estimate, lambda, lambda_fitted)", repr(aipw(list(piO), piO)))
# h49: the floor is the larger of the stated one and the same with f recalibrated on the gold (docs/calibration.md
# "The floor under an overconfident LLM"; h50: fitted on the gold calls, which here, exact gold, are y): Platt's
# logit p = a + b logit f (f clipped to [1e-6, 1 - 1e-6]), weighted maximum likelihood with weights d1/pi by Newton's
# method (numpy), on the reviewed units; then
# max(sum_G (1-pi)/pi^2 c^2 f(1-f), sum_G (1-pi)/pi^2 c^2 p(1-p)). Shown on the active review with the LLM's f made
# overconfident, sigma(2.5 logit f): c = m d1 / T for active AIPW.
def platt(fg, yg, wg):
    x = np.log(np.clip(fg, 1e-6, 1-1e-6)/(1-np.clip(fg, 1e-6, 1-1e-6)))
    X = np.column_stack([np.ones_like(x), x]); t = np.zeros(2)
    t[0] = np.log((wg*yg).sum()/(wg*(1-yg)).sum())
    for _ in range(100):
        p = 1/(1+np.exp(-X@t))
        step = np.linalg.solve(X.T@(X*(wg*p*(1-p))[:,None]), X.T@(wg*(yg-p)))
        t = t + step
        if np.abs(step).sum() < 1e-14: break
    return t, 1/(1+np.exp(-X@t))
def floors(fs, G, pi, c):
    g = np.array(G); p = np.array([pi[i] for i in g]); k = (1-p)/p**2*c[g]**2
    (a, b), q = platt(fs[g], y[g], d1/p)
    return (k*fs[g]*(1-fs[g])).sum(), (k*q*(1-q)).sum(), a, b
fo = 1/(1+np.exp(-2.5*np.log(f/(1-f))))
st, rc, a, b = floors(fo, GA, piA, w1/T)
print("overconfident f, active review, active-aipw floor: stated", repr(st), "recalibrated", repr(rc), "a", repr(a), "b", repr(b))
st, rc, a, b = floors(f, GA, piA, w1/T)
print("stated f, active review, active-aipw floor: stated", repr(st), "recalibrated", repr(rc), "a", repr(a), "b", repr(b))
g = np.array(G); p = np.array([pi[i] for i in g]); MG = (w1[g]/p).sum()
st, rc, a, b = floors(f, G, pi, w1/MG)
print("stated f, stratified review, ppi++ floor: stated", repr(st), "recalibrated", repr(rc), "a", repr(a), "b", repr(b))
# the stratified review that saw every LLM-positive (pi 1) and three clean LLM-negatives (pi 3/11): PPI++'s floor,
# c = m d1 / M_G, with the overconfident f (the recalibrated floor the larger) and with the stated f (the stated one)
GB = [0,3,6,10,14, 1,7,9]; piB = {i:(1.0 if call[i]==1 else 3/11) for i in GB}
g = np.array(GB); p = np.array([piB[i] for i in g]); MG = (w1[g]/p).sum()
for name, fs in (("overconfident", fo), ("stated", f)):
    st, rc, a, b = floors(fs, GB, piB, w1/MG)
    print(name, "f, blind stratified review, ppi++ floor: stated", repr(st), "recalibrated", repr(rc), "a", repr(a), "b", repr(b))
