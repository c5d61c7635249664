#!/usr/bin/env python3
"""CPU seconds per JVM thread group, for bench/sample.sh: polls /proc/PID/task/*/stat of the child
of PARENT (the process /usr/bin/time started) until it exits, keeping each thread's last reading
(threads that end early keep what they had used), and prints one line:
parser=S reader=S gc=S jit=S other=S   ('parser' is the main thread that splits lines and parses
JSON; 'reader' reads, decompresses and hashes the file).

usage: threads.py PARENT_PID
"""
import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def child(parent):
    for _ in range(400):
        try:
            with open(f"/proc/{parent}/task/{parent}/children") as f:
                kids = f.read().split()
            if kids:
                return kids[0]
        except OSError:
            return None
        time.sleep(0.05)
    return None


def group(name):
    if name.startswith("plumb-frame-rea"):
        return "reader"
    if name in ("java", "main"):
        return "parser"
    if name.startswith(("GC Thread", "G1 ", "VM Periodic", "VM Thread")):
        return "gc" if not name.startswith("VM Periodic") else "other"
    if name.startswith(("C1 Compiler", "C2 Compiler")):
        return "jit"
    return "other"


def main():
    pid = child(sys.argv[1])
    seen = {}
    while pid and os.path.exists(f"/proc/{pid}"):
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            break
        for t in tasks:
            try:
                with open(f"/proc/{pid}/task/{t}/stat") as f:
                    s = f.read()
            except OSError:
                continue
            name = s[s.index("(") + 1:s.rindex(")")]
            fields = s[s.rindex(")") + 2:].split()
            seen[t] = (name, (int(fields[11]) + int(fields[12])) / TICK)
        time.sleep(0.2)
    totals = {"parser": 0.0, "reader": 0.0, "gc": 0.0, "jit": 0.0, "other": 0.0}
    for name, cpu in seen.values():
        totals[group(name)] += cpu
    if os.environ.get("THREADS_DEBUG"):
        print(sorted(seen.values(), key=lambda x: -x[1])[:12], file=sys.stderr)
    print(" ".join(f"{k}={v:.1f}" for k, v in totals.items()))


if __name__ == "__main__":
    main()
