"""./lab grade and ./lab feedback on submissions of the fixture lab, through the installed kernel.

One grading run (--jobs 2) of every submission below serves most tests; each test reads its
outputs: tests.csv, grades.csv, the grading records, Gradescope's results.json, the graded
notebooks and the feedback pages (opened in headless chromium).
"""
import copy
import os
import shutil
import struct
import sys
import tarfile
import tempfile
import time
import unittest
import zipfile

import nbformat
import support
from layerlab_grader import meta, regions, report

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


def setUpModule():
    work = tempfile.mkdtemp(prefix='layerlab-grader-test-')
    submitted, out = os.path.join(work, 'submitted'), os.path.join(work, 'out')
    students = submissions()
    build(submitted, students)
    kernels = len(students) + build_odd(submitted, os.path.join(work, 'made'))
    done, took = grade(submitted, out, 2)
    RUN.update(work=work, out=out, done=done, took=took)
    print(f'\n[grader] {len(os.listdir(submitted))} submissions ({kernels} run in kernels) graded with --jobs 2 '
          f'in {took:.0f} s', file=sys.stderr)
    if done.returncode != 0:
        raise AssertionError(f'./lab grade failed ({done.returncode}):\n{done.stdout[-6000:]}')


def tearDownModule():
    if RUN.get('work') and not os.environ.get('LAYERLAB_KEEP_GRADING'):
        shutil.rmtree(RUN['work'], ignore_errors=True)


def rows(out=None):
    return support.read_csv(os.path.join(out or RUN['out'], 'tests.csv'))


def row(student, gid, out=None):
    found = [r for r in rows(out) if r['student'] == student and r['grade_id'] == gid]
    assert len(found) == 1, (student, gid, found)
    return found[0]


def record(student):
    return support.read_json(os.path.join(RUN['out'], 'results', student, support.NAME, 'grading.json'))


def points(student, out=None):
    return {r['grade_id']: float(r['points']) for r in rows(out) if r['student'] == student}


FULL = {'test-max-forward': 1.0, 'test-max-backward': 2.0, 'test-dropout': 3.0, 'test-batch-norm': 2.0, 'answer': 0.0}


