"""nbgrader's cell metadata (schema version 3) as layerlab's labs use it, and its checksum.

The predicates and the checksum follow nbgrader's definitions (``nbgrader/utils.py``), so a
notebook written here carries the checksums nbgrader itself would compute:

- a cell is *locked* when it is a grade cell that is not a solution, or has ``locked: true``
  and is not a solution;
- the checksum is the MD5 of, in order and UTF-8 encoded: the source, the cell type, ``str()``
  of is-grade, is-solution and is-locked (``True``/``False``), the grade_id, and for a grade
  cell ``str(float(points))`` (``"3.0"``).
"""
import hashlib
import re

MASTER_KEYS = ('schema_version', 'grade', 'solution', 'locked', 'task', 'grade_id', 'points')
RELEASE_KEYS = MASTER_KEYS + ('checksum', 'cell_type')
GRADE_ID = re.compile(r'^[a-z0-9]+(?:-[a-z0-9]+)*$')
ANSWER_STUB = 'ВАШ ОТВЕТ ЗДЕСЬ (YOUR ANSWER HERE)'

# The four roles of FORMAT.md's table: (grade, solution, locked) -> role, with the cell types allowed.
ROLES = {
    (False, False, True): ('locked', ('markdown', 'code')),
    (False, True, False): ('solution', ('code',)),
    (True, False, True): ('test', ('code',)),
    (True, True, False): ('answer', ('markdown',)),
}


def nbgrader(cell):
    return cell.get('metadata', {}).get('nbgrader') or {}


def is_grade(cell):
    return bool(nbgrader(cell).get('grade', False))


def is_solution(cell):
    return bool(nbgrader(cell).get('solution', False))


def is_locked(cell):
    meta = nbgrader(cell)
    if not meta or is_solution(cell):
        return False
    return True if is_grade(cell) else bool(meta.get('locked', False))


def grade_id(cell):
    return nbgrader(cell).get('grade_id')


def source(cell):
    src = cell.get('source', '')
    return ''.join(src) if isinstance(src, list) else src


def role(cell):
    """locked, solution, test or answer (see ROLES); '' for a cell without nbgrader metadata."""
    meta = nbgrader(cell)
    if not meta:
        return ''
    found = ROLES.get((meta.get('grade') is True, meta.get('solution') is True, meta.get('locked') is True))
    return found[0] if found else ''


def checksum(cell):
    """nbgrader's checksum of a grade, solution or locked cell (see the module's docstring)."""
    m = hashlib.md5()
    m.update(source(cell).encode('utf-8'))
    m.update(cell['cell_type'].encode('utf-8'))
    m.update(str(is_grade(cell)).encode('utf-8'))
    m.update(str(is_solution(cell)).encode('utf-8'))
    m.update(str(is_locked(cell)).encode('utf-8'))
    m.update(nbgrader(cell)['grade_id'].encode('utf-8'))
    if is_grade(cell):
        m.update(str(float(nbgrader(cell)['points'])).encode('utf-8'))
    return m.hexdigest()


def check_cell(cell):
    """The problems of one master cell's metadata, as sentences (empty when it is well-formed)."""
    meta = cell.get('metadata', {}).get('nbgrader')
    if meta is None:
        return ['no metadata.nbgrader (every cell of a master has it; see labs/FORMAT.md)']
    if not isinstance(meta, dict):
        return [f'metadata.nbgrader is {type(meta).__name__}, expected an object']
    problems = []
    unknown = sorted(set(meta) - set(MASTER_KEYS))
    if unknown:
        added = [k for k in unknown if k in RELEASE_KEYS]
        problems.append('unknown key(s) ' + ', '.join(unknown)
                        + (' (checksum and cell_type are added by ./lab assign, not written in a master)' if added else '')
                        + '; allowed: ' + ', '.join(MASTER_KEYS))
    if meta.get('schema_version') != 3:
        problems.append(f'schema_version is {meta.get("schema_version")!r}, expected 3')
    for key in ('grade', 'solution', 'locked', 'task'):
        if not isinstance(meta.get(key), bool):
            problems.append(f'{key} is {meta.get(key)!r}, expected true or false')
    gid = meta.get('grade_id')
    if gid is None:
        problems.append('no grade_id')
    elif not isinstance(gid, str) or not GRADE_ID.match(gid):
        problems.append(f'grade_id {gid!r} is not lower-case letters, digits and single "-"')
    problems += _check_role_and_points(cell, meta)
    return problems


def _check_role_and_points(cell, meta):
    problems = []
    if meta.get('task') is True:
        problems.append('task is true: layerlab labs have no task cells (use a markdown answer cell: grade and solution)')
    key = (meta.get('grade') is True, meta.get('solution') is True, meta.get('locked') is True)
    found = ROLES.get(key)
    if found is None:
        problems.append('grade={}, solution={}, locked={} is none of the roles (text/set-up: locked; student code: '
                        'solution; test: grade+locked; written answer: grade+solution)'.format(*key))
    elif cell.get('cell_type') not in found[1]:
        problems.append(f'a {found[0]} cell must be {" or ".join(found[1])}, this one is {cell.get("cell_type")}')
    points = meta.get('points')
    if meta.get('grade') is True:
        if isinstance(points, bool) or not isinstance(points, (int, float)) or not points > 0:
            problems.append(f'points is {points!r}: a graded cell needs points > 0')
    elif 'points' in meta:
        problems.append(f'points ({points!r}) on a cell that is not graded (grade is false)')
    return problems
