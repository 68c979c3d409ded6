#!/usr/bin/python3
"""Gathers the grading Job's per-pod results into one grades.csv.

  gather_grades.py --submissions /submissions --results /results --out /results/all

For every submission folder N (N/student_id), results/N/grades.csv must exist with the gradebook's
columns and rows for that student only; the rows of all of them make OUT/grades.csv, sorted by
student. Other CSV files the pods wrote (per-test results) are joined the same way when their
headers agree. A submission without a result (a pod that never ran, ran out of time or left
ERROR) is listed in OUT/problems.txt and makes the exit status 1, so a lost pod is never a
silently missing row.
"""
import argparse
import csv
import os
import sys

GRADEBOOK = ['assignment', 'duedate', 'timestamp', 'student_id', 'last_name', 'first_name',
             'email', 'raw_score', 'late_submission_penalty', 'score', 'max_score']


def submissions(root):
    """{index: student_id} for the folders 0, 1, ... of the submissions volume."""
    found = {}
    for name in os.listdir(root):
        path = os.path.join(root, name, 'student_id')
        if name.isdigit() and os.path.isfile(path):
            with open(path, encoding='utf-8') as f:
                found[int(name)] = f.readline().strip()
    return found


def read_csv(path):
    with open(path, newline='', encoding='utf-8') as f:
        rows = list(csv.reader(f))
    return (rows[0], rows[1:]) if rows else ([], [])


def one_result(folder, student):
    """(rows of grades.csv, {other csv: (header, rows)}, problem or '')."""
    err = os.path.join(folder, 'ERROR')
    if os.path.isfile(err):
        with open(err, encoding='utf-8') as f:
            return [], {}, 'the pod reported: ' + f.read().strip()
    grades = os.path.join(folder, 'grades.csv')
    if not os.path.isfile(grades):
        return [], {}, 'no result (the pod did not finish: deadline, eviction, or never ran)'
    header, rows = read_csv(grades)
    if header != GRADEBOOK:
        return [], {}, f'grades.csv has columns {header}, expected {GRADEBOOK}'
    sid = GRADEBOOK.index('student_id')
    others = sorted({r[sid] for r in rows} - {student})
    if not rows or others:
        return [], {}, f'grades.csv has no row for {student}' + (f' but rows for {others}'
                                                                 if others else '')
    extra = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith('.csv') and name != 'grades.csv':
            extra[name] = read_csv(os.path.join(folder, name))
    return rows, extra, ''


def gather(sub_root, res_root):
    expected = submissions(sub_root)
    if not expected:
        raise SystemExit(f'gather_grades: no submission folders (N/student_id) in {sub_root}')
    rows, extra, problems, graded = [], {}, [], 0
    for index in sorted(expected):
        student = expected[index]
        got, more, problem = one_result(os.path.join(res_root, str(index)), student)
        if problem:
            problems.append(f'{index}\t{student}\t{problem}')
            continue
        rows += got
        graded += 1
        for name, (header, body) in more.items():
            have = extra.setdefault(name, (header, []))
            if have[0] != header:
                problems.append(f'{index}\t{student}\t{name} has columns {header}, others {have[0]}')
                continue
            have[1].extend(body)
    rows.sort(key=lambda r: (r[GRADEBOOK.index('student_id')], r[GRADEBOOK.index('assignment')]))
    return rows, extra, problems, graded, len(expected)


def write_csv(path, header, rows):
    with open(path, 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--submissions', required=True)
    ap.add_argument('--results', required=True)
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    rows, extra, problems, graded, total = gather(a.submissions, a.results)
    os.makedirs(a.out, exist_ok=True)
    write_csv(os.path.join(a.out, 'grades.csv'), GRADEBOOK, rows)
    for name, (header, body) in extra.items():
        write_csv(os.path.join(a.out, name), header, body)
    with open(os.path.join(a.out, 'problems.txt'), 'w', encoding='utf-8') as f:
        f.write(''.join(p + '\n' for p in problems))
    print(f'gather_grades: {graded} of {total} submissions in {os.path.join(a.out, "grades.csv")}',
          file=sys.stderr)
    if problems:
        print(f'gather_grades: {len(problems)} problem(s), also in problems.txt:', *problems,
              sep='\n  ', file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