class Scores(unittest.TestCase):
    def test_full_solution_scores_every_automatic_point(self):
        self.assertEqual(points('full'), FULL)
        self.assertEqual(row('full', 'answer')['status'], 'needs manual grading')
        for gid in ('test-max-forward', 'test-max-backward', 'test-dropout', 'test-batch-norm'):
            self.assertEqual(row('full', gid)['status'], 'passed')
        self.assertEqual(record('full')['notebooks'][0]['events'], [])

    def test_student_version_scores_zero_and_only_its_stubs_fail(self):
        self.assertEqual(set(points('stub').values()), {0.0})
        for r in rows():
            if r['student'] == 'stub' and r['grade_id'] != 'answer':
                self.assertEqual(r['status'], 'failed')
                self.assertRegex(r['message'], r'^UnsupportedOperationException: (My\w+\.forward|normalize): '
                                 'not implemented yet — write your code here\n')
        self.assertEqual(row('stub', 'answer')['status'], 'no answer')
        nb = record('stub')['notebooks'][0]
        self.assertEqual((nb['events'], nb['restarts']), ([], 0))

    def test_wrong_backward_fails_only_backward_with_the_hidden_shape(self):
        self.assertEqual(points('wrong')['test-max-forward'], 1.0)
        self.assertEqual(points('wrong')['test-max-backward'], 0.0)
        message = row('wrong', 'test-max-backward')['message']
        self.assertIn('AssertionError: MyMaxPool vs MaxPool on [2, 3, 7, 7], backward dX:', message)
        self.assertIn('elements differ; the worst, at', message)

    def test_unbiased_variance_fails_the_norm_with_the_worst_element(self):
        self.assertEqual(points('wrong')['test-batch-norm'], 0.0)
        message = row('wrong', 'test-batch-norm')['message']
        self.assertIn('AssertionError: normalize(x) on [8, 3] against BatchNorm(3) in training mode:', message)
        self.assertIn('> tolerance', message)

    def test_missing_rescale_gets_partial_credit_with_what_failed(self):
        self.assertEqual(points('wrong')['test-dropout'], 2.0)
        self.assertEqual(row('wrong', 'test-dropout')['status'], 'partial')
        test = next(t for t in record('wrong')['tests'] if t['grade_id'] == 'test-dropout')
        self.assertIn('FAILED (training forward): E[y] for x = 1 (inverted dropout keeps the mean', test['output'])
        self.assertIn('OK: backward uses', test['output'])

    def test_window_off_by_one_fails_forward_and_backward(self):
        self.assertEqual((points('odd')['test-max-forward'], points('odd')['test-max-backward']), (0.0, 0.0))
        self.assertIn('AssertionError: MyMaxPool(2, 2).forward on [2, 3, 6, 6]: ', row('odd', 'test-max-forward')['message'])
        self.assertIn('forward output', row('odd', 'test-max-backward')['message'])

    def test_system_exit_fails_its_cell_and_an_infinite_loop_times_out_and_grading_goes_on(self):
        self.assertEqual(points('crash'), dict(FULL, **{'test-max-backward': 0.0, 'test-dropout': 0.0}))
        exited = row('crash', 'test-max-backward')
        self.assertEqual(exited['status'], 'failed')
        self.assertIn('system.exit', exited['message'].lower())
        self.assertIn(f'CellTimeoutError: the cell did not finish within {CELL_TIMEOUT} s', row('crash', 'test-dropout')['message'])
        nb = record('crash')['notebooks'][0]
        self.assertGreaterEqual(nb['restarts'], 1)
        self.assertTrue(any('replayed' in n for n in nb['run_notes']), nb['run_notes'])

    def test_deleted_test_cell_is_put_back_and_graded(self):
        self.assertEqual(points('tamper')['test-dropout'], 3.0)
        self.assertIn("the test cell 'test-dropout' was deleted from the submission; the master's cell was put back",
                      row('tamper', 'test-dropout')['message'])
        nb = nbformat.read(os.path.join(RUN['out'], 'autograded', 'tamper', support.NAME, support.NAME + '.ipynb'), 4)
        self.assertIn('FAILED (eval)', meta.source(support.cell_of(nb, 'test-dropout')))

    def test_edited_test_cell_counts_for_nothing_and_is_reported(self):
        self.assertEqual(points('tamper')['test-batch-norm'], 0.0)
        message = row('tamper', 'test-batch-norm')['message']
        self.assertIn("the test cell 'test-batch-norm' was edited; the original was restored and run instead.", message)
        self.assertIn('-Expect.close("normalize(x) on [8, 3] against BatchNorm(3) in training mode"', message)
        self.assertIn('AssertionError: normalize(x) on [8, 3]', message)

    def test_changed_points_come_from_the_master(self):
        self.assertEqual((points('tamper')['test-max-forward'], row('tamper', 'test-max-forward')['max_points']), (1.0, '1.0'))
        self.assertIn("the points of 'test-max-forward' were changed to 100", row('tamper', 'test-max-forward')['message'])
        gradebook = {r['student_id']: r for r in support.read_csv(os.path.join(RUN['out'], 'grades.csv'))}
        self.assertEqual((gradebook['tamper']['raw_score'], gradebook['tamper']['max_score']), ('6.0', '10.0'))

    def test_missing_and_broken_notebooks_score_zero_and_say_why(self):
        self.assertEqual(set(points('missing').values()), {0.0})
        r = row('missing', 'test-dropout')
        self.assertEqual(r['status'], 'missing notebook')
        self.assertIn('lab00-fixture.ipynb is not in the submission (it has: Untitled.ipynb)', r['message'])
        r = row('bad-json', 'test-max-forward')
        self.assertEqual((r['status'], r['points']), ('invalid notebook', '0.0'))
        self.assertIn('lab00-fixture.ipynb is not valid JSON (line', r['message'])

    def test_a_class_hiding_expect_fails_the_tests_that_use_it(self):
        self.assertEqual(points('odd')['test-batch-norm'], 0.0)
        r = row('odd', 'test-batch-norm')
        self.assertIn("solution cell 'batch-norm' declares Expect, which hides layerlab's layerlab.check.Expect", r['message'])
        self.assertEqual(points('odd')['test-dropout'], 3.0)

    def test_archives_grade_like_folders(self):
        self.assertEqual(points('carol'), FULL)
        self.assertEqual(points('dave'), points('stub'))


