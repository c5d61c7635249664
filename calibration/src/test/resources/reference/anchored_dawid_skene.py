"""Reference for RaterErrorModelTest: binary Dawid-Skene (1979) by EM, written from the formulas
with numpy, with honeypots' classes clamped and one prior per review stratum.

    /usr/bin/python3 calibration/src/test/resources/reference/anchored_dawid_skene.py

Model: item i in stratum s is violating with prior pi_s; rater j answers positive with probability
Se_j if it is, 1 - Sp_j if not. EM from the items' vote shares (honeypots one-hot); M-step with a
pseudo-count s on each of the two cells of a confusion row and of a prior; E-step in log space;
stop when the log-likelihood changes by at most 1e-10 (1 + |ll|).

Each reviewed item's unbiased gold g_i = (q_i - e0_i)/(e1_i - e0_i) at its leave-one-out prior (below).

Second part (WEIGHTED): the same answers with a design weight w_i per reviewed item, and the prior
logistic in x_i = log w_i - mean_s log w (Raykar et al. 2010): logit p_i = alpha_s + beta x_i, the
M-step maximising sum_i [q_i log p_i + (1-q_i) log(1-p_i)] + S sum_s [log sig(alpha_s) +
log(1-sig(alpha_s))] - beta^2/2 over the reviewed items, fully, by Newton's method (numpy.linalg).
"""
import numpy as np

DATA = ("i00 hp 1 - 1 - 1;i01 hp 0 0 0 0 -;i02 hp 1 1 1 - 1;i03 hp 0 0 0 - -;i04 hp 1 1 - 1 1;i05 hp 0 0 0 0 -;"
        "i06 hp 1 - 1 - 0;i07 hp 0 0 0 1 -;i08 pos - - 0 0 0;i09 pos - 0 - - 0;i10 pos - - 1 1 1;i11 pos - 0 0 - 0;"
        "i12 pos - 0 - 0 -;i13 pos - 1 1 - 1;i14 pos - 1 1 0 -;i15 pos - - - 0 0;i16 pos - 0 0 - 0;i17 pos - 0 0 0 -;"
        "i18 pos - 0 1 - -;i19 pos - 1 - 1 0;i20 pos - 0 - 0 0;i21 pos - - - 0 1;i22 pos - 1 1 - 1;i23 pos - 1 1 - 1;"
        "i24 pos - - 0 - 1;i25 pos - 0 - 1 0;i26 pos - 0 0 1 -;i27 pos - - 0 - 0;i28 pos - 0 0 0 -;i29 pos - 0 0 - 0;"
        "i30 neg - - 0 - 0;i31 neg - - 0 1 0;i32 neg - 1 1 - 1;i33 neg - 0 - - 0;i34 neg - - 0 0 0;i35 neg - 0 - 0 0;"
        "i36 neg - - 0 0 -;i37 neg - 0 0 - 0;i38 neg - 0 0 - 0;i39 neg - 0 - 0 -;i40 neg - 0 0 - 0;i41 neg - - 0 0 0;"
        "i42 neg - 1 1 - -;i43 neg - 0 - 0 0;i44 neg - 0 0 0 -;i45 neg - - - 0 0;i46 neg - 0 0 - 0;i47 neg - 0 - 0 0;"
        "i48 neg - - 0 0 -;i49 neg - 0 0 - 0;i50 neg - 0 - 1 0;i51 neg - - - 0 0;i52 neg - 0 0 - 0;i53 neg - - 0 0 0;"
        "i54 neg - 0 - 0 -;i55 neg - - 1 0 0;i56 neg - 0 0 0 -;i57 neg - 0 - - 0;i58 neg - - 1 0 0;i59 neg - 0 - 0 0")
S = 0.01
WEIGHTED = False
import sys
if len(sys.argv) > 1 and sys.argv[1] == "weighted":
    WEIGHTED = True

rows = [r.split() for r in DATA.split(";")]
A = np.array([[np.nan if x == "-" else float(x) for x in r[3:]] for r in rows])  # items x raters
known = np.array([np.nan if r[2] == "-" else float(r[2]) for r in rows])
strata = [r[1] for r in rows]
groups = sorted(set(s for s, k in zip(strata, known) if np.isnan(k)))
g = np.array([groups.index(s) if np.isnan(k) else -1 for s, k in zip(strata, known)])
obs = ~np.isnan(A)
A0 = np.nan_to_num(A)

# the weights of the second part: w_i = 2^((5 i mod 7) - 3) for item index i
w = 2.0 ** ((5 * np.arange(len(rows))) % 7 - 3)
free = np.isnan(known)
x = np.zeros(len(rows))
for k in range(len(groups)):
    members = free & (g == k)
    x[members] = np.log(w[members]) - np.log(w[members]).mean()
sig = lambda e: 1 / (1 + np.exp(-e))
coef = np.zeros(len(groups) + 1)


def logistic_prior(q, coef):
    """Newton's method to convergence on the penalised soft-label log-likelihood."""
    G = len(groups)
    for _ in range(200):
        eta = coef[np.maximum(g, 0)] + coef[G] * x
        p = sig(eta)
        X = np.zeros((len(rows), G + 1))
        X[np.arange(len(rows)), np.maximum(g, 0)] = 1
        X[:, G] = x
        X = X[free]
        r = (q - p)[free]
        v = (p * (1 - p))[free]
        grad = X.T @ r
        H = (X * v[:, None]).T @ X
        pa = sig(coef[:G])
        grad[:G] += S * (1 - 2 * pa)
        H[np.arange(G), np.arange(G)] += 2 * S * pa * (1 - pa)
        grad[G] -= coef[G]
        H[G, G] += 1
        step = np.linalg.solve(H, grad)
        coef = coef + step
        if np.abs(step).max() < 1e-13:
            break
    return coef


