"""gather_grades.py on result folders laid out as the grading pods write them, and grade-one.sh's
refusals (the grader itself is another branch's: its call is exercised by a stand-in that writes
one gradebook row, so what is tested here is the pod's wrapper, not grading)."""
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

DEPLOY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(DEPLOY, 'k8s'))

import gather_grades  # noqa: E402

GRADE_ONE = os.path.join(DEPLOY, 'k8s', 'grade-one.sh')


def row(student, score):
    return ['lab01-pooling', '', '2026-12-04 12:00:00', student, '', '', '', str(score), '0',
            str(score), '10']


def write_csv(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', newline='', encoding='utf-8') as f:
        csv.writer(f).writerows([header] + rows)


class GatherTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='gather-test-')
        self.subs = os.path.join(self.tmp, 'submissions')
        self.res = os.path.join(self.tmp, 'results')
        for i, student in enumerate(['s3', 's1', 's2', 's4']):
            os.makedirs(os.path.join(self.subs, str(i)))
            with open(os.path.join(self.subs, str(i), 'student_id'), 'w') as f:
                f.write(student + '\n')

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def result(self, i, rows, tests=None):
        write_csv(os.path.join(self.res, str(i), 'grades.csv'), gather_grades.GRADEBOOK, rows)
        if tests:
            write_csv(os.path.join(self.res, str(i), 'tests.csv'), ['student_id', 'grade_id',
                                                                   'points'], tests)

    def test_all_results_joined_sorted_by_student(self):
        for i, s in enumerate(['s3', 's1', 's2', 's4']):
            self.result(i, [row(s, i + 5)], tests=[[s, 'pool-forward', str(i)]])
        rows, extra, problems, graded, total = gather_grades.gather(self.subs, self.res)
        self.assertEqual(problems, [])
        self.assertEqual((graded, total), (4, 4))
        self.assertEqual([r[3] for r in rows], ['s1', 's2', 's3', 's4'])
        self.assertEqual(len(extra['tests.csv'][1]), 4)

    def test_missing_errored_and_foreign_results_are_problems(self):
        self.result(0, [row('s3', 7)])
        os.makedirs(os.path.join(self.res, '1'))
        with open(os.path.join(self.res, '1', 'ERROR'), 'w') as f:
            f.write('the grader exited with 3 for s1')
        self.result(2, [row('s4', 9)])               # pod 2 wrote another student's row
        rows, _, problems, graded, total = gather_grades.gather(self.subs, self.res)
        self.assertEqual((graded, total), (1, 4))
        self.assertEqual([r[3] for r in rows], ['s3'])
        text = '\n'.join(problems)
        self.assertIn('1\ts1\tthe pod reported: the grader exited with 3', text)
        self.assertIn("2\ts2\tgrades.csv has no row for s2 but rows for ['s4']", text)
        self.assertIn('3\ts4\tno result', text)

    def test_command_line_exit_status_and_files(self):
        self.result(0, [row('s3', 7)])
        out = os.path.join(self.tmp, 'all')
        got = subprocess.run([sys.executable, gather_grades.__file__, '--submissions', self.subs,
                              '--results', self.res, '--out', out], capture_output=True, text=True)
        self.assertEqual(got.returncode, 1)
        self.assertIn('1 of 4 submissions', got.stderr)
        with open(os.path.join(out, 'grades.csv'), newline='') as f:
            self.assertEqual(list(csv.reader(f)), [gather_grades.GRADEBOOK, row('s3', 7)])
        with open(os.path.join(out, 'problems.txt')) as f:
            self.assertEqual(len(f.read().splitlines()), 3)


class GradeOneTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='grade-one-test-')
        self.sub = os.path.join(self.tmp, 'submission')
        self.out = os.path.join(self.tmp, 'results')
        os.makedirs(self.sub)
        os.makedirs(self.out)
        self.grader = os.path.join(self.tmp, 'grader')
        with open(self.grader, 'w') as f:
            f.write('#!/bin/sh\n# stand-in: writes one gradebook row for --student into --out\n'
                    'while [ $# -gt 0 ]; do case "$1" in --student) s="$2";; --out) o="$2";; '
                    'esac; shift; done\n'
                    f'printf "%s\\n" "{",".join(gather_grades.GRADEBOOK)}" '
                    '"lab01-pooling,,now,$s,,,,10,0,10,10" > "$o/grades.csv"\n')
        os.chmod(self.grader, 0o755)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def run_pod(self, **env):
        base = {'PATH': os.environ['PATH'], 'JOB_COMPLETION_INDEX': '4',
                'LAYERLAB_SUBMISSION': self.sub, 'LAYERLAB_RESULTS': self.out,
                'LAYERLAB_ASSIGNMENT': 'lab01-pooling', 'LAYERLAB_GRADE_CMD': self.grader}
        base.update(env)
        return subprocess.run(['bash', GRADE_ONE], capture_output=True, text=True,
                              env={k: v for k, v in base.items() if v is not None})

    def test_refuses_without_index_or_student(self):
        got = self.run_pod(JOB_COMPLETION_INDEX=None)
        self.assertNotEqual(got.returncode, 0)
        self.assertIn('JOB_COMPLETION_INDEX', got.stderr)
        got = self.run_pod()
        self.assertEqual(got.returncode, 1)
        with open(os.path.join(self.out, 'ERROR')) as f:
            self.assertIn('student_id', f.read())

    def test_one_submission_graded_into_its_folder(self):
        with open(os.path.join(self.sub, 'student_id'), 'w') as f:
            f.write('s7\n')
        with open(os.path.join(self.sub, 'lab01-pooling.ipynb'), 'w') as f:
            f.write('{}')
        got = self.run_pod()
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.out, 'ERROR')))
        with open(os.path.join(self.out, 'SUBMISSION')) as f:
            self.assertEqual(f.read(), '4\ts7\n')
        failing = self.run_pod(LAYERLAB_GRADE_CMD='false')
        self.assertEqual(failing.returncode, 1)
        with open(os.path.join(self.out, 'ERROR')) as f:
            self.assertIn('the grader exited with 1 for s7', f.read())


if __name__ == '__main__':
    unittest.main()
