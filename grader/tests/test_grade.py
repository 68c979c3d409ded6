"""./lab grade on submissions of the fixture lab, through the installed kernel: each wrong
submission scored as expected with a message a student can act on; --jobs 1 as --jobs 2; --isolate.
"""
import copy
import os
import shutil
import sys
import unittest

import nbformat
import support
from graded import CELL_TIMEOUT, FULL, grade, points, record, row, rows, run
from layerlab_grader import meta


def setUpModule():
    run()


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
        nb = nbformat.read(os.path.join(run()['out'], 'autograded', 'tamper', support.NAME, support.NAME + '.ipynb'), 4)
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
        gradebook = {r['student_id']: r for r in support.read_csv(os.path.join(run()['out'], 'grades.csv'))}
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


class Parallel(unittest.TestCase):
    def test_jobs_1_gives_what_jobs_2_gave(self):
        submitted, out = os.path.join(run()['work'], 'subset'), os.path.join(run()['work'], 'out-jobs1')
        chosen = ('stub', 'crash')
        for student in chosen:
            shutil.copytree(os.path.join(run()['work'], 'submitted', student), os.path.join(submitted, student))
        done, took = grade(submitted, out, 1)
        print(f'\n[grader] {len(chosen)} submissions graded with --jobs 1 in {took:.0f} s', file=sys.stderr)
        self.assertEqual(done.returncode, 0, done.stdout[-4000:])
        key = ('student', 'grade_id', 'points', 'max_points', 'status', 'message')
        one = [tuple(r[k] for k in key) for r in rows(out)]
        two = [tuple(r[k] for k in key) for r in rows() if r['student'] in chosen]
        self.assertEqual(one, two)


class Isolation(unittest.TestCase):
    def test_isolated_grading_has_no_network_but_grades(self):
        self.assertEqual(os.geteuid(), 0, '--isolate uses network and PID namespaces (unshare), which need root')
        nb = copy.deepcopy(support.solved())
        probe = nbformat.v4.new_code_cell('java.net.NetworkInterface.networkInterfaces()'
                                          '.map(java.net.NetworkInterface::getName).sorted().toList()')
        nb.cells.insert(2, probe)
        folder = os.path.join(run()['work'], 'isolated', support.NAME)
        support.write(nb, folder)
        out = os.path.join(run()['work'], 'out-isolated')
        done = support.grader('grade', '--submission', folder, '--student', 'iso', '--masters', support.MASTERS,
                              '--out', out, '--isolate', '--kernel', support.KERNEL, '--cell-timeout', CELL_TIMEOUT)
        self.assertEqual(done.returncode, 0, done.stdout[-4000:])
        self.assertEqual(points('iso', out), FULL)
        graded = nbformat.read(os.path.join(out, 'autograded', 'iso', support.NAME, support.NAME + '.ipynb'), 4)
        result = [o for o in graded.cells[2].outputs if o.output_type == 'execute_result']
        self.assertEqual(result[0].data['text/plain'], '[lo]')


if __name__ == '__main__':
    unittest.main()
