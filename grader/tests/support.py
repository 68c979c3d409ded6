"""What the grader's tests share: the fixture lab, submissions made from it, running the CLI, chromium."""
import copy
import csv
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GRADER = os.path.dirname(HERE)
ROOT = os.path.dirname(GRADER)
sys.path.insert(0, GRADER)

from layerlab_grader import assign, meta  # noqa: E402  (the path above makes the package importable)

FIXTURES = os.path.join(HERE, 'fixtures')
MASTERS = os.path.join(FIXTURES, 'master')
MASTER = os.path.join(MASTERS, 'lab00-fixture.ipynb')
NAME = 'lab00-fixture'
KERNEL = os.environ.get('LAYERLAB_KERNEL', 'layerlab')
CHROMIUM = os.environ.get('LAYERLAB_CHROMIUM', '/usr/bin/chromium')


def master():
    return assign.read_master(MASTER)


def student_version():
    return assign.release(master())


def variant(name):
    with open(os.path.join(FIXTURES, 'variants', name), encoding='utf-8') as f:
        return f.read().rstrip('\n')


def solution_of(gid):
    """The master's solution cell as a student would write it: the code, without the region markers."""
    cell = cell_of(master(), gid)
    return '\n'.join(line for line in meta.source(cell).split('\n')
                     if line.strip() not in ('// BEGIN SOLUTION', '// END SOLUTION'))


def cell_of(nb, gid):
    return next(c for c in nb.cells if meta.grade_id(c) == gid)


def solved(**replace):
    """The student version with every solution written (the master's, or ``replace[grade_id]``) and an answer."""
    nb = student_version()
    for cell in nb.cells:
        gid = meta.grade_id(cell)
        if meta.role(cell) == 'solution':
            cell.source = replace.get(gid.replace('-', '_'), solution_of(gid))
        elif meta.role(cell) == 'answer':
            cell.source = 'Делим на N: это статистика самого батча, после неё у x̂ среднее 0 и дисперсия 1.'
    return nb


def write(nb, folder, name=NAME + '.ipynb'):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), 'w', encoding='utf-8') as f:
        f.write(assign.dumps(nb))
    return os.path.join(folder, name)


def without(nb, gid):
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if meta.grade_id(c) != gid]
    return nb


def grader(*args, timeout=1200):
    """Runs ``python3 -m layerlab_grader ARGS`` as ./lab does; returns the CompletedProcess."""
    env = dict(os.environ, PYTHONPATH=GRADER)
    return subprocess.run([sys.executable, '-m', 'layerlab_grader', *args], cwd=ROOT, env=env, timeout=timeout,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def read_csv(path):
    with open(path, encoding='utf-8', newline='') as f:
        return list(csv.DictReader(f))


def read_json(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def chromium(args, timeout=120):
    """Headless chromium with a fresh profile and no network; returns stdout."""
    with tempfile.TemporaryDirectory(prefix='chromium-') as profile:
        cmd = [CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
               '--disable-component-update', '--disable-sync', '--no-first-run', '--hide-scrollbars',
               '--host-resolver-rules=MAP * ~NOTFOUND', '--force-device-scale-factor=1',
               f'--user-data-dir={profile}', *args]
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, text=True)
        if done.returncode != 0:
            raise AssertionError(f'chromium exited with {done.returncode}: {done.stderr[-2000:]}')
        return done.stdout