q = np.where(np.isnan(known), (A0 * obs).sum(1) / obs.sum(1), known)
ll_old = -np.inf
for it in range(1000):
    prior = np.array([(q[free & (g == k)].sum() + S) / ((free & (g == k)).sum() + 2 * S) for k in range(len(groups))])
    if WEIGHTED:
        coef = logistic_prior(q, coef)
        prior = sig(coef[:len(groups)])
    se = (((q[:, None] * A0) * obs).sum(0) + S) / ((q[:, None] * obs).sum(0) + 2 * S)
    sp = ((((1 - q)[:, None] * (1 - A0)) * obs).sum(0) + S) / (((1 - q)[:, None] * obs).sum(0) + 2 * S)
    lp = np.where(obs, A0 * np.log(se) + (1 - A0) * np.log(1 - se), 0).sum(1)
    ln = np.where(obs, A0 * np.log(1 - sp) + (1 - A0) * np.log(sp), 0).sum(1)
    pr = np.where(free, prior[np.maximum(g, 0)], 0.5)
    if WEIGHTED:
        pr = np.where(free, sig(coef[np.maximum(g, 0)] + coef[len(groups)] * x), 0.5)
    a = np.where(free, np.log(pr) + lp, np.where(known == 1, lp, -np.inf))
    b = np.where(free, np.log(1 - pr) + ln, np.where(known == 0, ln, -np.inf))
    m = np.maximum(a, b)
    ll = (m + np.log(np.exp(a - m) + np.exp(b - m))).sum()
    q = np.exp(a - m) / (np.exp(a - m) + np.exp(b - m))
    if abs(ll - ll_old) <= 1e-10 * (1 + abs(ll)):
        break
    ll_old = ll
np.set_printoptions(precision=10)
print("iterations", it + 1)
print("groups", groups, "prior", prior, "slope", coef[len(groups)] if WEIGHTED else 0)
print("se", se)
print("sp", sp)
print("posterior i08 i10 i19 i31 i32 i42", q[[8, 10, 19, 31, 32, 42]])

# The posteriors plumb writes use each item's stratum prior without the item itself (leave-one-out):
# pi_{s,-i} = (sum_{k in s} q_k - q_i + S) / (n_s - 1 + 2 S), at the fitted Se/Sp.
# With the logistic prior (WEIGHTED): odds(pi_{-i}) = odds(p_i) (S_s - q_i + S) / (P_s - p_i + S), S_s = sum_{k in s} q_k,
# P_s = sum_{k in s} p_k, p_i the item's fitted prior (the rare-class intercept re-fitted without the item).
loo = np.full(len(q), np.nan)
unbiased = np.full(len(q), np.nan)
noise = np.full(len(q), np.nan)
import itertools
for i in np.where(np.isnan(known))[0]:
    members = np.isnan(known) & (g == g[i])
    if WEIGHTED:
        pk = sig(coef[g[i]] + coef[len(groups)] * x)
        odds = pk[i] / (1 - pk[i]) * (q[members].sum() - q[i] + S) / (pk[members].sum() - pk[i] + S)
        p = odds / (1 + odds)
    else:
        p = (q[members].sum() - q[i] + S) / (members.sum() - 1 + 2 * S)
    a1 = np.log(p) + lp[i]
    b1 = np.log(1 - p) + ln[i]
    loo[i] = 1 / (1 + np.exp(b1 - a1))
    # The unbiased gold (Natarajan et al. 2013): g_i = (q_i - e0)/(e1 - e0), e_c = sum over every answer
    # pattern a of item i's raters of P(a | class c) q(a), q(a) the posterior of that pattern at the same
    # prior p and rates, so that E[g_i | class c] = c.
    raters = np.where(obs[i])[0]
    e0 = e1 = 0.0
    for pattern in itertools.product([0, 1], repeat=len(raters)):
        a = np.array(pattern, dtype=float)
        p1 = np.prod(np.where(a == 1, se[raters], 1 - se[raters]))
        p0 = np.prod(np.where(a == 1, 1 - sp[raters], sp[raters]))
        qa = p * p1 / (p * p1 + (1 - p) * p0)
        e1 += p1 * qa
        e0 += p0 * qa
    unbiased[i] = (loo[i] - e0) / (e1 - e0)
    # The answers' noise in g_i: v_i = q_i Var(g | violating) + (1 - q_i) Var(g | clean),
    # Var(g | c) = sum_a P(a | c) (g(a) - c)^2, g(a) = (q(a) - e0)/(e1 - e0), over the same patterns.
    v1 = v0 = 0.0
    for pattern in itertools.product([0, 1], repeat=len(raters)):
        a = np.array(pattern, dtype=float)
        p1 = np.prod(np.where(a == 1, se[raters], 1 - se[raters]))
        p0 = np.prod(np.where(a == 1, 1 - sp[raters], sp[raters]))
        ga = (p * p1 / (p * p1 + (1 - p) * p0) - e0) / (e1 - e0)
        v1 += p1 * (ga - 1) ** 2
        v0 += p0 * ga ** 2
    noise[i] = loo[i] * v1 + (1 - loo[i]) * v0
print("leave-one-out posterior i08 i10 i19 i31 i32 i42", loo[[8, 10, 19, 31, 32, 42]])
print("unbiased gold i08 i10 i19 i31 i32 i42", unbiased[[8, 10, 19, 31, 32, 42]])
print("answer noise of the unbiased gold i08 i10 i19 i31 i32 i42", noise[[8, 10, 19, 31, 32, 42]])
