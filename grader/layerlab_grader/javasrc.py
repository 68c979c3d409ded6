"""Just enough of Java's lexical structure to place solution regions and read declarations.

A cell is JShell input: Java statements and declarations, plus magic lines (``%seed 7``). The
tokenizer skips comments, string, text-block and char literals, so a brace inside a string or a
comment never counts. Braces are classified by what precedes them (a class body, a method or
constructor body, a lambda, a control block, an array initializer), which is what the stub of a
region needs: the names of the class and method it sits in, and whether a ``throw`` placed
there compiles.
"""
import re
from dataclasses import dataclass

CONTROL = {'if', 'for', 'while', 'switch', 'catch', 'synchronized', 'try'}
TYPE_KEYWORDS = {'class', 'interface', 'enum', 'record'}
BLOCK_KEYWORDS = {'else', 'try', 'do', 'finally', 'static'}
_IDENT = re.compile(r'[A-Za-z_$][A-Za-z0-9_$]*')
_NUMBER = re.compile(r'[0-9][0-9A-Za-z_.]*')


@dataclass(frozen=True)
class Token:
    text: str
    pos: int


class JavaSyntaxError(ValueError):
    """An unterminated comment or literal: the cell is not Java the tokenizer can follow."""


def tokens(src):
    """The tokens of ``src``: identifiers, numbers and single punctuation characters (``->`` is one)."""
    out, i, n = [], 0, len(src)
    line_start = True
    while i < n:
        c = src[i]
        if line_start and c == '%':            # a magic line (JShell never sees it as Java)
            i = _line_end(src, i)
            continue
        if c == '\n':
            line_start = True
            i += 1
            continue
        if c in ' \t\r\f':
            i += 1
            continue
        line_start = False
        if src.startswith('//', i):
            i = _line_end(src, i)
        elif src.startswith('/*', i):
            end = src.find('*/', i + 2)
            if end < 0:
                raise JavaSyntaxError('a /* comment is never closed')
            i = end + 2
        elif src.startswith('"""', i):
            end = src.find('"""', i + 3)
            if end < 0:
                raise JavaSyntaxError('a """ text block is never closed')
            out.append(Token('"', i))
            i = end + 3
        elif c in '"\'':
            out.append(Token(c, i))
            i = _literal_end(src, i, c)
        elif _IDENT.match(src, i):
            m = _IDENT.match(src, i)
            out.append(Token(m.group(0), i))
            i = m.end()
        elif c.isdigit():
            m = _NUMBER.match(src, i)
            out.append(Token(m.group(0), i))
            i = m.end()
        elif src.startswith('->', i):
            out.append(Token('->', i))
            i += 2
        else:
            out.append(Token(c, i))
            i += 1
    return out


def _line_end(src, i):
    end = src.find('\n', i)
    return len(src) if end < 0 else end


def _literal_end(src, i, quote):
    j = i + 1
    while j < len(src):
        if src[j] == '\\':
            j += 2
            continue
        if src[j] == quote:
            return j + 1
        if src[j] == '\n':
            break
        j += 1
    what = 'string' if quote == '"' else 'char'
    raise JavaSyntaxError(f'a {what} literal is never closed (line {src.count(chr(10), 0, i) + 1})')


@dataclass(frozen=True)
class Frame:
    """One open brace: ``kind`` is class, method, lambda, block or array; ``name`` for class/method."""
    kind: str
    name: str = ''


def classify(toks, k, enclosing):
    """What the brace ``toks[k]`` opens, from the tokens before it."""
    prev = toks[k - 1].text if k > 0 else ''
    if prev in ('=', ']', ',') or (prev == '{' and enclosing and enclosing.kind == 'array'):
        return Frame('array')
    if prev == '->':
        return Frame('lambda')
    if prev in BLOCK_KEYWORDS or prev in ('{', '}', ';', ':', ''):
        return Frame('block')
    name = _type_declared_before(toks, k)
    if name:
        return Frame('class', name)
    j = k - 1
    if toks[j].text != ')':
        while j > 0 and toks[j].text not in (')', ';', '{', '}'):   # `) throws A, B {`
            j -= 1
        if toks[j].text != ')':
            # `Name {` in a record body: a compact constructor
            if enclosing and enclosing.kind == 'class' and prev == enclosing.name:
                return Frame('method', enclosing.name)
            return Frame('block')
    opener = _matching_open(toks, j)
    before = toks[opener - 1].text if opener > 0 else ''
    if before in CONTROL:
        return Frame('block')
    if opener > 1 and toks[opener - 2].text == 'new' or _after_new(toks, opener):
        return Frame('class', before)        # an anonymous class body
    if _IDENT.fullmatch(before or '-'):
        return Frame('method', before)
    return Frame('block')


def _type_declared_before(toks, k):
    """`class Name ... {`: the declared name when the brace opens a type body."""
    j = k - 1
    depth = 0
    while j >= 0:
        t = toks[j].text
        if t in ('{', '}', ';') and depth == 0:
            return ''
        if t == ')':
            depth += 1
        elif t == '(':
            depth -= 1
        elif depth == 0 and t in TYPE_KEYWORDS and j + 1 < k and _IDENT.fullmatch(toks[j + 1].text):
            if j > 0 and toks[j - 1].text == '.':     # `Foo.class` is not a declaration
                return ''
            return toks[j + 1].text
        j -= 1
    return ''


def _after_new(toks, opener):
    """`new a.b.Type<X>(` — walk back over a qualified, possibly generic type name to `new`."""
    j = opener - 1
    angle = 0
    while j >= 0:
        t = toks[j].text
        if t == '>':
            angle += 1
        elif t == '<':
            angle -= 1
        elif t == 'new' and angle == 0:
            return True
        elif angle == 0 and not (_IDENT.fullmatch(t) or t == '.'):
            return False
        j -= 1
    return False


def _matching_open(toks, close):
    depth = 0
    for j in range(close, -1, -1):
        if toks[j].text == ')':
            depth += 1
        elif toks[j].text == '(':
            depth -= 1
            if depth == 0:
                return j
    return 0


def frames_at(toks, upto):
    """The stack of frames open before ``toks[upto]``; raises ValueError on a stray ``}``."""
    stack = []
    for k in range(upto):
        t = toks[k].text
        if t == '{':
            stack.append(classify(toks, k, stack[-1] if stack else None))
        elif t == '}':
            if not stack:
                raise ValueError(f'a "}}" at offset {toks[k].pos} closes nothing')
            stack.pop()
    return stack


def top_level_declarations(src):
    """Names of the types and methods a cell declares at its top level (JShell's own scope)."""
    toks = tokens(src)
    names, depth = set(), 0
    for k, t in enumerate(toks):
        if t.text == '{':
            frame = classify(toks, k, None)
            if depth == 0 and frame.kind in ('class', 'method') and frame.name:
                if frame.kind == 'class' or _is_method_declaration(toks, k):
                    names.add(frame.name)
            depth += 1
        elif t.text == '}':
            depth = max(0, depth - 1)
    return names


def _is_method_declaration(toks, k):
    j = k - 1
    while j > 0 and toks[j].text != ')':
        j -= 1
    opener = _matching_open(toks, j)
    before_name = toks[opener - 2].text if opener > 1 else ''
    return bool(_IDENT.fullmatch(before_name) or before_name in ('>', ']')) and before_name not in ('new', 'return')


def identifiers(src):
    """Every identifier the cell uses (for: which names does a test depend on)."""
    return {t.text for t in tokens(src) if _IDENT.fullmatch(t.text)}
