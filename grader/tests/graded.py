"""One grading run of the fixture lab's submissions, shared by the test modules that read it.

``run()`` grades every submission below once per test process (``--jobs 2``, through the
installed kernel) and returns where the outputs are; the folder is removed at exit unless
LAYERLAB_KEEP_GRADING is set.
"""
import atexit
import os
import shutil
import sys
import tarfile
import tempfile
import time
import zipfile

import support

CELL_TIMEOUT = '15'
RUN = {}


def submissions():
    """{student: notebook}. The three parts are independent, so one submission carries one fault per part."""
    wrong = support.solved(max_pool=support.variant('maxpool-wrong-backward.java'),
                           dropout=support.variant('dropout-no-rescale.java'),
                           batch_norm=support.variant('norm-unbiased.java'))
    crash = support.solved(max_pool=support.variant('maxpool-exit.java'), dropout=support.variant('dropout-loop.java'))
    tamper = support.without(support.solved(batch_norm=support.variant('norm-unbiased.java')), 'test-dropout')
    support.cell_of(tamper, 'test-batch-norm').source = 'System.out.println("OK: normalize agrees with BatchNorm(3) on [8, 3]");'
    support.cell_of(tamper, 'test-max-forward').metadata.nbgrader['points'] = 100
    odd = support.solved(max_pool=support.variant('maxpool-off-by-one.java'),
                         batch_norm=support.variant('norm-unbiased-expect-shadow.java'))
    return {'full': support.solved(), 'stub': support.student_version(), 'wrong': wrong, 'crash': crash,
            'tamper': tamper, 'odd': odd}


def build(submitted, students):
    for student, nb in students.items():
        support.write(nb, os.path.join(submitted, student, support.NAME))
    with open(os.path.join(submitted, 'full', support.NAME, 'timestamp.txt'), 'w') as f:
        f.write('2026-12-01 10:00:00.000000\n')


def build_odd(submitted, work):
    """A misnamed notebook, a damaged one, a .zip and a .tar.gz."""
    support.write(support.solved(), os.path.join(submitted, 'missing', support.NAME), 'Untitled.ipynb')
    path = support.write(support.solved(), os.path.join(submitted, 'bad-json', support.NAME))
    with open(path, 'r+', encoding='utf-8') as f:
        text = f.read()
        f.seek(0)
        f.write(text[:len(text) // 2])
        f.truncate()
    carol = support.write(support.solved(), os.path.join(work, 'carol', support.NAME))
    with zipfile.ZipFile(os.path.join(submitted, 'carol.zip'), 'w') as z:
        z.write(carol, f'{support.NAME}/{support.NAME}.ipynb')
    dave = support.write(support.student_version(), os.path.join(work, 'dave', support.NAME))
    with tarfile.open(os.path.join(submitted, 'dave.tar.gz'), 'w:gz') as t:
        t.add(dave, f'dave/{support.NAME}/{support.NAME}.ipynb')
    return 2


def grade(submitted, out, jobs):
    started = time.time()
    done = support.grader('grade', submitted, '--masters', support.MASTERS, '--out', out, '--jobs', str(jobs),
                          '--kernel', support.KERNEL, '--cell-timeout', CELL_TIMEOUT, '--notebook-timeout', '240')
    return done, time.time() - started


def run():
    """{'work', 'out'} of the shared grading run, made on first use; AssertionError when ./lab grade failed."""
    if not RUN:
        work = tempfile.mkdtemp(prefix='layerlab-grader-test-')
        atexit.register(_clean, work)
        submitted, out = os.path.join(work, 'submitted'), os.path.join(work, 'out')
        students = submissions()
        build(submitted, students)
        kernels = len(students) + build_odd(submitted, os.path.join(work, 'made'))
        done, took = grade(submitted, out, 2)
        RUN.update(work=work, out=out, done=done)
        print(f'\n[grader] {len(os.listdir(submitted))} submissions ({kernels} run in kernels) graded with --jobs 2 '
              f'in {took:.0f} s', file=sys.stderr)
    if RUN['done'].returncode != 0:
        raise AssertionError(f'./lab grade failed ({RUN["done"].returncode}):\n{RUN["done"].stdout[-6000:]}')
    return RUN


def _clean(work):
    if not os.environ.get('LAYERLAB_KEEP_GRADING'):
        shutil.rmtree(work, ignore_errors=True)


def rows(out=None):
    return support.read_csv(os.path.join(out or run()['out'], 'tests.csv'))


def row(student, gid, out=None):
    found = [r for r in rows(out) if r['student'] == student and r['grade_id'] == gid]
    assert len(found) == 1, (student, gid, found)
    return found[0]


def record(student):
    return support.read_json(os.path.join(run()['out'], 'results', student, support.NAME, 'grading.json'))


def points(student, out=None):
    return {r['grade_id']: float(r['points']) for r in rows(out) if r['student'] == student}


FULL = {'test-max-forward': 1.0, 'test-max-backward': 2.0, 'test-dropout': 3.0, 'test-batch-norm': 2.0, 'answer': 0.0}
