"""The committed student versions are what ./lab assign makes of the masters; the nbgrader config loads."""
import os
import tempfile
import unittest

import support
from layerlab_grader import assign, meta

from traitlets.config import Config


class CommittedStudentVersions(unittest.TestCase):
    def test_fixture_student_version_is_in_step(self):
        self.assertEqual(assign.drift(support.MASTERS, os.path.join(support.FIXTURES, 'release')), [])

    def test_lab_student_versions_are_in_step(self):
        masters = os.path.join(support.ROOT, 'labs', 'master')
        problems = assign.drift(masters, os.path.join(support.ROOT, 'notebooks', 'labs'))
        self.assertEqual(problems, [], 'run ./lab assign after editing a master:\n' + '\n'.join(problems))

    def test_drift_is_seen(self):
        released = os.path.join(support.FIXTURES, 'release', 'lab00-fixture.ipynb')
        with open(released, encoding='utf-8') as f:
            good = f.read()
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, 'lab00-fixture.ipynb'), 'w', encoding='utf-8') as f:
                f.write(good.replace('YOUR CODE HERE', 'YOUR CODE THERE', 1))
            with open(os.path.join(d, 'lab99-orphan.ipynb'), 'w', encoding='utf-8') as f:
                f.write(good)
            problems = '\n'.join(assign.drift(support.MASTERS, d))
        self.assertIn('lab00-fixture.ipynb: differs from what ./lab assign makes', problems)
        self.assertIn('lab99-orphan.ipynb: no master', problems)


class NbgraderConfig(unittest.TestCase):
    def test_config_loads_and_matches_the_format(self):
        path = os.path.join(support.ROOT, 'labs', 'nbgrader_config.py')
        with open(path, encoding='utf-8') as f:
            code = compile(f.read(), path, 'exec')
        c = Config()
        exec(code, {'get_config': lambda: c, '__file__': path})
        self.assertTrue(c.ClearSolutions.code_stub['java'].startswith('// YOUR CODE HERE\nthrow new UnsupportedOperationException('))
        self.assertEqual(c.ClearSolutions.text_stub, meta.ANSWER_STUB)
        self.assertEqual((c.ClearHiddenTests.begin_test_delimeter, c.ClearHiddenTests.end_test_delimeter),
                         ('BEGIN HIDDEN TESTS', 'END HIDDEN TESTS'))
        self.assertEqual(c.ClearSolutions.begin_solution_delimeter, 'BEGIN SOLUTION')
        self.assertGreater(c.Execute.timeout, 0)


if __name__ == '__main__':
    unittest.main()
