"""Master -> student version (``./lab assign``), with the master's metadata validated first.

The student version is what nbgrader's ``generate_assignment`` makes of a source notebook, in
its order: solution regions replaced by stubs (here a stub names the class and method to write),
hidden tests removed, written answers replaced by the answer stub, outputs cleared, then
checksums and ``cell_type`` added to every grade, solution and locked cell, and the cells locked:
a test or locked cell is neither editable nor deletable, a solution or answer cell not deletable.
"""
import copy
import os

import nbformat

from . import meta, regions


class MasterError(Exception):
    """A malformed master: every problem, each naming the notebook and the cell."""

    def __init__(self, path, problems):
        self.path = path
        self.problems = problems
        super().__init__(f'{path}: the master is malformed:\n' + '\n'.join('  ' + p for p in problems))


def read_master(path):
    """The master notebook, validated; MasterError names every problem found."""
    name = os.path.basename(path)
    try:
        with open(path, encoding='utf-8') as f:
            nb = nbformat.read(f, as_version=4)
    except FileNotFoundError:
        raise MasterError(path, [f'{name}: no such file']) from None
    except Exception as e:  # nbformat raises JSON and schema errors of several types
        raise MasterError(path, [f'{name}: not a readable notebook ({type(e).__name__}: {e})']) from None
    problems = validate(nb, name)
    if problems:
        raise MasterError(path, problems)
    return nb


def where(name, index, cell):
    gid = meta.grade_id(cell)
    return f'{name}: cell {index} ({cell.get("cell_type")}, grade_id {gid!r})' if gid else f'{name}: cell {index} ({cell.get("cell_type")})'


def validate(nb, name):
    """Every problem of a master, as 'NOTEBOOK: cell N (...): problem' lines."""
    problems = _notebook_problems(nb, name)
    seen = {}
    first_code = None
    for i, cell in enumerate(nb.cells):
        at = where(name, i, cell)
        problems += [f'{at}: {p}' for p in meta.check_cell(cell)]
        gid = meta.grade_id(cell)
        if isinstance(gid, str):
            if gid in seen:
                problems.append(f'{at}: duplicate grade_id {gid!r} (cell {seen[gid]} has it too)')
            seen.setdefault(gid, i)
        problems += [f'{at}: {p}' for p in _region_problems(cell)]
        if cell.cell_type == 'code' and first_code is None:
            first_code = i
            if not (meta.role(cell) == 'locked' and '%seed' in meta.source(cell)):
                problems.append(f'{at}: the first code cell must be locked and set the seed (%seed N)')
    if not any(meta.role(c) == 'test' for c in nb.cells):
        problems.append(f'{name}: no test cell (grade: true, locked: true): nothing would be graded')
    return problems


def _notebook_problems(nb, name):
    problems = []
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as e:
        problems.append(f'{name}: not a valid nbformat 4 notebook: {e.message}')
    ks = nb.metadata.get('kernelspec', {})
    if ks.get('language') != 'java' or ks.get('name') != 'layerlab':
        problems.append(f'{name}: metadata.kernelspec is {dict(ks)!r}; expected name "layerlab", language "java"')
    return problems


def _region_problems(cell):
    lines = meta.source(cell).split('\n')
    role = meta.role(cell)
    try:
        sol = regions.find(lines, regions.SOLUTION)
        hid = regions.find(lines, regions.HIDDEN)
    except ValueError as e:
        return [str(e)]
    problems = []
    if sol and role != 'solution':
        problems.append('a solution region in a cell that is not a solution code cell')
    if hid and role != 'test':
        problems.append('a hidden-test region in a cell that is not a test cell')
    if role == 'solution':
        if not sol:
            problems.append('a solution cell without a "// BEGIN SOLUTION" ... "// END SOLUTION" region')
        else:
            try:
                regions.solution_stub(meta.source(cell), sol, meta.grade_id(cell) or 'this cell')
            except ValueError as e:
                problems.append(str(e))
    if role == 'test':
        if not meta.source(cell).strip():
            problems.append('an empty test cell: it would give its points for nothing')
        try:
            regions.check_hidden_at_end(lines, hid)
        except ValueError as e:
            problems.append(str(e))
    return problems


def release(master):
    """The student version of a validated master (a new notebook; the master is not changed)."""
    nb = copy.deepcopy(master)
    nb.metadata.pop('celltoolbar', None)
    for cell in nb.cells:
        role = meta.role(cell)
        src = meta.source(cell)
        if role == 'solution':
            src = regions.solution_stub(src, regions.find(src.split('\n'), regions.SOLUTION), meta.grade_id(cell))
        elif role == 'test':
            src = regions.remove_hidden(src, regions.find(src.split('\n'), regions.HIDDEN))
        elif role == 'answer':
            src = meta.ANSWER_STUB
        cell.source = src
        if cell.cell_type == 'code':
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop('execution', None)
        lock(cell)
    return nb


def lock(cell):
    """Checksum, cell_type and the editable/deletable flags, as nbgrader's assignment step sets them."""
    if not (meta.is_grade(cell) or meta.is_solution(cell) or meta.is_locked(cell)):
        return
    nbg = cell.metadata.nbgrader
    nbg['checksum'] = meta.checksum(cell)
    nbg['cell_type'] = cell.cell_type
    if meta.is_solution(cell):
        cell.metadata['deletable'] = False
    else:
        cell.metadata['deletable'] = False
        cell.metadata['editable'] = False


def dumps(nb):
    """The notebook as nbformat writes it, with the final newline."""
    return nbformat.writes(nb) + '\n'


def assign(master_path, out_dir):
    """Writes the student version of one master into out_dir; returns its path."""
    nb = read_master(master_path)
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, os.path.basename(master_path))
    with open(out, 'w', encoding='utf-8') as f:
        f.write(dumps(release(nb)))
    return out


def drift(master_dir, release_dir):
    """How the committed student versions differ from what assign makes (empty when in step)."""
    found = []
    masters = sorted(f for f in os.listdir(master_dir) if f.endswith('.ipynb')) if os.path.isdir(master_dir) else []
    released = sorted(f for f in os.listdir(release_dir) if f.endswith('.ipynb')) if os.path.isdir(release_dir) else []
    for name in masters:
        target = os.path.join(release_dir, name)
        try:
            expected = dumps(release(read_master(os.path.join(master_dir, name))))
        except MasterError as e:
            found.append(str(e))
            continue
        if not os.path.exists(target):
            found.append(f'{target}: missing (run ./lab assign)')
            continue
        with open(target, encoding='utf-8') as f:
            if f.read() != expected:
                found.append(f'{target}: differs from what ./lab assign makes of {os.path.join(master_dir, name)} '
                             '(edit the master, then run ./lab assign)')
    for name in released:
        if name not in masters:
            found.append(f'{os.path.join(release_dir, name)}: no master {os.path.join(master_dir, name)}')
    return found
