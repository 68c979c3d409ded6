"""A submission made gradable: every graded and locked cell comes back from the master.

Cells are matched by ``grade_id`` (as nbgrader's autograde step does). A test or locked cell
gets the master's source (hidden tests included), cell type and metadata whatever the
submission holds; any difference from the student version is reported as tampering, with a
diff of what changed. A solution or answer cell keeps the student's source but takes the
master's cell type and metadata (so points come from the master). A master cell missing from
the submission is put back after the master cell that precedes it; a deleted solution cell
comes back as the student version's stub. Cells the student added stay, as plain cells.
"""
import copy
import difflib

import nbformat

from . import meta, regions, score


def event(kind, grade_id, detail):
    return {'kind': kind, 'grade_id': grade_id, 'detail': detail}


def restore(sub, master, release):
    """(the notebook to run, the events: tampering and repairs)."""
    by_id = {meta.grade_id(c): (c, r) for c, r in zip(master.cells, release.cells)}
    events, cells, seen = [], [], set()
    for cell in sub.cells:
        gid = meta.grade_id(cell) if isinstance(meta.nbgrader(cell), dict) else None
        if gid not in by_id or gid in seen:
            if gid is not None:
                why = 'appears twice' if gid in seen else 'is not in the master'
                events.append(event('unknown-cell', gid, f'a cell with grade_id {gid!r} {why}; '
                                    'it was run as a plain cell without grading metadata'))
            cells.append(_plain(cell))
            continue
        seen.add(gid)
        cells.append(_restored(cell, *by_id[gid], events))
    _put_back_missing(cells, master, release, seen, events)
    nb = nbformat.v4.new_notebook(metadata=copy.deepcopy(master.metadata))
    nb.nbformat, nb.nbformat_minor = master.nbformat, master.nbformat_minor
    nb.cells = cells
    _unique_ids(nb)
    return nb, events


def _restored(cell, mcell, rcell, events):
    gid = meta.grade_id(mcell)
    role = meta.role(mcell)
    _report_metadata(cell, mcell, events)
    if role in ('test', 'locked'):
        out = copy.deepcopy(mcell)
        if meta.source(cell) not in (meta.source(rcell), meta.source(mcell)):
            what = 'test' if role == 'test' else 'locked'
            changes = _diff(meta.source(rcell), meta.source(cell), set(regions.hidden_lines(meta.source(mcell))))
            events.append(event('edited', gid, f'the {what} cell {gid!r} was edited; the original was restored and run '
                                'instead. What changed:\n' + changes))
    else:
        out = copy.deepcopy(mcell)
        out.source = meta.source(cell)
    out.metadata.nbgrader['checksum'] = rcell.metadata.nbgrader['checksum']
    out.metadata.nbgrader['cell_type'] = mcell.cell_type
    if 'id' in cell:
        out['id'] = cell['id']
    if out.cell_type == 'code':
        out.outputs = []
        out.execution_count = None
    return out


def _report_metadata(cell, mcell, events):
    gid = meta.grade_id(mcell)
    if cell.get('cell_type') != mcell.cell_type:
        events.append(event('cell-type', gid, f'cell {gid!r} was turned into a {cell.get("cell_type")} cell; '
                            f'the master\'s type ({mcell.cell_type}) was restored'))
    sub_meta, master_meta = meta.nbgrader(cell), mcell.metadata.nbgrader
    if meta.is_grade(mcell) and _points(sub_meta) != float(master_meta['points']):
        events.append(event('points', gid, f'the points of {gid!r} were changed to {sub_meta.get("points")!r} in the '
                            f'submission; the master\'s {float(master_meta["points"]):g} count'))
    changed = [k for k in ('grade', 'solution', 'locked') if bool(sub_meta.get(k, False)) != master_meta[k]]
    if changed:
        events.append(event('flags', gid, f'the {", ".join(changed)} flag(s) of {gid!r} were changed; '
                            'the master\'s were restored'))


def _points(nbg):
    try:
        return float(nbg.get('points'))
    except (TypeError, ValueError):
        return None


def _put_back_missing(cells, master, release, seen, events):
    position = 0
    for mcell, rcell in zip(master.cells, release.cells):
        gid = meta.grade_id(mcell)
        if gid in seen:
            position = next(i for i, c in enumerate(cells) if meta.grade_id(c) == gid and _graded_meta(c)) + 1
            continue
        role = meta.role(mcell)
        back = copy.deepcopy(rcell if role in ('solution', 'answer') else mcell)
        if back.cell_type == 'code':
            back.outputs = []
            back.execution_count = None
        back.metadata.nbgrader['checksum'] = rcell.metadata.nbgrader['checksum']
        back.metadata.nbgrader['cell_type'] = mcell.cell_type
        cells.insert(position, back)
        position += 1
        seen.add(gid)
        what = {'test': 'test cell', 'locked': 'locked cell', 'solution': 'solution cell', 'answer': 'answer cell'}[role]
        kept = 'the master\'s cell' if role in ('test', 'locked') else 'the student version\'s stub'
        events.append(event('deleted', gid, f'the {what} {gid!r} was deleted from the submission; {kept} was put back'))


def _graded_meta(cell):
    return 'checksum' in meta.nbgrader(cell)


def _plain(cell):
    out = copy.deepcopy(cell)
    out.metadata.pop('nbgrader', None)
    if out.cell_type == 'code':
        out.outputs = []
        out.execution_count = None
    return out


def _diff(expected, got, hidden, limit=40):
    lines = list(difflib.unified_diff(expected.split('\n'), got.split('\n'), 'student version', 'submission', lineterm='', n=1))
    lines = [line[0] + ' ' + score.HIDDEN_LINE if line[1:].strip() in hidden else line for line in lines]
    if len(lines) > limit:
        lines = lines[:limit] + [f'... ({len(lines) - limit} more diff lines)']
    return '\n'.join(lines)


def _unique_ids(nb):
    used = set()
    for cell in nb.cells:
        cid = cell.get('id')
        if not cid or cid in used:
            cell['id'] = nbformat.v4.nbbase.random_cell_id()
        used.add(cell['id'])
