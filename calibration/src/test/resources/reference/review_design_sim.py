#!/usr/bin/python3
"""Prototype behind docs/calibration.md "Then the classifier got better, and coverage worse".

Holds the demo's phase-1 sample fixed (out/demo: sample.jsonl, labels.jsonl, logs/truth.jsonl) and
redraws only the phase-2 review, with the truth as gold, for several review designs. For each
policy it prints how often the interval for the phase-1 total sum_S w*y (w = m/pi1) contains it,
and the interval's mean width in percentage points of sum_S w:

  wald   Wald on the stratified-SRS variance sum_h N_h^2 (1 - f_h) s_h^2 / n_h (what Korn-Graubard
         reduces to at the demo's effective sample sizes);
  mover  per class a Wilson interval for the Hajek rate on Kish's n of the reviewed weights (with
         the finite-population correction n/(1 - f_h)), combined by MOVER (Zou & Donner 2008):
         P +- sqrt(sum_h (W_h (p_h - l_h))^2).

Classes follow WeightClasses.java (equal total tilted weight, min 2 each, the rest in proportion to
sqrt(N_h W_h)); "weight_and_score" tilts w by max(0.1, sqrt(s(1-s))) of the highest score, as
QueueExport.scoreTilt. "by_policy" splits llm_positive by which policies the labels call.

  ./plumb run fixtures/demo/run.yaml
  /usr/bin/python3 review_design_sim.py out/demo 600
"""
import collections, json, math, random, sys

D = sys.argv[1].rstrip('/') + '/'
REPS = int(sys.argv[2]) if len(sys.argv) > 2 else 600
POLICIES = ['adult_sexual', 'harassment', 'misinformation', 'self_harm']
Z = 1.959963984540054

truth = collections.defaultdict(dict)
for line in open(D + 'logs/truth.jsonl'):
    r = json.loads(line)
    truth[r['unit']][r['policy']] = r['positive']
called = collections.defaultdict(set)
for line in open(D + 'labels.jsonl'):
    r = json.loads(line)
    if r.get('positive'):
        called[r['unit']].add(r['policy'].split('@')[0])
UNITS = []
for line in open(D + 'sample.jsonl'):
    r = json.loads(line)
    u = {'id': r['id'], 'w': r['weight'] / r['design']['pi'], 's': r['scores'], 'called': called[r['id']]}
    u['y'] = {p: bool(truth[r['id']].get(p)) for p in POLICIES}
    UNITS.append(u)
TOTAL = sum(u['w'] for u in UNITS)


def allocate(units, a, n):
    h = len(units); base = [min(2, x) for x in units]; full = [False] * h
    while True:
        rest = n - sum(units[c] if full[c] else base[c] for c in range(h))
        free = sum(0 if full[c] else a[c] for c in range(h))
        share = [units[c] if full[c] else base[c] + (rest * a[c] / free if free > 0 else 0) for c in range(h)]
        grew = False
        for c in range(h):
            if not full[c] and share[c] >= units[c]:
                full[c] = True; grew = True
        if not grew:
            break
    alloc = [min(units[c], math.floor(share[c] + 1e-9)) for c in range(h)]
    given = sum(alloc)
    for c in sorted(range(h), key=lambda c: (-(share[c] - alloc[c]), -c)):
        if given < n and alloc[c] < units[c]:
            alloc[c] += 1; given += 1
    return alloc


