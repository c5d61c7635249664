#!/usr/bin/env python3
"""The baseline for bench/sample.sh: a plain one-pass reservoir sampler (Algorithm R, Vitter 1985)
over a JSON Lines frame, in the way one would write it in Python without plumb.

It does the minimum plumb's `sample` does per unit: parse the line as JSON, read `id` and
`weight`, check them, and keep n raw lines in a reservoir; at the end it writes them out.
It does not hash the file, check duplicate ids or compute inclusion probabilities.

usage: reservoir.py FRAME N OUT [SEED]
"""
import gzip
import json
import random
import sys


def main():
    frame, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 42)
    opener = gzip.open if frame.endswith(".gz") else open
    reservoir = []
    seen = 0
    total_weight = 0.0
    with opener(frame, "rb") as f:
        for line in f:
            if not line.strip():
                continue
            unit = json.loads(line)
            uid = unit["id"]
            if not isinstance(uid, str) or not uid:
                sys.exit(f"{frame}: id: expected a non-empty string")
            w = unit.get("weight", 1)
            if not isinstance(w, (int, float)) or w < 0:
                sys.exit(f"{frame}: weight: must be a number >= 0")
            total_weight += w
            seen += 1
            if len(reservoir) < n:
                reservoir.append(line)
            else:
                j = rng.randrange(seen)
                if j < n:
                    reservoir[j] = line
    with open(out, "wb") as o:
        o.writelines(reservoir)
    print(f"sampled {len(reservoir)} of {seen} units (total weight {total_weight:.0f})", file=sys.stderr)


if __name__ == "__main__":
    main()
