"""The outputs of ./lab grade and ./lab feedback for the fixture lab's submissions: nbgrader's
gradebook, the per-test CSV, Gradescope's results.json, the graded notebooks, manual scores, one
submission per invocation, and the feedback pages opened in headless chromium.
"""
import os
import shutil
import struct
import unittest
import zlib

import nbformat
import support
from graded import record, row, rows, run
from layerlab_grader import meta, regions, report


def setUpModule():
    run()


class Outputs(unittest.TestCase):
    def test_gradebook_has_nbgraders_columns(self):
        with open(os.path.join(run()['out'], 'grades.csv'), encoding='utf-8') as f:
            self.assertEqual(f.readline().strip(), ','.join(report.GRADEBOOK))
        gradebook = {r['student_id']: r for r in support.read_csv(os.path.join(run()['out'], 'grades.csv'))}
        self.assertEqual(len(gradebook), 10)
        full = gradebook['full']
        self.assertEqual((full['assignment'], full['timestamp'], full['raw_score'], full['late_submission_penalty'],
                          full['score'], full['max_score']),
                         (support.NAME, '2026-12-01 10:00:00', '8.0', '0.0', '8.0', '10.0'))
        self.assertEqual(gradebook['wrong']['raw_score'], '3.0')

    def test_per_test_csv(self):
        with open(os.path.join(run()['out'], 'tests.csv'), encoding='utf-8') as f:
            self.assertEqual(f.readline().strip(), ','.join(report.TESTS))
        self.assertEqual(len(rows()), 10 * 5)

    def test_gradescope_results(self):
        res = support.read_json(os.path.join(run()['out'], 'results', 'wrong', support.NAME, 'results.json'))
        self.assertEqual(res['score'], 3.0)
        self.assertEqual([t['max_score'] for t in res['tests']], [1.0, 2.0, 3.0, 2.0, 2.0])
        drop = res['tests'][2]
        self.assertEqual((drop['score'], drop['status'], drop['visibility']), (2.0, 'failed', 'visible'))
        self.assertIn('(test-dropout)', drop['name'])
        self.assertIn('FAILED (training forward)', drop['output'])

    def test_graded_notebook_has_the_hidden_tests_and_outputs(self):
        nb = nbformat.read(os.path.join(run()['out'], 'autograded', 'wrong', support.NAME, support.NAME + '.ipynb'), 4)
        cell = support.cell_of(nb, 'test-max-backward')
        self.assertIn('BEGIN HIDDEN TESTS', meta.source(cell))
        self.assertEqual([o.output_type for o in cell.outputs][-1], 'error')

    def test_no_student_facing_output_shows_hidden_test_code(self):
        hidden = [h for h in {line for c in support.master().cells for line in regions.hidden_lines(meta.source(c))}
                  if len(h) > 12]
        self.assertGreater(len(hidden), 4)
        paths = [os.path.join(run()['out'], 'tests.csv')]
        for dirpath, _, files in os.walk(os.path.join(run()['out'], 'feedback')):
            paths += [os.path.join(dirpath, f) for f in files]
        for dirpath, _, files in os.walk(os.path.join(run()['out'], 'results')):
            paths += [os.path.join(dirpath, f) for f in files if f == 'results.json']
        self.assertGreater(len(paths), 30)
        for path in paths:
            with open(path, encoding='utf-8') as f:
                text = f.read()
            for h in hidden:
                self.assertNotIn(h, text, path)

    def test_manual_scores_enter_the_gradebook(self):
        out = os.path.join(run()['work'], 'out-manual')
        shutil.copytree(run()['out'], out)
        todo = support.read_csv(os.path.join(out, 'manual-todo.csv'))
        self.assertEqual({r['student_id'] for r in todo}, set(points_by_student()))
        manual = os.path.join(run()['work'], 'manual.csv')
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
        out, results = os.path.join(run()['work'], 'single'), os.path.join(run()['work'], 'results.json')
        folder = os.path.join(run()['work'], 'submitted', 'bad-json', support.NAME)
        done = support.grader('grade', '--submission', folder, '--student', 'solo', '--masters', support.MASTERS,
                              '--out', out, '--results-json', results)
        self.assertEqual(done.returncode, 0, done.stdout)
        res = support.read_json(results)
        self.assertEqual((res['score'], len(res['tests'])), (0, 5))
        self.assertIn('is not valid JSON', res['tests'][0]['output'])
        self.assertTrue(os.path.exists(os.path.join(out, 'grades.csv')))


def points_by_student():
    return {r['student'] for r in rows()}


class Feedback(unittest.TestCase):
    def page(self, student):
        return os.path.join(run()['out'], 'feedback', student, support.NAME, support.NAME + '.html')

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
        png = os.path.join(run()['work'], 'feedback.png')
        support.chromium(['--window-size=1000,1400', f'--screenshot={png}', 'file://' + self.page('wrong')])
        width, height, ink = png_ink(png)
        self.assertEqual((width, height), (1000, 1400))
        self.assertGreater(ink, 0.01, 'the screenshot is (nearly) blank')


def png_ink(path):
    """(width, height, fraction of pixels that are not near-white) of an 8-bit RGB(A) PNG."""
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


if __name__ == '__main__':
    unittest.main()
