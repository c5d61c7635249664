import numpy as np
from statsmodels.stats.inter_rater import fleiss_kappa, cohens_kappa, aggregate_raters
from sklearn.metrics import cohen_kappa_score
# Fleiss 1971 Table 1: 30 patients x 6 ratings (1 depression,2 personality disorder,3 schizophrenia,4 neurosis,5 other)
f = [[4,4,4,4,4,4],[2,2,2,5,5,5],[2,3,3,3,3,5],[5,5,5,5,5,5],[2,2,2,4,4,4],[1,1,3,3,3,3],[3,3,3,3,5,5],
[1,1,3,3,3,4],[1,1,4,4,4,4],[5,5,5,5,5,5],[1,4,4,4,4,4],[1,2,4,4,4,4],[2,2,2,3,3,3],[1,4,4,4,4,4],[2,2,4,4,4,5],
[3,3,3,3,3,5],[1,1,1,4,5,5],[1,1,1,1,1,2],[2,2,4,4,4,4],[1,3,3,5,5,5],[5,5,5,5,5,5],[2,4,4,4,4,4],[2,2,4,5,5,5],
[1,1,4,4,4,4],[1,4,4,4,4,5],[2,2,2,2,2,4],[1,1,1,1,5,5],[2,2,4,4,4,4],[1,3,3,3,3,3],[5,5,5,5,5,5]]
t,_ = aggregate_raters(np.array(f))
print("fleiss1971", repr(fleiss_kappa(t)))
# Cohen: two raters, 3 categories
a = list("aaaaabbbbbccccccaabbcacbaaaaabbbccca")
b = list("aaaabbbbbcccccccabbbcaabaaaaabbccccb")
print(len(a), len(b))
print("sklearn", repr(cohen_kappa_score(a,b)))
cats = sorted(set(a)|set(b))
tab = np.zeros((3,3))
for x,y in zip(a,b): tab[cats.index(x), cats.index(y)] += 1
print(tab)
r = cohens_kappa(tab)
print("sm kappa", repr(r.kappa), "std", repr(r.std_kappa), "low", repr(r.kappa_low), "upp", repr(r.kappa_upp))
