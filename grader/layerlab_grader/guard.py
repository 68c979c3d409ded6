"""Student cells that redeclare a name the tests rely on.

JShell lets a later declaration replace an earlier one, and a cell's class hides a class of the
same simple name imported on demand (the kernel imports ``layerlab.check.*``, ``layerlab.nn.*``,
...). A student class named ``Expect`` with empty methods would make every check pass; one named
``MaxPool`` would make a test compare the student's layer with itself. So a test that uses a
name which a student cell before it declares at top level — a layerlab class, or a type or
method that the master's locked cells define — fails with the reason, whatever it printed.
Names the master's own solution cells declare (the student's classes) are of course allowed.
"""
import glob
import os
import zipfile

from . import javasrc, meta


def layerlab_classes(kernel_argv):
    """{simple name: qualified name} of the top-level classes in the kernel's layerlab jars."""
    found = {}
    for jar in _classpath_jars(kernel_argv):
        if not os.path.basename(jar).startswith('layerlab'):
            continue
        with zipfile.ZipFile(jar) as z:
            for entry in z.namelist():
                if entry.startswith('layerlab/') and entry.endswith('.class') and '$' not in entry:
                    qualified = entry[:-6].replace('/', '.')
                    simple = qualified.rsplit('.', 1)[-1]
                    if simple not in ('package-info', 'module-info'):
                        found.setdefault(simple, qualified)
    return found


def _classpath_jars(argv):
    for i, arg in enumerate(argv[:-1]):
        if arg in ('-cp', '-classpath', '--class-path'):
            for entry in argv[i + 1].split(os.pathsep):
                if entry.endswith('*'):
                    yield from sorted(glob.glob(entry[:-1] + '*.jar'))
                elif entry.endswith('.jar'):
                    yield entry


def protected(master, classes):
    """{name: what it is} for the names a student cell must not redeclare."""
    names = {simple: f"layerlab's {qualified}" for simple, qualified in classes.items()}
    own = set()
    for cell in master.cells:
        if cell.cell_type != 'code':
            continue
        declared = _declared(meta.source(cell))
        if meta.role(cell) == 'solution':
            own |= declared
        elif meta.role(cell) in ('locked', 'test'):
            for name in declared:
                names[name] = f"the lab's {name} (defined in the locked cell {meta.grade_id(cell)!r})"
    return {n: what for n, what in names.items() if n not in own}


def _declared(src):
    try:
        return javasrc.top_level_declarations(src)
    except (javasrc.JavaSyntaxError, ValueError):
        return set()


def verdicts(nb, master, names):
    """{test grade_id: reason} for each test that uses a name a student cell before it redeclared."""
    tests = {meta.grade_id(c): meta.source(c) for c in master.cells if meta.role(c) == 'test'}
    redeclared, found = {}, {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != 'code':
            continue
        role = meta.role(cell)
        if role in ('', 'solution'):
            where = f'solution cell {meta.grade_id(cell)!r}' if role else f'cell {index}'
            for name in sorted(_declared(meta.source(cell)) & set(names)):
                redeclared[name] = where
        elif role == 'test' and redeclared:
            used = javasrc.identifiers(tests[meta.grade_id(cell)]) if meta.grade_id(cell) in tests else set()
            hits = [n for n in sorted(redeclared) if n in used]
            if hits:
                found[meta.grade_id(cell)] = '; '.join(
                    f'{redeclared[n]} declares {n}, which hides {names[n]} that this test uses' for n in hits
                ) + ': the test cannot trust its checks; rename your declaration'
    return found
