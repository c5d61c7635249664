# Writes quality/judgements.csv (a synthetic fixture) and prints the reference values used in
# DecisionQualityTest. python3 (Debian 12): numpy 1.24.2, sklearn 1.2.1, statsmodels 0.13.5.
import csv, random
import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support, cohen_kappa_score
from statsmodels.stats.proportion import proportion_confint

random.seed(5)
rows = []
for i in range(60):
    stratum = "high" if i < 25 else "low"
    weight = round(random.choice([1, 2, 5]) * (1 if stratum == "high" else 8) * random.uniform(0.5, 1.5), 3)
    gold_pos = random.random() < (0.5 if stratum == "high" else 0.1)
    if gold_pos:
        llm_pos = random.random() < 0.8
    else:
        llm_pos = random.random() < 0.15
    gold = "violating" if gold_pos else random.choice(["safe", "safe", "borderline"])
    llm = "violating" if llm_pos else random.choice(["safe", "safe", "borderline"])
    gcat = random.choice(["promotion", "instructions"]) if gold_pos else ""
    lcat = (gcat if random.random() < 0.8 and gcat else random.choice(["promotion", "instructions"])) if llm_pos else ""
    conf = "" if i % 17 == 3 else round(random.uniform(0.5, 1.0), 2)
    rows.append(dict(unit=f"u{i}", stratum=stratum, weight=weight, llm_decision=llm, llm_positive=llm_pos,
                     llm_category=lcat, confidence=conf, gold_decision=gold, gold_positive=gold_pos, gold_category=gcat))
with open("quality/judgements.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    for r in rows:
        w.writerow({k: (str(v).lower() if isinstance(v, bool) else v) for k, v in r.items()})

y = np.array([r["gold_positive"] for r in rows], int)
yh = np.array([r["llm_positive"] for r in rows], int)
wt = np.array([r["weight"] for r in rows], float)

def kish(ws):
    ws = np.asarray(ws, float)
    return ws.sum() ** 2 / (ws ** 2).sum()

def wilson(mask_den, success, weights):
    ws = weights[mask_den]
    p = (ws * success[mask_den]).sum() / ws.sum()
    n = kish(ws)
    lo, hi = proportion_confint(p * n, n, method="wilson")
    return p, n, lo, hi

for name, weights in (("weighted", wt), ("unweighted", np.ones_like(wt))):
    print("==", name)
    print("confusion [[tn fp] [fn tp]]", confusion_matrix(y, yh, sample_weight=weights).tolist())
    p, r, f, _ = precision_recall_fscore_support(y, yh, average="binary", sample_weight=weights)
    print("precision", repr(p), "recall", repr(r), "f1", repr(f))
    print("kappa", repr(cohen_kappa_score(y, yh, sample_weight=weights)))
    print("sensitivity", wilson(y == 1, yh == 1, weights))
    print("specificity", wilson(y == 0, yh == 0, weights))
    print("precision  ", wilson(yh == 1, y == 1, weights))
    print("npv        ", wilson(yh == 0, y == 0, weights))
    # F1 = TP/(TP + (FP+FN)/2): a ratio over the units positive for either side, an error weighing half
    d = (y == 1) | (yh == 1)
    print("f1         ", wilson(d, (y == 1) & (yh == 1), np.where((y == 1) & (yh == 1), weights, weights / 2)))
    # Gwet AC1 for two raters (Gwet 2008): pa = sum p_kk, pi_k = (p_k+ + p_+k)/2, pe = sum pi_k(1-pi_k)/(q-1)
    t = confusion_matrix(y, yh, sample_weight=weights) / weights.sum()
    pa = np.trace(t); pik = (t.sum(0) + t.sum(1)) / 2; pe = (pik * (1 - pik)).sum() / (2 - 1)
    print("ac1", repr((pa - pe) / (1 - pe)))
    # per stratum
    for s in ("high", "low"):
        m = np.array([r["stratum"] == s for r in rows])
        print(" stratum", s, "sensitivity", wilson(m & (y == 1), yh == 1, weights), "specificity", wilson(m & (y == 0), yh == 0, weights))
    # per category (one-vs-rest: positive with this category)
    for c in ("instructions", "promotion"):
        yc = np.array([r["gold_positive"] and r["gold_category"] == c for r in rows], int)
        yhc = np.array([r["llm_positive"] and r["llm_category"] == c for r in rows], int)
        p, r_, f, _ = precision_recall_fscore_support(yc, yhc, average="binary", sample_weight=weights)
        print(" category", c, "precision", repr(p), "recall", repr(r_), "f1", repr(f))
    # decisions confusion (labels sorted)
    dec = sorted({r["gold_decision"] for r in rows} | {r["llm_decision"] for r in rows})
    print("decisions", dec, confusion_matrix([r["gold_decision"] for r in rows], [r["llm_decision"] for r in rows], labels=dec, sample_weight=weights).tolist())
    # reliability: 10 bins on confidence, correct = decisions equal
    conf = [(r["confidence"], r["llm_decision"] == r["gold_decision"], wgt) for r, wgt in zip(rows, weights) if r["confidence"] != ""]
    tot = sum(c[2] for c in conf); ece = 0
    for b in range(10):
        inb = [c for c in conf if min(9, int(np.floor(c[0] * 10))) == b]
        if not inb: continue
        W = sum(c[2] for c in inb); acc = sum(c[2] for c in inb if c[1]) / W; mc = sum(c[2] * c[0] for c in inb) / W
        ece += W / tot * abs(acc - mc)
    print("ece", repr(ece))