class Outputs(unittest.TestCase):
    def test_gradebook_has_nbgraders_columns(self):
        with open(os.path.join(RUN['out'], 'grades.csv'), encoding='utf-8') as f:
            self.assertEqual(f.readline().strip(), ','.join(report.GRADEBOOK))
        gradebook = {r['student_id']: r for r in support.read_csv(os.path.join(RUN['out'], 'grades.csv'))}
        self.assertEqual(len(gradebook), 10)
        full = gradebook['full']
        self.assertEqual((full['assignment'], full['timestamp'], full['raw_score'], full['late_submission_penalty'],
                          full['score'], full['max_score']),
                         (support.NAME, '2026-12-01 10:00:00', '8.0', '0.0', '8.0', '10.0'))
        self.assertEqual(gradebook['wrong']['raw_score'], '3.0')

    def test_per_test_csv(self):
        with open(os.path.join(RUN['out'], 'tests.csv'), encoding='utf-8') as f:
            self.assertEqual(f.readline().strip(), ','.join(report.TESTS))
        self.assertEqual(len(rows()), 10 * 5)

    def test_gradescope_results(self):
        res = support.read_json(os.path.join(RUN['out'], 'results', 'wrong', support.NAME, 'results.json'))
        self.assertEqual(res['score'], 3.0)
        self.assertEqual([t['max_score'] for t in res['tests']], [1.0, 2.0, 3.0, 2.0, 2.0])
        drop = res['tests'][2]
        self.assertEqual((drop['score'], drop['status'], drop['visibility']), (2.0, 'failed', 'visible'))
        self.assertIn('(test-dropout)', drop['name'])
        self.assertIn('FAILED (training forward)', drop['output'])

    def test_graded_notebook_has_the_hidden_tests_and_outputs(self):
        nb = nbformat.read(os.path.join(RUN['out'], 'autograded', 'wrong', support.NAME, support.NAME + '.ipynb'), 4)
        cell = support.cell_of(nb, 'test-max-backward')
        self.assertIn('BEGIN HIDDEN TESTS', meta.source(cell))
        self.assertEqual([o.output_type for o in cell.outputs][-1], 'error')

    def test_no_student_facing_output_shows_hidden_test_code(self):
        hidden = [h for h in {line for c in support.master().cells for line in regions.hidden_lines(meta.source(c))}
                  if len(h) > 12]
        self.assertGreater(len(hidden), 4)
        paths = [os.path.join(RUN['out'], 'tests.csv')]
        for dirpath, _, files in os.walk(os.path.join(RUN['out'], 'feedback')):
            paths += [os.path.join(dirpath, f) for f in files]
        for dirpath, _, files in os.walk(os.path.join(RUN['out'], 'results')):
            paths += [os.path.join(dirpath, f) for f in files if f == 'results.json']
        self.assertGreater(len(paths), 30)
        for path in paths:
            with open(path, encoding='utf-8') as f:
                text = f.read()
            for h in hidden:
                self.assertNotIn(h, text, path)

    def test_manual_scores_enter_the_gradebook(self):
        out = os.path.join(RUN['work'], 'out-manual')
        shutil.copytree(RUN['out'], out)
        todo = support.read_csv(os.path.join(out, 'manual-todo.csv'))
        self.assertEqual({r['student_id'] for r in todo}, set(points_by_student()))
        manual = os.path.join(RUN['work'], 'manual.csv')
        with open(manual, 'w', encoding='utf-8') as f:
            f.write('student_id,assignment,grade_id,max_points,score,comment\n'
                    f'full,{support.NAME},answer,2.0,1.5,"Верно, но кратко"\nstub,{support.NAME},answer,2.0,,\n')
        done = support.grader('feedback', out, '--manual', manual)
        self.assertEqual(done.returncode, 0, done.stdout)
        self.assertEqual(row('full', 'answer', out)['status'], 'graded by hand')
        gradebook = {r['student_id']: r for r in support.read_csv(os.path.join(out, 'grades.csv'))}
        self.assertEqual(gradebook['full']['raw_score'], '9.5')
        with open(manual, 'a', encoding='utf-8') as f:
            f.write(f'full,{support.NAME},test-dropout,3.0,1,\nfull,{support.NAME},answer,2.0,5,\n')
        done = support.grader('feedback', out, '--manual', manual)
        self.assertEqual(done.returncode, 1)
        self.assertIn('is graded automatically, not by hand', done.stdout)
        self.assertIn('score 5 outside 0..2', done.stdout)

    def test_one_submission_per_invocation(self):
        out, results = os.path.join(RUN['work'], 'single'), os.path.join(RUN['work'], 'results.json')
        folder = os.path.join(RUN['work'], 'submitted', 'bad-json', support.NAME)
        done = support.grader('grade', '--submission', folder, '--student', 'solo', '--masters', support.MASTERS,
                              '--out', out, '--results-json', results)
        self.assertEqual(done.returncode, 0, done.stdout)
        res = support.read_json(results)
        self.assertEqual((res['score'], len(res['tests'])), (0, 5))
        self.assertIn('is not valid JSON', res['tests'][0]['output'])
        self.assertTrue(os.path.exists(os.path.join(out, 'grades.csv')))


def points_by_student():
    return {r['student'] for r in rows()}


