"""The reports made from the grading records (``OUT/results/*/*/grading.json``):

- ``OUT/grades.csv``: nbgrader's gradebook export, its columns and number format exactly; a
  student with no submission for an assignment others submitted gets a row of zeros and an
  empty timestamp, as nbgrader writes it. No late penalty is applied (nbgrader's default).
- ``OUT/tests.csv``: one row per graded part (student, assignment, grade_id, points,
  max_points, status, message).
- ``OUT/results/STUDENT/ASSIGNMENT/results.json``: Gradescope's autograder results format.
- ``OUT/manual-todo.csv``: the written answers still to grade; filled in (the score column) it is
  what ``--manual`` reads: student_id, assignment, grade_id, score, comment.
"""
import csv
import glob
import json
import os

GRADEBOOK = ['assignment', 'duedate', 'timestamp', 'student_id', 'last_name', 'first_name', 'email',
             'raw_score', 'late_submission_penalty', 'score', 'max_score']
TESTS = ['student', 'assignment', 'grade_id', 'points', 'max_points', 'status', 'message']
MANUAL = ['student_id', 'assignment', 'grade_id', 'max_points', 'score', 'comment']


class ReportError(Exception):
    pass


def load(out):
    records = []
    for path in sorted(glob.glob(os.path.join(out, 'results', '*', '*', 'grading.json'))):
        with open(path, encoding='utf-8') as f:
            records.append(json.load(f))
    return records


def apply_manual(records, path):
    """Puts the teacher's scores of written answers into the records; ReportError on a bad row."""
    by_key = {(r['student'], r['assignment'], t['grade_id']): t for r in records for t in r['tests']}
    problems = []
    with open(path, encoding='utf-8', newline='') as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            if not (row.get('score') or '').strip():
                continue
            key = (row.get('student_id', ''), row.get('assignment', ''), row.get('grade_id', ''))
            test = by_key.get(key)
            if test is None:
                problems.append(f'{path}:{n}: no graded part {"/".join(key)}')
                continue
            try:
                value = float(row['score'])
            except ValueError:
                problems.append(f'{path}:{n}: score {row["score"]!r} is not a number')
                continue
            if test['kind'] != 'manual':
                problems.append(f'{path}:{n}: {"/".join(key)} is graded automatically, not by hand')
            elif not 0 <= value <= test['max_points']:
                problems.append(f'{path}:{n}: score {value:g} outside 0..{test["max_points"]:g} for {"/".join(key)}')
            else:
                test.update(points=value, status='graded by hand', message=(row.get('comment') or '').strip())
    if problems:
        raise ReportError('the manual scores have problems:\n' + '\n'.join('  ' + p for p in problems))


def total(record):
    return sum(t['points'] for t in record['tests'])


def write_all(out, records, roster=None, duedate=''):
    write_gradebook(os.path.join(out, 'grades.csv'), records, roster or {}, duedate)
    write_tests(os.path.join(out, 'tests.csv'), records)
    write_manual_todo(os.path.join(out, 'manual-todo.csv'), records)
    for r in records:
        with open(os.path.join(out, 'results', r['student'], r['assignment'], 'results.json'), 'w', encoding='utf-8') as f:
            json.dump(gradescope(r), f, indent=1, ensure_ascii=False)


def read_roster(path):
    """nbgrader's student import CSV: id, first_name, last_name, email."""
    with open(path, encoding='utf-8', newline='') as f:
        return {row['id']: row for row in csv.DictReader(f)}


def write_gradebook(path, records, roster, duedate):
    by_pair = {(r['assignment'], r['student']): r for r in records}
    assignments = sorted({r['assignment'] for r in records})
    students = sorted({r['student'] for r in records} | set(roster))
    max_of = {a: max(r['max_score'] for r in records if r['assignment'] == a) for a in assignments}
    with open(path, 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(GRADEBOOK)
        for a in assignments:
            for s in students:
                r = by_pair.get((a, s))
                who = roster.get(s, {})
                raw = total(r) if r else 0.0
                w.writerow([a, duedate, r['timestamp'] if r else '', s, who.get('last_name', ''), who.get('first_name', ''),
                            who.get('email', ''), str(float(raw)), str(0.0), str(float(max(0.0, raw))), str(float(max_of[a]))])


def write_tests(path, records):
    with open(path, 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(TESTS)
        for r in records:
            for t in r['tests']:
                w.writerow([r['student'], r['assignment'], t['grade_id'], str(float(t['points'])),
                            str(float(t['max_points'])), t['status'], full_message(t)])


def full_message(test):
    return '\n'.join(x for x in test['notes'] + [test['message']] if x)


def write_manual_todo(path, records):
    with open(path, 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(MANUAL)
        for r in records:
            for t in r['tests']:
                if t['kind'] == 'manual':
                    done = t['status'] == 'graded by hand'
                    w.writerow([r['student'], r['assignment'], t['grade_id'], str(float(t['max_points'])),
                                str(float(t['points'])) if done else '', t['message'] if done else ''])


def gradescope(record):
    """Gradescope's results.json: the score, and one test per graded part."""
    problems = [f'{n["notebook"]}: {n["problem"]}' for n in record['notebooks'] if n['problem']]
    events = [e['detail'] for n in record['notebooks'] for e in n['events']]
    tests = []
    for i, t in enumerate(record['tests'], start=1):
        output = full_message(t) or ('' if t['kind'] == 'auto' else 'graded by hand by the teacher')
        if t['kind'] == 'auto' and t['output']:
            output = (output + '\n\n' if output else '') + 'Output:\n' + t['output']
        tests.append({'name': f'{t["title"]} ({t["grade_id"]})', 'number': str(i), 'score': t['points'],
                      'max_score': t['max_points'], 'status': 'passed' if t['points'] >= t['max_points'] else 'failed',
                      'output': output, 'tags': [t['grade_id'], t['kind']], 'visibility': 'visible'})
    return {'score': total(record), 'execution_time': int(round(record['elapsed_s'])),
            'output': '\n'.join(problems + events), 'visibility': 'visible', 'stdout_visibility': 'hidden',
            'tests': tests}
