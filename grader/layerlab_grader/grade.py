"""Grading one submission: a student's folder for one assignment (nbgrader's layout).

For every notebook of the assignment's master: read the submission's copy (missing or not a
notebook: every part scores 0 and says why), restore graded and locked cells from the master,
run it in its own kernel (see runner), score it (see score), and write the graded notebook to
``OUT/autograded/STUDENT/ASSIGNMENT/`` and the record of it all to
``OUT/results/STUDENT/ASSIGNMENT/grading.json``, which the reports and feedback are made from.
"""
import datetime
import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass

import nbformat

from . import assign, guard, meta, restore, runner, score


@dataclass
class Options:
    masters: str
    out: str
    kernel: str = 'layerlab'
    heap: str = '1g'
    cell_timeout: float = 120.0
    notebook_timeout: float = 900.0


def assignments(masters_dir):
    """The assignment ids: ``NAME`` for ``NAME.ipynb`` and for a folder ``NAME/`` of notebooks."""
    found = []
    for entry in sorted(os.listdir(masters_dir)):
        path = os.path.join(masters_dir, entry)
        if entry.endswith('.ipynb') and os.path.isfile(path):
            found.append(entry[:-6])
        elif os.path.isdir(path) and any(f.endswith('.ipynb') for f in os.listdir(path)):
            found.append(entry)
    return found


def masters_for(masters_dir, assignment):
    """[(notebook name, master path)] of an assignment."""
    folder = os.path.join(masters_dir, assignment)
    if os.path.isdir(folder):
        return [(f[:-6], os.path.join(folder, f)) for f in sorted(os.listdir(folder)) if f.endswith('.ipynb')]
    single = folder + '.ipynb'
    if os.path.isfile(single):
        return [(assignment, single)]
    known = ', '.join(assignments(masters_dir)) or 'none'
    raise runner.GraderError(f'no master for assignment {assignment!r} in {masters_dir} (known: {known})')


def read_submission(path):
    """(notebook, None) or (None, why it cannot be graded)."""
    name = os.path.basename(path)
    try:
        with open(path, 'rb') as f:
            raw = f.read()
        text = raw.decode('utf-8')
        json.loads(text)
    except UnicodeDecodeError as e:
        return None, f'{name} is not UTF-8 text (byte {e.start}): not a notebook'
    except json.JSONDecodeError as e:
        return None, f'{name} is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg}): the file is damaged or not a notebook'
    try:
        nb = nbformat.reads(text, as_version=4)
        if not isinstance(nb.get('cells'), list):
            raise ValueError('no list of cells')
    except Exception as e:  # nbformat's reader raises several kinds for a JSON that is not a notebook
        return None, f'{name} is JSON but not a Jupyter notebook ({type(e).__name__}: {str(e)[:200]})'
    return nb, None


def titles(master):
    """{grade_id: title} for graded cells: the heading (or first line) of the markdown cell before it."""
    found, previous = {}, None
    for cell in master.cells:
        if meta.is_grade(cell):
            found[meta.grade_id(cell)] = _title(previous) or meta.grade_id(cell)
        if cell.cell_type == 'markdown' and not meta.is_grade(cell):
            previous = meta.source(cell)
    return found


def _title(md):
    if not md:
        return ''
    lines = [line.strip() for line in md.split('\n') if line.strip()]
    headings = [line.lstrip('#').strip() for line in lines if line.startswith('#')]
    text = plain_text(headings[-1] if headings else lines[0])
    return text if len(text) <= 90 else text[:87].rstrip() + '...'


