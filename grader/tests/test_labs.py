"""The six labs of issue 12: each master scores full points through ./lab grade, and its student
version runs with only the stubs failing and scores 0. Fails (naming them) while labs are missing."""
import os
import shutil
import sys
import tempfile
import time
import unittest

import nbformat
import support
from layerlab_grader import assign, meta, regions

LABS = ('lab01-pooling', 'lab02-activations', 'lab03-fc-softmax', 'lab04-dropout', 'lab05-batchnorm', 'lab06-norms')
MASTERS = os.path.join(support.ROOT, 'labs', 'master')
STUB = regions.STUB_MESSAGE.format(what='')


class SixLabs(unittest.TestCase):
    def test_masters_score_full_points_and_student_versions_zero(self):
        present = [lab for lab in LABS if os.path.isfile(os.path.join(MASTERS, lab + '.ipynb'))]
        missing = [lab for lab in LABS if lab not in present]
        problems = self.grade(present) if present else []
        if missing:
            problems.append(f'labs missing from labs/master/: {", ".join(missing)} (issue 12 asks for all six)')
        self.assertEqual(problems, [], '\n' + '\n'.join(problems))

    def grade(self, labs):
        work = tempfile.mkdtemp(prefix='layerlab-labs-test-')
        try:
            submitted, out = os.path.join(work, 'submitted'), os.path.join(work, 'out')
            for lab in labs:
                path = os.path.join(MASTERS, lab + '.ipynb')
                os.makedirs(os.path.join(submitted, 'master', lab))
                shutil.copy(path, os.path.join(submitted, 'master', lab))
                support.write(assign.release(assign.read_master(path)), os.path.join(submitted, 'student', lab), lab + '.ipynb')
            started = time.time()
            done = support.grader('grade', submitted, '--masters', MASTERS, '--out', out, '--jobs', '2',
                                  '--kernel', support.KERNEL, '--cell-timeout', '300', '--notebook-timeout', '900',
                                  timeout=3600)
            print(f'\n[grader] {len(labs)} lab(s), master and student version each, graded in {time.time() - started:.0f} s',
                  file=sys.stderr)
            if done.returncode != 0:
                return [f'./lab grade failed ({done.returncode}):\n{done.stdout[-4000:]}']
            return [p for lab in labs for p in self.check(out, lab)]
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def check(self, out, lab):
        problems = []
        master = support.read_json(os.path.join(out, 'results', 'master', lab, 'grading.json'))
        student = support.read_json(os.path.join(out, 'results', 'student', lab, 'grading.json'))
        for t in master['tests']:
            if t['kind'] == 'auto' and t['points'] != t['max_points']:
                problems.append(f'{lab} master: {t["grade_id"]} scored {t["points"]:g} of {t["max_points"]:g}: {t["message"]}')
        for who, rec in (('master', master), ('student version', student)):
            nb = rec['notebooks'][0]
            if nb['events'] or nb['restarts'] or nb['problem']:
                problems.append(f'{lab} {who}: {nb["problem"]} {nb["events"]} restarts={nb["restarts"]}')
        for t in student['tests']:
            if t['points'] != 0:
                problems.append(f'{lab} student version: {t["grade_id"]} scored {t["points"]:g} (expected 0)')
        graded = nbformat.read(os.path.join(out, 'autograded', 'student', lab, lab + '.ipynb'), 4)
        for i, cell in enumerate(graded.cells):
            for o in cell.get('outputs', []):
                stub = o.output_type == 'error' and o.ename == 'java.lang.UnsupportedOperationException' and STUB in o.evalue
                if (o.output_type == 'error' and not stub) or (o.output_type == 'stream' and o.name == 'stderr'):
                    what = f'{o.ename}: {o.evalue}' if o.output_type == 'error' else 'stderr: ' + o.text
                    problems.append(f'{lab} student version: cell {i} ({meta.grade_id(cell)}) failed other than by a stub: '
                                    f'{what[:300]}')
        return problems


if __name__ == '__main__':
    unittest.main()
