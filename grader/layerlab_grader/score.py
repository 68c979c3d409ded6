"""Scores and student-facing messages of an executed notebook.

The rule is nbgrader's (``determine_grade``): going through a graded code cell's outputs in
order, an error output or any stderr output scores 0; the first execute result, when its
text is one number, scores that number (nbgrader raises above the cell's points; here it is
capped; a negative number, like a non-number, gives full points as in nbgrader); otherwise the
cell scores its points. A written answer still equal to the answer stub scores 0; any other
answer needs manual grading (0 until the teacher enters a score).

Messages never show hidden test code: a line of a message that repeats a line of the master's
hidden tests (a compile error quotes its source line) is replaced, and its caret line dropped.
"""
import re

from . import meta, regions

HIDDEN_LINE = '(a line of the hidden tests)'
_CODE_PREFIX = re.compile(r'^\s*\d+\s*\|\s?(.*)$')
_CARET = re.compile(r'^\s*\|\s*\^+\s*$')
MAX_FRAMES = 6
MAX_STDOUT = 4000


def auto_points(cell, max_points):
    """(points, status) of a graded code cell by nbgrader's rule; status passed, partial or failed."""
    for out in cell.get('outputs', []):
        kind = out.get('output_type')
        if kind == 'error' or (kind == 'stream' and out.get('name') == 'stderr'):
            return 0.0, 'failed'
        if kind == 'execute_result':
            return _status(_partial(out, max_points), max_points)
    return max_points, 'passed'


def _partial(out, max_points):
    text = out.get('data', {}).get('text/plain', '')
    if isinstance(text, list):
        if len(text) != 1:
            return max_points
        text = text[0]
    try:
        value = float(text)
    except (TypeError, ValueError):
        return max_points
    if not value >= 0:
        return max_points
    return min(value, max_points)


def _status(points, max_points):
    if points >= max_points:
        return points, 'passed'
    return points, 'failed' if points == 0 else 'partial'


def answer_points(cell, release_cell):
    """(0.0, 'no answer') for an untouched answer stub, else (0.0, 'needs manual grading')."""
    if meta.source(cell).strip() == meta.source(release_cell).strip():
        return 0.0, 'no answer'
    return 0.0, 'needs manual grading'


def hidden_of(master):
    """Every hidden-test line of a master, for redaction."""
    return {line for cell in master.cells if meta.role(cell) == 'test' for line in regions.hidden_lines(meta.source(cell))}


def redact(text, hidden):
    """``text`` with every line that repeats hidden test code replaced (see the module docstring)."""
    long = [h for h in hidden if len(h) >= 16]
    out, drop_caret = [], False
    for line in text.split('\n'):
        if drop_caret and _CARET.match(line):
            drop_caret = False
            continue
        drop_caret = False
        m = _CODE_PREFIX.match(line)
        content = (m.group(1) if m else line).strip()
        if content and (content in hidden or any(h in line for h in long)):
            out.append((line[:len(line) - len(line.lstrip())] if not m else '') + HIDDEN_LINE)
            drop_caret = bool(m)
            continue
        out.append(line)
    return '\n'.join(out)


def message(cell, hidden):
    """What a student reads about a graded cell: the error (message and the frames in cell code), stderr."""
    parts = []
    for out in cell.get('outputs', []):
        kind = out.get('output_type')
        if kind == 'error':
            parts.append(_error_text(out))
        elif kind == 'stream' and out.get('name') == 'stderr':
            parts.append('wrote to stderr (a graded cell must not): ' + _text(out).strip()[:1000])
    return redact('\n'.join(parts), hidden)


def _error_text(out):
    ename = out.get('ename', 'Error')
    short = ename.rsplit('.', 1)[-1] if ename.startswith(('java.', 'jdk.')) else ename
    lines = [f'{short}: {out.get("evalue", "")}'.rstrip()]
    tb = [_plain(t) for t in out.get('traceback', [])]
    if ename == 'CompilationError':
        lines = [t for t in tb if t.strip()] or lines
    else:
        frames = [t.strip() for t in tb if t.strip().startswith('at ') and 'cell snippet' in t and 'do_it$' not in t]
        lines += ['  ' + f for f in frames[:MAX_FRAMES]]
        lines += [t for t in tb if t.startswith('Caused by: ')][:2]
    return '\n'.join(lines)


def stdout_of(cell, hidden):
    text = ''.join(_text(o) for o in cell.get('outputs', [])
                   if o.get('output_type') == 'stream' and o.get('name') == 'stdout')
    if len(text) > MAX_STDOUT:
        text = text[:MAX_STDOUT] + '\n...'
    return redact(text.rstrip('\n'), hidden)


def _text(out):
    t = out.get('text', '')
    return ''.join(t) if isinstance(t, list) else t


_ANSI = re.compile(r'\x1b\[[0-9;]*m')


def _plain(s):
    return _ANSI.sub('', s)