# TeX a title may hold, as the text a page shows without MathJax (the feedback page has none)
_TEX_WORDS = {
    'alpha': 'α', 'beta': 'β', 'gamma': 'γ', 'delta': 'δ', 'epsilon': 'ε', 'varepsilon': 'ε',
    'eta': 'η', 'theta': 'θ', 'lambda': 'λ', 'mu': 'μ', 'sigma': 'σ', 'tau': 'τ', 'phi': 'φ',
    'Delta': 'Δ', 'Sigma': 'Σ', 'sum': 'Σ', 'prod': 'Π', 'partial': '∂', 'nabla': '∇', 'infty': '∞',
    'le': '≤', 'leq': '≤', 'ge': '≥', 'geq': '≥', 'ne': '≠', 'neq': '≠', 'approx': '≈',
    'cdot': '·', 'times': '×', 'to': '→', 'in': '∈', 'pm': '±', 'sqrt': '√',
    'max': 'max', 'min': 'min', 'log': 'log', 'exp': 'exp', 'mathrm': '', 'text': '', 'mathbf': '',
    'quad': ' ', 'qquad': ' ', 'left': '', 'right': '',
}
_SUB = dict(zip('0123456789+-=()aehijklmnoprstuvx', '₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ'))
_SUP = dict(zip('0123456789+-=()ni', '⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ'))


def _script(text, table, mark):
    """x_1 → x₁ where every character has a Unicode sub/superscript, else x_(avg)."""
    if all(ch in table for ch in text):
        return ''.join(table[ch] for ch in text)
    return mark + (text if len(text) == 1 else '(' + text + ')')


def _tex(math):
    out = re.sub(r'\\([A-Za-z]+)', lambda m: _TEX_WORDS.get(m.group(1), m.group(1)), math)
    out = out.replace('\\,', ' ').replace('\\ ', ' ').replace('\\;', ' ').replace('\\{', '{').replace('\\}', '}')
    out = re.sub(r'_\{([^{}]*)\}|_(.)', lambda m: _script(m.group(1) if m.group(1) is not None else m.group(2), _SUB, '_'), out)
    out = re.sub(r'\^\{([^{}]*)\}|\^(.)', lambda m: _script(m.group(1) if m.group(1) is not None else m.group(2), _SUP, '^'), out)
    return out.replace('{', '').replace('}', '')


def plain_text(markdown):
    """A line of Markdown as plain text: bold and code marks dropped, $TeX$ as Unicode."""
    text = re.sub(r'\$\$?([^$]+)\$\$?', lambda m: _tex(m.group(1)), markdown)
    return text.replace('**', '').replace('`', '')


class Context:
    """What grading needs that is the same for every notebook of a run: the kernel and its names."""

    def __init__(self, opts, work):
        self.opts = opts
        self.kernels_dir = os.path.join(work, 'kernels')
        self.kernel_log = os.path.join(work, 'kernel.log')
        self.kernel_name, self.argv = runner.grading_kernelspec(opts.kernel, opts.heap, self.kernels_dir, self.kernel_log)
        self.classes = guard.layerlab_classes(self.argv)


def grade_submission(folder, student, assignment, opts, pid_file=None):
    """Grades one student's assignment folder; returns the record (also written as grading.json)."""
    started = time.time()
    work = tempfile.mkdtemp(prefix='layerlab-grade-')
    try:
        ctx = Context(opts, work)
        notebooks, tests = [], []
        for nb_name, master_path in masters_for(opts.masters, assignment):
            info, parts = _grade_notebook(folder, nb_name, master_path, student, assignment, ctx, work, pid_file)
            notebooks.append(info)
            tests += parts
    finally:
        shutil.rmtree(work, ignore_errors=True)
    record = {
        'student': student, 'assignment': assignment, 'timestamp': _timestamp(folder),
        'graded_at': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'),
        'elapsed_s': round(time.time() - started, 1), 'notebooks': notebooks, 'tests': tests,
        'max_score': sum(t['max_points'] for t in tests),
        'limits': {'kernel_argv': ctx.argv, 'heap': opts.heap, 'cell_timeout_s': opts.cell_timeout,
                   'notebook_timeout_s': opts.notebook_timeout},
    }
    out = os.path.join(opts.out, 'results', student, assignment)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'grading.json'), 'w', encoding='utf-8') as f:
        json.dump(record, f, indent=1, ensure_ascii=False)
    return record


def _timestamp(folder):
    path = os.path.join(folder, 'timestamp.txt')
    if not os.path.isfile(path):
        return ''
    with open(path, encoding='utf-8') as f:
        text = f.read().strip()
    try:
        return str(datetime.datetime.fromisoformat(text))
    except ValueError:
        return text


