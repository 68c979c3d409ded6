"""Finding submissions (nbgrader's ``submitted/`` layout, or an archive per student) and fanning
them out: every submission is graded by its own ``python3 -m layerlab_grader grade --submission``
process (one kernel each), ``jobs`` at a time, optionally each in fresh network and PID
namespaces (``isolate``: no network, and nothing the student's code started outlives it).
"""
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from . import grade, runner

ARCHIVES = ('.zip', '.tar', '.tar.gz', '.tgz')
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass(frozen=True)
class Submission:
    student: str
    assignment: str
    folder: str


def archive_stem(name):
    for ext in ARCHIVES:
        if name.endswith(ext):
            return name[:-len(ext)]
    return None


def discover(submitted, masters, unpack_dir):
    """Every (student, assignment) submission under ``submitted``; archives are unpacked into unpack_dir."""
    known = grade.assignments(masters)
    found, notes = [], []
    for entry in sorted(os.listdir(submitted)):
        path = os.path.join(submitted, entry)
        if os.path.isdir(path):
            for sub in sorted(os.listdir(path)):
                if os.path.isdir(os.path.join(path, sub)) and sub in known:
                    found.append(Submission(entry, sub, os.path.join(path, sub)))
                elif not sub.startswith('.'):
                    notes.append(f'{os.path.join(path, sub)}: not an assignment folder ({", ".join(known)}); ignored')
        elif archive_stem(entry):
            student = archive_stem(entry)
            try:
                root = unpack(path, os.path.join(unpack_dir, student))
            except ValueError as e:
                notes.append(str(e))
                continue
            found += [Submission(student, a, f) for a, f in locate(root, student, masters, known)]
        elif not entry.startswith('.'):
            notes.append(f'{path}: neither a student folder nor an archive ({", ".join(ARCHIVES)}); ignored')
    return found, notes


def locate(root, student, masters, known):
    """[(assignment, folder)] inside an unpacked archive: ASSIGNMENT/ folders, or the notebooks themselves."""
    entries = [e for e in os.listdir(root) if not e.startswith(('.', '__MACOSX'))]
    if len(entries) == 1 and entries[0] == student and os.path.isdir(os.path.join(root, student)):
        root = os.path.join(root, student)
    found = []
    for assignment in known:
        folder = os.path.join(root, assignment)
        if os.path.isdir(folder):
            found.append((assignment, folder))
            continue
        wanted = {name + '.ipynb' for name, _ in grade.masters_for(masters, assignment)}
        for dirpath, _, files in sorted(os.walk(root)):
            if wanted & set(files):
                found.append((assignment, dirpath))
                break
    return found


def unpack(archive, dest):
    """Unpacks a student's archive safely (no absolute or .. paths, no links, bounded size)."""
    os.makedirs(dest, exist_ok=True)
    name = os.path.basename(archive)
    try:
        if archive.endswith('.zip'):
            with zipfile.ZipFile(archive) as z:
                members = [(m.filename, m.file_size, (m.external_attr >> 16) & 0o170000 == 0o120000) for m in z.infolist()]
                _check_members(name, members)
                z.extractall(dest)
        else:
            with tarfile.open(archive) as t:
                members = t.getmembers()
                _check_members(name, [(m.name, m.size, not (m.isfile() or m.isdir())) for m in members])
                for m in members:
                    t.extract(m, dest, set_attrs=False)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as e:
        raise ValueError(f'{archive}: cannot unpack ({type(e).__name__}: {e})') from None
    return dest


def _check_members(name, members):
    total = 0
    for path, size, special in members:
        parts = path.replace('\\', '/').split('/')
        if path.startswith(('/', '\\')) or '..' in parts:
            raise ValueError(f'{name}: refuses the entry {path!r} (an absolute path or ..)')
        if special:
            raise ValueError(f'{name}: refuses the entry {path!r} (a link or device, not a file)')
        total += size
    if total > MAX_ARCHIVE_BYTES:
        raise ValueError(f'{name}: {total} bytes unpacked, more than the {MAX_ARCHIVE_BYTES} allowed')


def worker_command(sub, opts, pid_file, isolate):
    cmd = [sys.executable, '-m', 'layerlab_grader', 'grade', '--submission', sub.folder, '--student', sub.student,
           '--assignment', sub.assignment, '--masters', opts.masters, '--out', opts.out, '--kernel', opts.kernel,
           '--heap', opts.heap, '--cell-timeout', str(opts.cell_timeout), '--notebook-timeout',
           str(opts.notebook_timeout), '--no-report', '--pid-file', pid_file]
    return isolated(cmd) if isolate else cmd


def isolated(cmd):
    """``cmd`` in new network (loopback only), PID and mount namespaces; needs root and util-linux."""
    unshare, ip = shutil.which('unshare'), shutil.which('ip') or '/usr/sbin/ip'
    if os.geteuid() != 0 or not unshare or not os.path.exists(ip):
        raise runner.GraderError('--isolate needs root, unshare (util-linux) and ip (iproute2); '
                                 'elsewhere run the grader in a container (see the README)')
    return [unshare, '--net', '--pid', '--fork', '--kill-child', '--mount-proc', '--',
            'sh', '-c', f'{ip} link set lo up && exec "$@"', 'sh'] + cmd


def run_all(subs, opts, jobs, isolate, log):
    """Grades every submission in its own process, ``jobs`` at a time; returns the problems."""
    logs = os.path.join(opts.out, 'logs')
    os.makedirs(logs, exist_ok=True)
    limit = 120 + opts.notebook_timeout * 2

    def one(sub):
        tag = f'{sub.student}--{sub.assignment}'
        pid_file = os.path.join(logs, tag + '.kernel-pids')
        record = os.path.join(opts.out, 'results', sub.student, sub.assignment, 'grading.json')
        if os.path.exists(record):
            os.remove(record)
        env = dict(os.environ, PYTHONPATH=PACKAGE_ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
        started = time.time()
        with open(os.path.join(logs, tag + '.log'), 'w', encoding='utf-8') as out:
            proc = subprocess.Popen(worker_command(sub, opts, pid_file, isolate), stdout=out, stderr=subprocess.STDOUT,
                                    env=env, start_new_session=True)
            try:
                code = proc.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                _stop(proc, pid_file)
                code = 'killed after %d s' % limit
        log(f'{"ok " if code == 0 else "ERR"} {sub.student}/{sub.assignment} ({time.time() - started:.1f} s)')
        if code != 0 or not os.path.exists(record):
            return f'{sub.student}/{sub.assignment}: the grader failed (exit {code}); see {out.name}'
        return None

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return [p for p in pool.map(one, subs) if p]


def _stop(proc, pid_file):
    """Ends a worker that overran and any kernel it left (a kernel runs in a session of its own)."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    if os.path.exists(pid_file):
        with open(pid_file, encoding='utf-8') as f:
            for line in f:
                if line.strip().isdigit() and _alive(int(line)):
                    os.kill(int(line), signal.SIGKILL)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
