"""The cells a simulated student runs, the outputs they must give, and how outputs are compared.

A lab (a notebook under notebooks/labs/) is run as a student who solved it: each solution cell
(nbgrader `solution: true`) takes the master's source of the same grade_id from labs/master/,
the test cells stay the student version's. Any other notebook is run as it is.

The expected outputs come from a reference run of the same cells through the same kernelspec
with nbclient (no hub), so every student's every output is compared with a real run. Outputs
are compared as text: streams joined per name, text/plain of results and displays, the MIME
types shown, error names and values; durations and object hashes are masked.
"""
import json
import os
import re
import time

import nbformat
from nbclient import NotebookClient

_DURATION = re.compile(r'\d+(?:[.,]\d+)?\s*(?:ns|µs|us|ms|s|sec|min)\b')
_HASH = re.compile(r'@[0-9a-f]{4,}\b')
_TIMEIT = re.compile(r'±|loops? each|per loop')


def load(path, master_dir):
    """(notebook node, code cells as [(index, source)], description) for a notebook path."""
    nb = nbformat.read(path, as_version=4)
    solved = 0
    master_path = os.path.join(master_dir, os.path.basename(path)) if master_dir else ''
    if master_path and os.path.isfile(master_path):
        master = nbformat.read(master_path, as_version=4)
        by_id = {c.metadata.get('nbgrader', {}).get('grade_id'): c for c in master.cells}
        for cell in nb.cells:
            meta = cell.metadata.get('nbgrader', {})
            if cell.cell_type == 'code' and meta.get('solution') and meta.get('grade_id') in by_id:
                cell.source = by_id[meta['grade_id']].source
                solved += 1
    cells = [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == 'code']
    how = f'{solved} solution cells from {master_path}' if solved else 'as written'
    return nb, cells, f'{os.path.basename(path)} ({len(cells)} code cells, {how})'


def outputs_from_notebook(cell):
    return [dict(o) for o in cell.get('outputs', [])]


def reference_run(nb, workdir, kernel, timeout):
    """Runs every code cell with nbclient; returns {index: (seconds, outputs)}."""
    client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, allow_errors=True,
                            resources={'metadata': {'path': workdir}})
    got = {}
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != 'code':
                continue
            t0 = time.monotonic()
            client.execute_cell(cell, i, store_history=True)
            got[i] = (time.monotonic() - t0, outputs_from_notebook(cell))
    return got


def _mask(text):
    lines = []
    for line in text.splitlines():
        if _TIMEIT.search(line):
            line = re.sub(r'\d', '#', line)
        lines.append(_HASH.sub('@#', _DURATION.sub('<t>', line)))
    return '\n'.join(lines)


def signature(outputs):
    """The comparable text of a cell's outputs (see the module's description)."""
    parts, streams = [], {}
    for out in outputs:
        kind = out.get('output_type')
        if kind == 'stream':
            name = out.get('name', 'stdout')
            if name not in streams:
                streams[name] = len(parts)
                parts.append([f'{name}:', ''])
            text = out.get('text', '')
            parts[streams[name]][1] += ''.join(text) if isinstance(text, list) else text
        elif kind in ('execute_result', 'display_data'):
            data = out.get('data', {})
            plain = data.get('text/plain', '')
            plain = ''.join(plain) if isinstance(plain, list) else plain
            parts.append([f'{kind} {sorted(data)}:', plain])
        elif kind == 'error':
            parts.append([f'error {out.get("ename")}:', out.get('evalue', '')])
    return '\n'.join(f'{head} {_mask(body)}' for head, body in parts)


def problems(outputs):
    """Error and stderr outputs: a lab cell with either scores 0, so a run with either fails."""
    found = []
    for out in outputs:
        if out.get('output_type') == 'error':
            found.append(f'error {out.get("ename")}: {out.get("evalue", "")[:200]}')
        elif out.get('output_type') == 'stream' and out.get('name') == 'stderr':
            text = out.get('text', '')
            found.append('stderr: ' + (''.join(text) if isinstance(text, list) else text)[:200])
    return found


def compare(expected, got):
    """'' when the outputs agree, else the first line that differs, both ways."""
    want, have = signature(expected), signature(got)
    if want == have:
        return ''
    w, h = want.splitlines(), have.splitlines()
    for n in range(max(len(w), len(h))):
        a = w[n] if n < len(w) else '<nothing>'
        b = h[n] if n < len(h) else '<nothing>'
        if a != b:
            return f'output line {n + 1}: expected {a[:160]!r}, got {b[:160]!r}'
    return 'outputs differ'


def save_reference(path, ref):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump({str(i): {'seconds': s, 'outputs': o} for i, (s, o) in ref.items()}, f,
                  indent=1, ensure_ascii=False)
