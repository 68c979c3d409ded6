#!/usr/bin/env python3
"""The README's summary table from a bench result (bench/target/bench-result.md by default):
one line per op with the ratio libtorch/layerlab at 1 and 2 threads, forward and forward+backward,
layerlab's ms at 2 threads and its fraction of the machine's limit at 2 threads."""
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "bench/target/bench-result.md"
rows = {}
order = []
for line in open(path, encoding="utf-8"):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) != 9 or not cells[2].isdigit():
        continue
    op, pas, threads = cells[0], cells[1], int(cells[2])
    if op not in rows:
        rows[op] = {}
        order.append(op)
    rows[op][(pas, threads)] = {"ll": float(cells[3]), "ratio": float(cells[5]), "pct": cells[7]}

def get(op, pas, t, key, fmt="{:.2f}"):
    r = rows[op].get((pas, t))
    return fmt.format(r[key]) if r and key != "pct" else (r[key] if r else "—")

print("| op | ratio 1 thread fwd | 1 thread fwd+bwd | 2 threads fwd | 2 threads fwd+bwd "
      "| layerlab ms, 2 threads fwd / fwd+bwd | % of limit, 2 threads fwd / fwd+bwd |")
print("|---|---:|---:|---:|---:|---:|---:|")
for op in order:
    if ("step", 1) in rows[op] or ("step", 2) in rows[op]:
        print(f"| {op} | — | {get(op, 'step', 1, 'ratio')} | — | {get(op, 'step', 2, 'ratio')} "
              f"| {get(op, 'step', 2, 'll')} (step) | {get(op, 'step', 2, 'pct')} |")
        continue
    print(f"| {op} | {get(op, 'fwd', 1, 'ratio')} | {get(op, 'fwd+bwd', 1, 'ratio')} | {get(op, 'fwd', 2, 'ratio')} "
          f"| {get(op, 'fwd+bwd', 2, 'ratio')} | {get(op, 'fwd', 2, 'll')} / {get(op, 'fwd+bwd', 2, 'll')} "
          f"| {get(op, 'fwd', 2, 'pct')} / {get(op, 'fwd+bwd', 2, 'pct')} |")
