"""./lab assign: the student version of the fixture master, and the malformed masters it refuses."""
import hashlib
import os
import tempfile
import unittest

import support
from layerlab_grader import assign, meta, regions


def problems_of(nb):
    return assign.validate(nb, 'lab00-fixture.ipynb')


class StudentVersion(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.master = support.master()
        cls.release = assign.release(cls.master)

    def cell(self, gid):
        return support.cell_of(self.release, gid)

    def test_stubs_name_the_class_and_method_and_keep_the_rest(self):
        src = meta.source(self.cell('max-pool'))
        self.assertIn('throw new UnsupportedOperationException("MyMaxPool.forward: not implemented yet', src)
        self.assertIn('throw new UnsupportedOperationException("MyMaxPool.backward: not implemented yet', src)
        self.assertIn('MyMaxPool(int kernel, int stride) {\n        k = kernel;', src)
        self.assertNotIn('argmax[o] = best', src)
        self.assertNotIn('BEGIN SOLUTION', src)
        self.assertIn('"normalize: not implemented yet', meta.source(self.cell('batch-norm')))

    def test_hidden_tests_are_removed_and_visible_checks_kept(self):
        src = meta.source(self.cell('test-max-forward'))
        self.assertIn('new MyMaxPool(2, 2).forward(x)', src)
        self.assertNotIn('xHidden', src)
        self.assertNotIn('HIDDEN', src)

    def test_answer_outputs_and_locks(self):
        self.assertEqual(meta.source(self.cell('answer')), meta.ANSWER_STUB)
        for cell in self.release.cells:
            md = cell.metadata
            if cell.cell_type == 'code':
                self.assertEqual(cell.outputs, [])
                self.assertIsNone(cell.execution_count)
            role = meta.role(cell)
            self.assertFalse(md['deletable'], meta.grade_id(cell))
            self.assertEqual('editable' in md and not md['editable'], role in ('test', 'locked'), meta.grade_id(cell))
            self.assertEqual(md.nbgrader['cell_type'], cell.cell_type)
            self.assertEqual(set(md.nbgrader) - set(meta.RELEASE_KEYS), set())

    def test_checksum_is_nbgraders_recipe(self):
        cell = self.cell('test-batch-norm')
        expected = hashlib.md5((meta.source(cell) + 'code' + 'True' + 'False' + 'True' + 'test-batch-norm' + '2.0')
                               .encode('utf-8')).hexdigest()
        self.assertEqual(cell.metadata.nbgrader['checksum'], expected)
        answer = self.cell('answer')
        expected = hashlib.md5((meta.ANSWER_STUB + 'markdown' + 'True' + 'True' + 'False' + 'answer' + '2.0')
                               .encode('utf-8')).hexdigest()
        self.assertEqual(answer.metadata.nbgrader['checksum'], expected)

    def test_the_master_is_not_changed(self):
        self.assertIn('argmax[o] = best', meta.source(support.cell_of(self.master, 'max-pool')))
        self.assertNotIn('checksum', support.cell_of(self.master, 'max-pool').metadata.nbgrader)


class MalformedMasters(unittest.TestCase):
    def broken(self, gid, change):
        nb = support.master()
        change(support.cell_of(nb, gid))
        return '\n'.join(problems_of(nb))

    def test_the_fixture_is_well_formed(self):
        self.assertEqual(problems_of(support.master()), [])

    def test_unknown_key(self):
        text = self.broken('max-pool', lambda c: c.metadata.nbgrader.update(weight=3))
        self.assertIn("lab00-fixture.ipynb: cell 3 (code, grade_id 'max-pool'): unknown key(s) weight", text)

    def test_checksum_in_a_master(self):
        text = self.broken('seed', lambda c: c.metadata.nbgrader.update(checksum='0' * 32))
        self.assertIn('checksum and cell_type are added by ./lab assign', text)

    def test_duplicate_and_missing_grade_id(self):
        text = self.broken('test-max-backward', lambda c: c.metadata.nbgrader.update(grade_id='test-max-forward'))
        self.assertIn("duplicate grade_id 'test-max-forward' (cell 5 has it too)", text)
        text = self.broken('dropout', lambda c: c.metadata.nbgrader.pop('grade_id'))
        self.assertIn('cell 9 (code): no grade_id', text)

    def test_points_on_a_cell_that_is_not_graded(self):
        text = self.broken('max-pool', lambda c: c.metadata.nbgrader.update(points=2))
        self.assertIn("grade_id 'max-pool'): points (2) on a cell that is not graded", text)
        text = self.broken('test-dropout', lambda c: c.metadata.nbgrader.pop('points'))
        self.assertIn('a graded cell needs points > 0', text)

    def test_unclosed_region(self):
        text = self.broken('batch-norm', lambda c: setattr(c, 'source', meta.source(c).replace('    // END SOLUTION\n', '')))
        self.assertIn("grade_id 'batch-norm'): the region opened on line 3 (\"// BEGIN SOLUTION\") is never closed", text)

    def test_statements_after_a_region(self):
        def follow(cell):
            cell.source = meta.source(cell).replace('    // END SOLUTION\n}', '    // END SOLUTION\n    return null;\n}')
        text = self.broken('batch-norm', follow)
        self.assertIn('statements follow the region on lines 3-23', text)
        self.assertIn('line 24: "return null;"', text)

    def test_region_in_a_class_body(self):
        def move(cell):
            cell.source = meta.source(cell).replace('    final long seed;\n',
                                                    '    // BEGIN SOLUTION\n    final long seed;\n    // END SOLUTION\n')
        text = self.broken('dropout', move)
        self.assertIn('sits directly in the body of class MyDropout', text)

    def test_misplaced_hidden_tests_and_markers(self):
        text = self.broken('max-pool', lambda c: setattr(c, 'source', meta.source(c) + '\n// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS'))
        self.assertIn('a hidden-test region in a cell that is not a test cell', text)
        text = self.broken('test-batch-norm', lambda c: setattr(c, 'source', meta.source(c) + '\nSystem.out.println(1);'))
        self.assertIn('code follows the hidden tests', text)
        text = self.broken('batch-norm', lambda c: setattr(c, 'source', meta.source(c).replace('// BEGIN SOLUTION', '/* BEGIN SOLUTION */')))
        self.assertIn('mentions "BEGIN SOLUTION" but is not the marker line', text)

    def test_roles_and_seed(self):
        text = self.broken('test-max-forward', lambda c: c.metadata.nbgrader.update(locked=False))
        self.assertIn('grade=True, solution=False, locked=False is none of the roles', text)
        text = self.broken('seed', lambda c: setattr(c, 'source', 'int a = 1;'))
        self.assertIn('the first code cell must be locked and set the seed', text)

    def test_read_master_names_the_file_and_every_problem(self):
        nb = support.master()
        support.cell_of(nb, 'max-pool').metadata.nbgrader['colour'] = 'red'
        nb.metadata.kernelspec['language'] = 'python'
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'lab09-broken.ipynb')
            with open(path, 'w', encoding='utf-8') as f:
                f.write(assign.dumps(nb))
            with self.assertRaises(assign.MasterError) as e:
                assign.assign(path, os.path.join(d, 'out'))
            self.assertEqual(len(e.exception.problems), 2, e.exception.problems)
            self.assertIn(path, str(e.exception))
            self.assertFalse(os.path.exists(os.path.join(d, 'out', 'lab09-broken.ipynb')))
            with open(path, 'w', encoding='utf-8') as f:
                f.write('{"cells": [')
            with self.assertRaises(assign.MasterError) as e:
                assign.read_master(path)
            self.assertIn('lab09-broken.ipynb: not a readable notebook', str(e.exception))