def split(members, n, k, tilt):
    """WeightClasses.split on w * tilt: [(units, n_h)]."""
    if n >= len(members):
        return [(members, len(members))]
    w = [u['w'] * tilt(u) for u in members]
    k = min(k, max(1, n // 2)); total = sum(w)
    order = sorted(range(len(w)), key=lambda i: (w[i], i))
    classes, before = collections.OrderedDict(), 0.0
    for i in order:
        c = min(k - 1, math.floor(k * (before + w[i] / 2) / total))
        before += w[i]
        classes.setdefault(c, []).append(i)
    groups = list(classes.values())
    a = [math.sqrt(len(g) * sum(w[i] for i in g)) for g in groups]
    return [([members[i] for i in g], nh) for g, nh in zip(groups, allocate([len(g) for g in groups], a, n))]


def score_sd(u):
    s = max(u['s'].values())
    return max(0.1, math.sqrt(s * (1 - s)))


def design(n_pos, n_neg, k, tilt, by_policy=False):
    strata = []
    pos = [u for u in UNITS if u['called']]
    if by_policy:
        groups = collections.OrderedDict()
        for u in sorted(pos, key=lambda u: '+'.join(sorted(u['called']))):
            groups.setdefault('+'.join(sorted(u['called'])) if len(u['called']) == 1 else 'several', []).append(u)
        gs = list(groups.values())
        budgets = allocate([len(g) for g in gs], [math.sqrt(len(g) * sum(u['w'] for u in g)) for g in gs], n_pos)
        for g, nb in zip(gs, budgets):
            strata += split(g, nb, k, tilt)
    else:
        strata += split(pos, n_pos, k, tilt)
    strata += split([u for u in UNITS if not u['called']], n_neg, k, tilt)
    return strata


def wilson(p, n):
    d = 1 + Z * Z / n; c = (p + Z * Z / (2 * n)) / d
    h = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)


def simulate(strata, reps, seed=1):
    rnd = random.Random(seed)
    target = {p: sum(u['w'] for u in UNITS if u['y'][p]) for p in POLICIES}
    out = {p: collections.Counter() for p in POLICIES}
    for _ in range(reps):
        draws = [(units, rnd.sample(units, n)) for units, n in strata]
        for p in POLICIES:
            est = var = lo2 = hi2 = 0.0
            for units, drawn in draws:
                big_n, n = len(units), len(drawn)
                ys = [u['w'] * u['y'][p] for u in drawn]
                mean = sum(ys) / n; est += big_n * mean
                if n == big_n:
                    continue
                f = n / big_n
                if n > 1:
                    var += big_n * big_n * (1 - f) * sum((y - mean) ** 2 for y in ys) / (n - 1) / n
                ws = [u['w'] for u in drawn]
                rate = sum(ys) / sum(ws); kish = sum(ws) ** 2 / sum(x * x for x in ws) / (1 - f)
                lo, hi = wilson(rate, kish); wh = sum(u['w'] for u in units)
                lo2 += (wh * (rate - lo)) ** 2; hi2 += (wh * (hi - rate)) ** 2
            t, c = target[p], out[p]
            se = math.sqrt(var)
            c['wald'] += abs(est - t) <= Z * se; c['wald width'] += 2 * Z * se
            lower, upper = est - math.sqrt(lo2), est + math.sqrt(hi2)
            c['mover'] += lower <= t <= upper; c['mover width'] += upper - lower
    return out


DESIGNS = [
    ('committed: 300/600, 4 classes, weight_and_score', design(300, 600, 4, score_sd)),
    ('300/600, 4 classes by weight alone', design(300, 600, 4, lambda u: 1.0)),
    ('300/600, 8 classes, weight_and_score', design(300, 600, 8, score_sd)),
    ('300/600, llm_positive by policy, 4 classes each', design(300, 600, 4, score_sd, by_policy=True)),
    ('150/750, llm_positive by policy, 4 classes each', design(150, 750, 4, score_sd, by_policy=True)),
    ('300/900, 4 classes, weight_and_score', design(300, 900, 4, score_sd)),
    ('300/1200, 4 classes, weight_and_score', design(300, 1200, 4, score_sd)),
]
print('phase 1: %d units, %d called by no policy; %d review draws per design' % (
    len(UNITS), sum(1 for u in UNITS if not u['called']), REPS))
for name, strata in DESIGNS:
    res = simulate(strata, REPS)
    print(name)
    for p in POLICIES:
        c = res[p]
        print('  %-15s wald %.3f (%.3f pts)   mover %.3f (%.3f pts)' % (
            p, c['wald'] / REPS, 100 * c['wald width'] / REPS / TOTAL,
            c['mover'] / REPS, 100 * c['mover width'] / REPS / TOTAL))
