"""The six labs against the submissions a student might hand in (labs/wrong/): each names in its
notebook metadata (``layerlab_expect``) the test cells that must fail and a substring of each
failure's message; the ``*-alt-correct`` ones are correct solutions written differently, which
must score every automatic point. All are graded in one ``./lab grade`` run through the kernel.

``LAYERLAB_WRONG=lab01,lab05`` limits the run to those labs (for a quick local check)."""
import glob
import os
import shutil
import sys
import tempfile
import time
import unittest

import nbformat
import support

WRONG = os.path.join(support.ROOT, 'labs', 'wrong')
MASTERS = os.path.join(support.ROOT, 'labs', 'master')
# the labs the issue names a wrong submission for; each must have one here
REQUIRED = ('lab01-window-off-by-one', 'lab01-ties-every-max', 'lab04-no-rescale', 'lab05-unbiased-variance',
            'lab05-backward-no-mean-term')


def cases():
    only = [s for s in os.environ.get('LAYERLAB_WRONG', '').split(',') if s]
    found = []
    for path in sorted(glob.glob(os.path.join(WRONG, 'lab*.ipynb'))):
        case = os.path.basename(path)[:-len('.ipynb')]
        if not only or any(case.startswith(o) for o in only):
            found.append((case, path))
    return found


def lab_of(case):
    prefix = case.split('-')[0]
    masters = [os.path.basename(m)[:-len('.ipynb')] for m in glob.glob(os.path.join(MASTERS, prefix + '-*.ipynb'))]
    if len(masters) != 1:
        raise AssertionError(f'{case}: expected one master labs/master/{prefix}-*.ipynb, found {masters}')
    return masters[0]


class WrongSubmissions(unittest.TestCase):
    def test_every_wrong_submission_fails_exactly_its_named_cells_with_its_message(self):
        found = cases()
        names = [c for c, _ in found]
        if not os.environ.get('LAYERLAB_WRONG'):
            missing = [r for r in REQUIRED if r not in names]
            self.assertEqual(missing, [], 'labs/wrong/ lacks the submissions issue 12 names')
            alts = {n.split('-')[0] for n in names if n.endswith('-alt-correct')}
            self.assertEqual(sorted(alts), [f'lab0{i}' for i in range(1, 7)], 'one alternative correct solution per lab')
        work = tempfile.mkdtemp(prefix='layerlab-wrong-test-')
        try:
            submitted, out = os.path.join(work, 'submitted'), os.path.join(work, 'out')
            expect = {}
            for case, path in found:
                nb = nbformat.read(path, 4)
                expect[case] = (lab_of(case), nb.metadata['layerlab_expect'])
                folder = os.path.join(submitted, case, expect[case][0])
                os.makedirs(folder)
                shutil.copy(path, os.path.join(folder, expect[case][0] + '.ipynb'))
            started = time.time()
            done = support.grader('grade', submitted, '--masters', MASTERS, '--out', out, '--jobs', '2',
                                  '--kernel', support.KERNEL, '--cell-timeout', '300', '--notebook-timeout', '900',
                                  timeout=5400)
            print(f'\n[grader] {len(found)} submissions to the six labs graded in {time.time() - started:.0f} s',
                  file=sys.stderr)
            self.assertEqual(done.returncode, 0, done.stdout[-4000:])
            problems = [p for case in expect for p in self.check(out, case, *expect[case])]
            self.assertEqual(problems, [], '\n' + '\n'.join(problems))
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def check(self, out, case, lab, want):
        rec = support.read_json(os.path.join(out, 'results', case, lab, 'grading.json'))
        auto = [t for t in rec['tests'] if t['kind'] == 'auto']
        failed = sorted(t['grade_id'] for t in auto if t['points'] < t['max_points'])
        problems = []
        if failed != sorted(want['failed']):
            problems.append(f'{case}: failed {failed}, expected {sorted(want["failed"])}')
        for t in auto:
            sub = want['message'].get(t['grade_id'])
            if sub and t['grade_id'] in failed and sub not in t['message']:
                problems.append(f'{case}: {t["grade_id"]}: message lacks "{sub}": {t["message"][:300]}')
        nb = rec['notebooks'][0]
        if nb['problem']:
            problems.append(f'{case}: {nb["problem"]}')
        return problems


if __name__ == '__main__':
    unittest.main()
