"""``python3 -m layerlab_grader assign|grade|feedback`` (what ``./lab assign|grade|feedback`` runs)."""
import argparse
import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile

from . import assign, batch, feedback, grade, report, runner


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parser().parse_args(argv)
    args.argv = argv
    try:
        return args.func(args)
    except (assign.MasterError, runner.GraderError, report.ReportError) as e:
        print(f'lab: error: {e}', file=sys.stderr)
        return 1


def parser():
    p = argparse.ArgumentParser(prog='./lab', description='layerlab graded labs (nbgrader format)')
    sub = p.add_subparsers(dest='command', required=True)
    a = sub.add_parser('assign', help='master -> student version')
    a.add_argument('masters', nargs='*', help='master notebooks (default: labs/master/*.ipynb)')
    a.add_argument('--out', default='notebooks/labs', help='where the student versions go (default: notebooks/labs)')
    a.add_argument('--check', action='store_true', help='only check that the student versions in --out are in step')
    a.set_defaults(func=cmd_assign)

    g = sub.add_parser('grade', help='grade submissions')
    g.add_argument('submitted', nargs='?', help="a folder in nbgrader's submitted/STUDENT/ASSIGNMENT layout "
                   '(a folder or a .zip/.tar.gz per student)')
    g.add_argument('--submission', help='grade this one submission instead: an assignment folder, an archive or a notebook')
    g.add_argument('--student', help='the student id of --submission')
    g.add_argument('--assignment', help='the assignment of --submission (default: from its folder or notebook name)')
    g.add_argument('--masters', default='labs/master', help='masters: NAME.ipynb or NAME/*.ipynb (default: labs/master)')
    g.add_argument('--out', default='target/grading', help='output folder (default: target/grading)')
    g.add_argument('--jobs', type=int, default=1, help='submissions graded at once, one kernel each (default 1)')
    g.add_argument('--kernel', default='layerlab', help='the installed kernelspec to copy for grading (default layerlab)')
    g.add_argument('--heap', default='1g', help="the kernel JVM's heap limit, -Xmx (default 1g)")
    g.add_argument('--cell-timeout', type=float, default=120.0, help='seconds per cell (default 120)')
    g.add_argument('--notebook-timeout', type=float, default=900.0, help='seconds per notebook (default 900)')
    g.add_argument('--isolate', action='store_true', help='each submission in new network and PID namespaces (root)')
    g.add_argument('--results-json', help='also copy the Gradescope results.json of --submission here')
    g.add_argument('--no-report', action='store_true', help=argparse.SUPPRESS)
    g.add_argument('--pid-file', help=argparse.SUPPRESS)
    _report_options(g)
    g.set_defaults(func=cmd_grade)

    f = sub.add_parser('feedback', help='feedback pages and reports from a grading folder')
    f.add_argument('out', nargs='?', default='target/grading', help='the --out of ./lab grade (default: target/grading)')
    _report_options(f)
    f.set_defaults(func=cmd_feedback)
    return p


def _report_options(p):
    p.add_argument('--manual', help='scores of written answers: CSV student_id,assignment,grade_id,score,comment '
                   '(OUT/manual-todo.csv filled in)')
    p.add_argument('--students', help="roster for grades.csv: nbgrader's CSV id,first_name,last_name,email")
    p.add_argument('--duedate', default='', help="the duedate column of grades.csv")


def cmd_assign(args):
    masters = args.masters or sorted(glob.glob(os.path.join('labs', 'master', '*.ipynb')))
    if not masters:
        raise runner.GraderError('no masters given and none in labs/master/')
    if args.check:
        dirs = sorted({os.path.dirname(m) for m in masters})
        problems = [p for d in dirs for p in assign.drift(d, args.out)]
        for p in problems:
            print(p)
        print(f'{len(masters)} master(s): ' + ('student versions in step' if not problems else f'{len(problems)} problem(s)'))
        return 1 if problems else 0
    for m in masters:
        print(f'{m} -> {assign.assign(m, args.out)}')
    return 0


def options(args):
    for name in ('cell_timeout', 'notebook_timeout'):
        if not getattr(args, name) > 0:
            raise runner.GraderError(f'--{name.replace("_", "-")} must be > 0')
    return grade.Options(masters=os.path.abspath(args.masters), out=os.path.abspath(args.out), kernel=args.kernel,
                         heap=args.heap, cell_timeout=args.cell_timeout, notebook_timeout=args.notebook_timeout)


