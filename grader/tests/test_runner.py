"""The runner on its own, through the installed kernel: the per-notebook time limit and the heap limit."""
import os
import tempfile
import unittest

import nbformat
import support
from layerlab_grader import runner


def run(sources, cell_timeout, notebook_timeout, heap='256m'):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    with tempfile.TemporaryDirectory(prefix='layerlab-runner-test-') as work:
        name, argv = runner.grading_kernelspec(support.KERNEL, heap, os.path.join(work, 'kernels'),
                                               os.path.join(work, 'kernel.log'))
        done = runner.run_notebook(nb, kernel_name=name, kernels_dir=os.path.join(work, 'kernels'), cwd=work,
                                   console_path=os.path.join(work, 'console.log'), cell_timeout=cell_timeout,
                                   notebook_timeout=notebook_timeout)
    return nb, done, argv


def errors(cell):
    return [(o.ename, o.evalue) for o in cell.outputs if o.output_type == 'error']


class Limits(unittest.TestCase):
    def test_the_notebook_limit_stops_the_cells_after_it(self):
        nb, done, _ = run(['Thread.sleep(6000);', 'Thread.sleep(6000);', '1 + 1'], cell_timeout=60, notebook_timeout=10)
        self.assertEqual(errors(nb.cells[0]), [])
        self.assertEqual(errors(nb.cells[1])[0][0], 'CellTimeoutError')
        self.assertEqual(errors(nb.cells[2]), [('NotebookTimeout', 'not run: the notebook used up its 10 s')])
        self.assertIn('the notebook used up its 10 s; the kernel was not restarted', done.notes)

    def test_running_out_of_heap_ends_the_kernel_and_the_next_cell_runs_in_a_new_one(self):
        nb, done, argv = run(['int[] keep = {1, 2};', 'var hog = new float[512 * 1024 * 1024];', 'keep[1] + 40'],
                             cell_timeout=60, notebook_timeout=120)
        self.assertEqual(argv[1:3], ['-Xmx256m', '-XX:+ExitOnOutOfMemoryError'])
        self.assertEqual(errors(nb.cells[1]), [('DeadKernelError', 'the kernel ran out of memory (the JVM heap limit) '
                                                'while this cell ran and was restarted')])
        self.assertEqual(done.restarts, 1)
        result = [o for o in nb.cells[2].outputs if o.output_type == 'execute_result']
        self.assertEqual(result[0].data['text/plain'], '42', 'the cell before the failure was replayed')

    def test_a_missing_kernelspec_is_the_graders_error(self):
        with self.assertRaisesRegex(runner.GraderError, "no kernelspec 'no-such-kernel' installed"):
            runner.grading_kernelspec('no-such-kernel', '1g', tempfile.gettempdir(), '/dev/null')
        with self.assertRaisesRegex(runner.GraderError, 'expected a JVM size'):
            runner.grading_kernelspec(support.KERNEL, 'lots', tempfile.gettempdir(), '/dev/null')


class GraderFailures(unittest.TestCase):
    def test_a_submission_the_grader_cannot_run_fails_the_batch_and_says_where(self):
        with tempfile.TemporaryDirectory(prefix='layerlab-runner-test-') as work:
            support.write(support.solved(), os.path.join(work, 'submitted', 'eve', support.NAME))
            out = os.path.join(work, 'out')
            done = support.grader('grade', os.path.join(work, 'submitted'), '--masters', support.MASTERS, '--out', out,
                                  '--kernel', 'no-such-kernel')
            self.assertEqual(done.returncode, 1, done.stdout)
            self.assertIn(f'eve/{support.NAME}: the grader failed (exit 1); see ', done.stdout)
            with open(os.path.join(out, 'logs', f'eve--{support.NAME}.log'), encoding='utf-8') as f:
                self.assertIn("no kernelspec 'no-such-kernel' installed", f.read())
            self.assertFalse(os.path.exists(os.path.join(out, 'results', 'eve')), 'no grade for a submission not graded')
            done = support.grader('grade', os.path.join(work, 'nowhere'), '--masters', support.MASTERS)
            self.assertEqual(done.returncode, 1)
            self.assertIn('nowhere: no such folder', done.stdout)


if __name__ == '__main__':
    unittest.main()