class Parallel(unittest.TestCase):
    def test_jobs_1_gives_what_jobs_2_gave(self):
        submitted, out = os.path.join(RUN['work'], 'subset'), os.path.join(RUN['work'], 'out-jobs1')
        chosen = ('stub', 'wrong', 'crash')
        for student in chosen:
            shutil.copytree(os.path.join(RUN['work'], 'submitted', student), os.path.join(submitted, student))
        done, took = grade(submitted, out, 1)
        print(f'\n[grader] {len(chosen)} submissions graded with --jobs 1 in {took:.0f} s', file=sys.stderr)
        self.assertEqual(done.returncode, 0, done.stdout[-4000:])
        key = ('student', 'grade_id', 'points', 'max_points', 'status', 'message')
        one = [tuple(r[k] for k in key) for r in rows(out)]
        two = [tuple(r[k] for k in key) for r in rows() if r['student'] in chosen]
        self.assertEqual(one, two)


class Feedback(unittest.TestCase):
    def page(self, student):
        return os.path.join(RUN['out'], 'feedback', student, support.NAME, support.NAME + '.html')

    def test_every_part_and_its_points_are_visible_in_chromium(self):
        hidden = [h for c in support.master().cells for h in regions.hidden_lines(meta.source(c)) if len(h) > 12]
        for student in ('full', 'wrong', 'crash'):
            dom = support.chromium(['--dump-dom', 'file://' + self.page(student)])
            self.assertIn('</html>', dom)
            for r in rows():
                if r['student'] != student:
                    continue
                test = next(t for t in record(student)['tests'] if t['grade_id'] == r['grade_id'])
                self.assertIn(test['title'].replace('&', '&amp;'), dom)
                self.assertIn(f'{float(r["points"]):g} / {float(r["max_points"]):g}', dom)
            for h in hidden:
                self.assertNotIn(h, dom)
            self.assertNotIn('<script', dom)
        self.assertIn('Итого (total): <b>8 из 10</b>', support.chromium(['--dump-dom', 'file://' + self.page('full')]))

    def test_the_page_renders(self):
        png = os.path.join(RUN['work'], 'feedback.png')
        support.chromium(['--window-size=1000,1400', f'--screenshot={png}', 'file://' + self.page('wrong')])
        width, height, ink = png_ink(png)
        self.assertEqual((width, height), (1000, 1400))
        self.assertGreater(ink, 0.01, 'the screenshot is (nearly) blank')


def png_ink(path):
    """(width, height, fraction of pixels that are not near-white) of an 8-bit RGB(A) PNG."""
    import zlib
    with open(path, 'rb') as f:
        data = f.read()
    pos, idat, width = 8, b'', 0
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            width, height, depth, colour = struct.unpack('>IIBB', body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            channels = 3 if colour == 2 else 4
        elif kind == b'IDAT':
            idat += body
        pos += 12 + length
    raw, stride, prev, inked = zlib.decompress(idat), width * channels, bytearray(width * channels), 0
    for y in range(height):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        cur = _unfilter(line[0], bytearray(line[1:]), prev, channels)
        inked += sum(1 for x in range(0, stride, channels) if min(cur[x:x + 3]) < 200)
        prev = cur
    return width, height, inked / (width * height)


def _unfilter(kind, cur, prev, bpp):
    for i in range(len(cur)):
        a = cur[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if kind == 1:
            cur[i] = (cur[i] + a) & 255
        elif kind == 2:
            cur[i] = (cur[i] + b) & 255
        elif kind == 3:
            cur[i] = (cur[i] + (a + b) // 2) & 255
        elif kind == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    return cur


class Isolation(unittest.TestCase):
    def test_isolated_grading_has_no_network_but_grades(self):
        self.assertEqual(os.geteuid(), 0, '--isolate uses network and PID namespaces (unshare), which need root')
        nb = copy.deepcopy(support.solved())
        probe = nbformat.v4.new_code_cell('java.net.NetworkInterface.networkInterfaces()'
                                          '.map(java.net.NetworkInterface::getName).sorted().toList()')
        nb.cells.insert(2, probe)
        folder = os.path.join(RUN['work'], 'isolated', support.NAME)
        support.write(nb, folder)
        out = os.path.join(RUN['work'], 'out-isolated')
        done = support.grader('grade', '--submission', folder, '--student', 'iso', '--masters', support.MASTERS,
                              '--out', out, '--isolate', '--kernel', support.KERNEL, '--cell-timeout', CELL_TIMEOUT)
        self.assertEqual(done.returncode, 0, done.stdout[-4000:])
        self.assertEqual(points('iso', out), FULL)
        graded = nbformat.read(os.path.join(out, 'autograded', 'iso', support.NAME, support.NAME + '.ipynb'), 4)
        result = [o for o in graded.cells[2].outputs if o.output_type == 'execute_result']
        self.assertEqual(result[0].data['text/plain'], '[lo]')


if __name__ == '__main__':
    unittest.main()
