"""Solution regions and hidden-test regions of a cell, and the stub that replaces a solution.

A region is the lines from a marker line to its end marker, both included. A solution region
becomes two lines in the student version (``// YOUR CODE HERE`` and a ``throw`` naming the class
and method to write), so it must sit where a ``throw`` statement compiles and nothing follows it
in its block (Java rejects an unreachable statement). Problems come back as sentences; the
caller adds the notebook and the cell.
"""
from . import javasrc

SOLUTION = ('// BEGIN SOLUTION', '// END SOLUTION')
HIDDEN = ('// BEGIN HIDDEN TESTS', '// END HIDDEN TESTS')
STUB_MESSAGE = '{what}: not implemented yet — write your code here'


def find(lines, markers):
    """[(begin, end)] line indices of the regions; ValueError with the problem when malformed."""
    begin, end = markers
    found, open_at = [], None
    for i, line in enumerate(lines):
        s = line.strip()
        for marker in markers:
            word = marker[3:]
            if word in line and s != marker:
                raise ValueError(f'line {i + 1} mentions "{word}" but is not the marker line "{marker}" on its own')
        if s == begin:
            if open_at is not None:
                raise ValueError(f'line {i + 1}: "{begin}" inside the region opened on line {open_at + 1} (regions do not nest)')
            open_at = i
        elif s == end:
            if open_at is None:
                raise ValueError(f'line {i + 1}: "{end}" without a "{begin}" before it')
            found.append((open_at, i))
            open_at = None
    if open_at is not None:
        raise ValueError(f'the region opened on line {open_at + 1} ("{begin}") is never closed with "{end}"')
    return found


def mentions(lines, markers):
    return any(m[3:] in line for line in lines for m in markers)


def solution_stub(src, regions, fallback):
    """The student-version source: each region replaced by its stub. ValueError on a misplaced region."""
    lines = src.split('\n')
    offsets = _line_offsets(lines)
    try:
        toks = javasrc.tokens(src)
    except javasrc.JavaSyntaxError as e:
        raise ValueError(str(e)) from None
    out, last = [], 0
    for begin, end in regions:
        what = _enclosing_name(toks, offsets[begin], offsets[end + 1], lines, begin, end) or fallback
        indent = lines[begin][:len(lines[begin]) - len(lines[begin].lstrip())]
        out += lines[last:begin]
        out.append(indent + '// YOUR CODE HERE')
        out.append(indent + 'throw new UnsupportedOperationException("' + STUB_MESSAGE.format(what=what) + '");')
        last = end + 1
    out += lines[last:]
    return '\n'.join(out)


def _line_offsets(lines):
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    offsets.append(pos)
    return offsets


def _enclosing_name(toks, start, stop, lines, begin, end):
    a = next((k for k, t in enumerate(toks) if t.pos >= start), len(toks))
    b = next((k for k, t in enumerate(toks) if t.pos >= stop), len(toks))
    try:
        stack = javasrc.frames_at(toks, a)
    except ValueError as e:
        raise ValueError(f'before the region on line {begin + 1}: {e}') from None
    _check_whole_statements(toks[a:b], begin, end)
    if stack:
        inner = stack[-1]
        if inner.kind in ('class', 'array'):
            where = f'the body of class {inner.name}' if inner.kind == 'class' else 'an array initializer'
            raise ValueError(f'the region on lines {begin + 1}-{end + 1} sits directly in {where}: '
                             'it must be statements inside a method or constructor body (its stub is a throw statement)')
        if b >= len(toks) or toks[b].text != '}':
            line = _line_of(lines, toks[b].pos) if b < len(toks) else '?'
            raise ValueError(f'statements follow the region on lines {begin + 1}-{end + 1} in the same block '
                             f'(line {line}: "{lines[line - 1].strip()}"): the stub throws, so nothing may follow it — '
                             'move them into the region or before it')
    return _name(stack)


def _check_whole_statements(inner, begin, end):
    depth = {'{': 0, '(': 0}
    closes = {'}': '{', ')': '('}
    for t in inner:
        if t.text in depth:
            depth[t.text] += 1
        elif t.text in closes:
            depth[closes[t.text]] -= 1
            if depth[closes[t.text]] < 0:
                raise ValueError(f'the region on lines {begin + 1}-{end + 1} closes a "{closes[t.text]}" opened before it: '
                                 'a region is whole statements')
    for opener, n in depth.items():
        if n:
            raise ValueError(f'the region on lines {begin + 1}-{end + 1} leaves {n} "{opener}" open: a region is whole statements')


def _line_of(lines, pos):
    total = 0
    for i, line in enumerate(lines):
        total += len(line) + 1
        if pos < total:
            return i + 1
    return len(lines)


def _name(stack):
    method_at = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].kind == 'method'), None)
    outer = stack if method_at is None else stack[:method_at]
    cls = next((f.name for f in reversed(outer) if f.kind == 'class' and f.name), '')
    if method_at is None:
        return cls
    method = stack[method_at].name
    if method == cls:
        return f'{cls} constructor'
    return f'{cls}.{method}' if cls else method


def remove_hidden(src, regions):
    """The test cell without its hidden regions (markers included), line for line as nbgrader removes them."""
    lines = src.split('\n')
    return '\n'.join(line for i, line in enumerate(lines) if not any(b <= i <= e for b, e in regions))


def check_hidden_at_end(lines, regions):
    """Hidden tests come last: only blank lines and comments may follow the last region."""
    if not regions:
        return
    after = '\n'.join(lines[regions[-1][1] + 1:])
    try:
        rest = javasrc.tokens(after)
    except javasrc.JavaSyntaxError as e:
        raise ValueError(str(e)) from None
    if rest:
        raise ValueError(f'code follows the hidden tests (after line {regions[-1][1] + 1}): hidden tests sit at the end '
                         'of a test cell, so the visible part never depends on them')


def hidden_lines(src):
    """The text of every hidden-test line of a master's test cell (stripped, non-empty)."""
    lines = src.split('\n')
    try:
        regions = find(lines, HIDDEN)
    except ValueError:
        return []
    return [lines[i].strip() for b, e in regions for i in range(b + 1, e) if lines[i].strip()]
