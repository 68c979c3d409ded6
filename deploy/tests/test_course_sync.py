"""course_sync.py: staging the course and delivering it into a home without losing a student's work."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'hub'))

import course_sync  # noqa: E402


def notebook(text):
    return json.dumps({'cells': [{'cell_type': 'code', 'source': text, 'metadata': {},
                                  'outputs': [], 'execution_count': None}],
                       'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5}, indent=1) + '\n'


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


class CourseSyncTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='course-sync-test-')
        self.src = os.path.join(self.tmp, 'notebooks')
        self.course = os.path.join(self.tmp, 'course')
        self.home = os.path.join(self.tmp, 'home')
        write(os.path.join(self.src, '01-pooling.ipynb'), notebook('var x = 1;'))
        write(os.path.join(self.src, 'labs', 'lab01-pooling.ipynb'), notebook('// YOUR CODE HERE'))
        write(os.path.join(self.src, 'labs', 'master', 'lab01-pooling.ipynb'),
              notebook('// BEGIN SOLUTION\nreturn y;\n// END SOLUTION'))
        write(os.path.join(self.src, 'scratch', 'other.ipynb'), notebook('not course'))
        write(os.path.join(self.src, '.ipynb_checkpoints', '01-pooling-checkpoint.ipynb'), '{}')
        course_sync.stage(self.src, self.course)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def mine(self, rel):
        return os.path.join(self.home, 'layerlab', rel)

    def test_stage_takes_lectures_and_student_labs_only(self):
        self.assertEqual(course_sync.course_files(self.course),
                         ['01-pooling.ipynb', os.path.join('labs', 'lab01-pooling.ipynb')])
        self.assertEqual(os.stat(self.course).st_mode & 0o777, 0o755)
        self.assertEqual(os.stat(os.path.join(self.course, '01-pooling.ipynb')).st_mode & 0o777,
                         0o644)

    def test_stage_refuses_a_master_outside_master_folder(self):
        write(os.path.join(self.src, 'labs', 'lab02-norms.ipynb'),
              notebook('x;\n// BEGIN HIDDEN TESTS\ny;\n// END HIDDEN TESTS'))
        with self.assertRaises(SystemExit) as e:
            course_sync.stage(self.src, self.course)
        self.assertIn('lab02-norms.ipynb', str(e.exception))
        self.assertIn('BEGIN HIDDEN TESTS', str(e.exception))
        # the old course is still in place
        self.assertIn('01-pooling.ipynb', os.listdir(self.course))

    def test_first_sync_copies_everything(self):
        counts = course_sync.sync(self.course, self.home)
        self.assertEqual(counts, {'new': 2, 'updated': 0, 'kept': 0})
        self.assertEqual(read(self.mine('labs/lab01-pooling.ipynb')),
                         notebook('// YOUR CODE HERE'))

    def test_edits_survive_and_unedited_files_follow_the_course(self):
        course_sync.sync(self.course, self.home)
        write(self.mine('labs/lab01-pooling.ipynb'), notebook('my solution'))
        write(os.path.join(self.src, '01-pooling.ipynb'), notebook('var x = 2;'))
        write(os.path.join(self.src, 'labs', 'lab01-pooling.ipynb'), notebook('// v2'))
        course_sync.stage(self.src, self.course)
        counts = course_sync.sync(self.course, self.home)
        self.assertEqual(read(self.mine('01-pooling.ipynb')), notebook('var x = 2;'))
        self.assertEqual(read(self.mine('labs/lab01-pooling.ipynb')), notebook('my solution'))
        self.assertEqual(read(self.mine('labs/lab01-pooling.new.ipynb')), notebook('// v2'))
        self.assertEqual(counts, {'new': 1, 'updated': 1, 'kept': 1})

    def test_the_new_version_beside_an_edit_is_itself_updated_then_kept(self):
        course_sync.sync(self.course, self.home)
        write(self.mine('labs/lab01-pooling.ipynb'), notebook('my solution'))
        for version in ('// v2', '// v3'):
            write(os.path.join(self.src, 'labs', 'lab01-pooling.ipynb'), notebook(version))
            course_sync.stage(self.src, self.course)
            course_sync.sync(self.course, self.home)
        self.assertEqual(read(self.mine('labs/lab01-pooling.new.ipynb')), notebook('// v3'))
        write(self.mine('labs/lab01-pooling.new.ipynb'), notebook('edited v3'))
        write(os.path.join(self.src, 'labs', 'lab01-pooling.ipynb'), notebook('// v4'))
        course_sync.stage(self.src, self.course)
        course_sync.sync(self.course, self.home)
        self.assertEqual(read(self.mine('labs/lab01-pooling.new.ipynb')), notebook('edited v3'))
        self.assertEqual(read(self.mine('labs/lab01-pooling.ipynb')), notebook('my solution'))

    def test_a_deleted_file_comes_back_fresh(self):
        course_sync.sync(self.course, self.home)
        os.remove(self.mine('01-pooling.ipynb'))
        self.assertEqual(course_sync.sync(self.course, self.home)['new'], 1)
        self.assertEqual(read(self.mine('01-pooling.ipynb')), notebook('var x = 1;'))

    def test_a_student_file_of_the_same_name_is_never_replaced(self):
        write(self.mine('01-pooling.ipynb'), notebook('the student\'s own'))
        course_sync.sync(self.course, self.home)
        self.assertEqual(read(self.mine('01-pooling.ipynb')), notebook('the student\'s own'))
        self.assertEqual(read(self.mine('01-pooling.new.ipynb')), notebook('var x = 1;'))

    def test_a_broken_record_overwrites_nothing(self):
        course_sync.sync(self.course, self.home)
        write(self.mine(course_sync.MANIFEST), '{not json')
        write(os.path.join(self.src, '01-pooling.ipynb'), notebook('var x = 2;'))
        course_sync.stage(self.src, self.course)
        counts = course_sync.sync(self.course, self.home)
        self.assertEqual(read(self.mine('01-pooling.ipynb')), notebook('var x = 1;'))
        self.assertEqual(counts['updated'], 0)
        self.assertEqual(read(self.mine('01-pooling.new.ipynb')), notebook('var x = 2;'))

    def test_command_line_stage_and_sync(self):
        script = os.path.join(os.path.dirname(HERE), 'hub', 'course_sync.py')
        out = subprocess.run([sys.executable, script, 'sync', '--course', self.course,
                              '--home', self.home], capture_output=True, text=True, check=True)
        self.assertIn('2 new, 0 updated, 0 kept', out.stdout)
        bad = subprocess.run([sys.executable, script, 'stage', '--from',
                              os.path.join(self.tmp, 'nothing'), '--to', self.course],
                             capture_output=True, text=True)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn('no notebooks found', bad.stderr)


if __name__ == '__main__':
    unittest.main()