def _grade_notebook(folder, nb_name, master_path, student, assignment, ctx, work, pid_file):
    master = assign.read_master(master_path)
    release = assign.release(master)
    path = os.path.join(folder, nb_name + '.ipynb')
    info = {'notebook': nb_name, 'status': 'graded', 'problem': '', 'events': [], 'restarts': 0, 'run_notes': []}
    if not os.path.isfile(path):
        present = sorted(f for f in os.listdir(folder) if f.endswith('.ipynb')) if os.path.isdir(folder) else []
        info.update(status='missing notebook', problem=f'{nb_name}.ipynb is not in the submission'
                    + (f' (it has: {", ".join(present)})' if present else ''))
        return info, _unscored(master, nb_name, info)
    nb, problem = read_submission(path)
    if nb is None:
        info.update(status='invalid notebook', problem=problem)
        return info, _unscored(master, nb_name, info)
    graded, events = restore.restore(nb, master, release)
    shadowed = guard.verdicts(graded, master, guard.protected(master, ctx.classes))
    cwd = os.path.join(work, 'cwd-' + nb_name)
    shutil.copytree(folder, cwd, ignore=shutil.ignore_patterns('*.ipynb'))
    run = runner.run_notebook(graded, kernel_name=ctx.kernel_name, kernels_dir=ctx.kernels_dir, cwd=cwd,
                              console_path=os.path.join(work, 'console.log'), cell_timeout=ctx.opts.cell_timeout,
                              notebook_timeout=ctx.opts.notebook_timeout, pid_file=pid_file)
    for cell in graded.cells:
        if meta.grade_id(cell) in shadowed and meta.role(cell) == 'test':
            cell.outputs.append(runner.error_output('TamperingError', shadowed[meta.grade_id(cell)]))
    info.update(events=events, restarts=run.restarts, run_notes=run.notes)
    out = os.path.join(ctx.opts.out, 'autograded', student, assignment)
    os.makedirs(out, exist_ok=True)
    nbformat.write(graded, os.path.join(out, nb_name + '.ipynb'))
    for extra in ('timestamp.txt',):
        if os.path.isfile(os.path.join(folder, extra)):
            shutil.copy(os.path.join(folder, extra), out)
    return info, _scored(graded, master, release, nb_name, events)


def _scored(graded, master, release, nb_name, events):
    hidden = score.hidden_of(master)
    names = titles(master)
    cells = {meta.grade_id(c): c for c in graded.cells if 'checksum' in meta.nbgrader(c)}
    released = {meta.grade_id(c): c for c in release.cells}
    tests = []
    for mcell in master.cells:
        if not meta.is_grade(mcell):
            continue
        gid = meta.grade_id(mcell)
        cell, max_points = cells[gid], float(mcell.metadata.nbgrader['points'])
        notes = [e['detail'] for e in events if e['grade_id'] == gid]
        if meta.role(mcell) == 'answer':
            points, status = score.answer_points(cell, released[gid])
            kind, msg, output = 'manual', '', meta.source(cell)
        else:
            points, status = score.auto_points(cell, max_points)
            kind, msg, output = 'auto', score.message(cell, hidden), score.stdout_of(cell, hidden)
        tests.append({'notebook': nb_name, 'grade_id': gid, 'title': names[gid], 'kind': kind, 'points': points,
                      'max_points': max_points, 'status': status, 'message': msg, 'notes': notes, 'output': output})
    return tests


def _unscored(master, nb_name, info):
    names = titles(master)
    return [{'notebook': nb_name, 'grade_id': meta.grade_id(c), 'title': names[meta.grade_id(c)],
             'kind': 'manual' if meta.role(c) == 'answer' else 'auto', 'points': 0.0,
             'max_points': float(c.metadata.nbgrader['points']), 'status': info['status'], 'message': info['problem'],
             'notes': [], 'output': ''} for c in master.cells if meta.is_grade(c)]