class Regions(unittest.TestCase):
    def stub(self, src):
        return regions.solution_stub(src, regions.find(src.split('\n'), regions.SOLUTION), 'cell')

    def test_braces_in_strings_and_comments_do_not_count(self):
        src = ('class A {\n    String s = "}{";  // }\n    /* { */ int f() {\n        // BEGIN SOLUTION\n'
               "        char c = '}';\n        return 1;\n        // END SOLUTION\n    }\n}")
        self.assertIn('"A.f: not implemented yet', self.stub(src))

    def test_constructor_lambda_anonymous_class_and_top_level_method(self):
        ctor = 'class B {\n    int n;\n    B(int n) {\n        // BEGIN SOLUTION\n        this.n = n;\n        // END SOLUTION\n    }\n}'
        self.assertIn('"B constructor: not implemented', self.stub(ctor))
        lam = ('Runnable r() {\n    return () -> {\n        // BEGIN SOLUTION\n        System.out.println(1);\n'
               '        // END SOLUTION\n    };\n}')
        self.assertIn('"r: not implemented', self.stub(lam))
        anon = ('Layer make() {\n    return new Layer() {\n        public Tensor forward(Tensor x) {\n'
                '            // BEGIN SOLUTION\n            return x;\n            // END SOLUTION\n        }\n'
                '        public Tensor backward(Tensor d) { return d; }\n    };\n}')
        self.assertIn('"Layer.forward: not implemented', self.stub(anon))

    def test_a_region_must_be_whole_statements(self):
        src = 'int f(int x) {\n    if (x > 0) {\n        // BEGIN SOLUTION\n        return 1;\n    }\n        // END SOLUTION\n    return 0;\n}'
        with self.assertRaisesRegex(ValueError, 'closes a "{" opened before it'):
            self.stub(src)


if __name__ == '__main__':
    unittest.main()