def cmd_grade(args):
    signal.signal(signal.SIGTERM, _exit_on_term)
    opts = options(args)
    if not os.path.isdir(opts.masters):
        raise runner.GraderError(f'--masters {args.masters}: no such folder')
    if bool(args.submitted) == bool(args.submission):
        raise runner.GraderError('give either a submitted/ folder or --submission PATH --student ID')
    if args.submission:
        return _grade_one(args, opts)
    if not os.path.isdir(args.submitted):
        raise runner.GraderError(f'{args.submitted}: no such folder (expected submitted/STUDENT/ASSIGNMENT/)')
    work = tempfile.mkdtemp(prefix='layerlab-unpack-')
    try:
        subs, notes = batch.discover(args.submitted, opts.masters, work)
        for n in notes:
            print('note:', n)
        if not subs:
            raise runner.GraderError(f'{args.submitted}: no submissions found')
        print(f'grading {len(subs)} submission(s), {args.jobs} at a time')
        problems = batch.run_all(subs, opts, args.jobs, args.isolate, print)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _reports(opts.out, args)
    for p in problems:
        print('lab: error:', p, file=sys.stderr)
    return 1 if problems else 0


def _grade_one(args, opts):
    if not args.student:
        raise runner.GraderError('--submission needs --student ID')
    if args.isolate:
        cmd = [sys.executable, '-m', 'layerlab_grader'] + [a for a in args.argv if a != '--isolate']
        env = dict(os.environ, PYTHONPATH=batch.PACKAGE_ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
        return subprocess.call(batch.isolated(cmd), env=env)
    work = tempfile.mkdtemp(prefix='layerlab-unpack-')
    try:
        found = _locate(args.submission, args.student, args.assignment, opts.masters, work)
        for assignment, folder in found:
            record = grade.grade_submission(folder, args.student, assignment, opts, pid_file=args.pid_file)
            print(f'{args.student}/{assignment}: {report.total(record):g} / {record["max_score"]:g}')
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not args.no_report:
        _reports(opts.out, args)
        if args.results_json:
            src = os.path.join(opts.out, 'results', args.student, found[0][0], 'results.json')
            shutil.copy(src, args.results_json)
    return 0


def _locate(path, student, assignment, masters, work):
    known = grade.assignments(masters)
    if os.path.isfile(path) and batch.archive_stem(os.path.basename(path)):
        found = batch.locate(batch.unpack(path, os.path.join(work, student)), student, masters, known)
    elif os.path.isfile(path):
        folder, stem = os.path.dirname(os.path.abspath(path)), os.path.basename(path)[:-6]
        guess = assignment or (os.path.basename(folder) if os.path.basename(folder) in known else stem)
        found = [(guess, folder)]
    elif os.path.isdir(path):
        found = [(assignment or os.path.basename(os.path.abspath(path)), path)]
    else:
        raise runner.GraderError(f'--submission {path}: no such file or folder')
    if assignment:
        found = [(a, f) for a, f in found if a == assignment] or [(assignment, found[0][1] if found else path)]
    if not found:
        raise runner.GraderError(f'--submission {path}: no assignment of {masters} found in it ({", ".join(known)})')
    for a, _ in found:
        if a not in known:
            raise runner.GraderError(f'--submission {path}: {a!r} is not an assignment of {masters} ({", ".join(known)}); '
                                     'give --assignment')
    return found


def _reports(out, args):
    records = report.load(out)
    if args.manual:
        report.apply_manual(records, args.manual)
    roster = report.read_roster(args.students) if args.students else None
    report.write_all(out, records, roster, args.duedate)
    pages = feedback.write_all(out, records)
    print(f'{len(records)} graded submission(s): {os.path.join(out, "grades.csv")}, {os.path.join(out, "tests.csv")}, '
          f'{len(pages)} feedback page(s) under {os.path.join(out, "feedback")}')


def cmd_feedback(args):
    out = os.path.abspath(args.out)
    if not report.load(out):
        raise runner.GraderError(f'{args.out}: no grading records (results/*/*/grading.json); run ./lab grade first')
    _reports(out, args)
    return 0


def _exit_on_term(signum, frame):
    # A worker told to stop still shuts its kernel down (the finally blocks run on SystemExit).
    raise SystemExit(128 + signum)
