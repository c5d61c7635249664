# Writes twophase/stratified.csv: a synthetic two-phase sample. Phase 1: stratified SRS without
# replacement (strata A, B, C); phase 2: stratified SRS of the phase-1 sample by the LLM decision.
# python3 (Debian 12), numpy 1.24.2.
# Two files: stratified.csv (phase-1 strata of unequal sample sizes) and balanced.csv (equal sizes).
import numpy as np

def write(path, sizes, seed):
  rng = np.random.default_rng(seed)
  strata = [("A", 4000, sizes[0], 0.03), ("B", 1000, sizes[1], 0.12), ("C", 200, sizes[2], 0.40)]
  rows = []
  for h, N, n, prev in strata:
      for k in range(n):
          y = int(rng.random() < prev)
          llm = int(rng.random() < (0.85 if y else 0.07))
          m = float(np.round(np.exp(rng.normal(1.0, 0.8)), 2))
          rows.append(dict(id=f"{h}{k}", stratum=h, N=N, pi1=n / N, m=m, llm=llm, y=y))
  pos = [r for r in rows if r["llm"] == 1]
  neg = [r for r in rows if r["llm"] == 0]
  n2 = {"llm_positive": 25, "llm_negative": 35}
  for name, group in (("llm_positive", pos), ("llm_negative", neg)):
      chosen = set(rng.choice(len(group), size=n2[name], replace=False).tolist())
      for j, r in enumerate(group):
          r["ingold"] = int(j in chosen)
          r["s2"] = name
          r["pi2"] = n2[name] / len(group)
  with open(path, "w") as f:
      f.write("id,stratum,N,pi1,m,llm,ingold,y,s2,pi2\n")
      for r in rows:
          y = r["y"] if r["ingold"] else ""
          f.write(f'{r["id"]},{r["stratum"]},{r["N"]},{r["pi1"]!r},{r["m"]!r},{r["llm"]},{r["ingold"]},{y},{r["s2"]},{r["pi2"]!r}\n')
  print(len(rows), len(pos), len(neg), sum(r["ingold"] and r["y"] for r in rows))

write("twophase/stratified.csv", (60, 60, 40), 20261126)
write("twophase/balanced.csv", (50, 50, 50), 7)
