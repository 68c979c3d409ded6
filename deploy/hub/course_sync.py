#!/usr/bin/python3
"""The course files of the layerlab hub: staged from the checkout, delivered into each home.

  course_sync.py stage --from NOTEBOOKS --to COURSE   (root, from the checkout)
      COURSE becomes a fresh copy of NOTEBOOKS/*.ipynb and NOTEBOOKS/labs/** (the lecture
      notebooks and the labs' student versions). A `master` folder is never copied, and a
      notebook that still holds a solution region or hidden tests is refused: that is a
      teacher's master, not a student version.
  course_sync.py sync --course COURSE --home HOME     (as the student; the hub does it at spawn)
      Delivers COURSE into HOME/layerlab without losing a student's work:
        absent                       -> copied (delete a file to get a fresh copy next time)
        as delivered, course changed -> replaced by the new version
        edited by the student        -> kept; a changed course file comes beside it as
                                        NAME.new.ipynb (itself updated while unedited)
      HOME/layerlab/.layerlab-course.json records what was delivered (path -> sha256).
  course_sync.py push-all --course COURSE [--users a,b]   (root)
      Runs `sync` as each user whose home already has a delivery record, so new or updated lab
      files reach students who are logged in now; the others get them at their next login.
"""
import argparse
import hashlib
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile

MANIFEST = '.layerlab-course.json'
TARGET = 'layerlab'
MARKERS = ('BEGIN SOLUTION', 'BEGIN HIDDEN TESTS')


def sha256(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def course_files(root):
    """Relative paths of the files in a course folder, sorted; checkpoints and masters left out."""
    found = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x not in ('.ipynb_checkpoints', 'master')
                         and not x.startswith('.'))
        for f in sorted(files):
            if not f.startswith('.'):
                found.append(os.path.relpath(os.path.join(d, f), root))
    return found


def check_student_version(path):
    """Refuses a notebook that still carries the teacher's solutions or hidden tests."""
    with open(path, encoding='utf-8') as f:
        nb = json.load(f)
    for i, cell in enumerate(nb.get('cells', [])):
        src = cell.get('source', '')
        src = ''.join(src) if isinstance(src, list) else src
        for marker in MARKERS:
            if marker in src:
                raise SystemExit(f'course_sync: {path}: cell {i} contains "{marker}" — this is a '
                                 f'teacher\'s master, not a student version; run ./lab assign and '
                                 f'stage notebooks/labs/ instead')


def stage(src, dest):
    """Copies the lecture notebooks and notebooks/labs/** into a fresh `dest`, world-readable."""
    picked = [f for f in course_files(src)
              if os.path.dirname(f) == '' and f.endswith('.ipynb')
              or f.split(os.sep)[0] == 'labs']
    if not any(f.endswith('.ipynb') for f in picked):
        raise SystemExit(f'course_sync: no notebooks found in {src}')
    for rel in picked:
        if rel.endswith('.ipynb'):
            check_student_version(os.path.join(src, rel))
    parent = os.path.dirname(os.path.abspath(dest))
    os.makedirs(parent, exist_ok=True)
    fresh = tempfile.mkdtemp(prefix='.course-', dir=parent)
    for rel in picked:
        os.makedirs(os.path.join(fresh, os.path.dirname(rel)), exist_ok=True)
        shutil.copyfile(os.path.join(src, rel), os.path.join(fresh, rel))
    for d, dirs, files in os.walk(fresh):
        os.chmod(d, 0o755)
        for f in files:
            os.chmod(os.path.join(d, f), 0o644)
    # NOTE: swap by rename so a spawn running now sees the old or the new course, never half.
    old = dest + '.old'
    shutil.rmtree(old, ignore_errors=True)
    if os.path.exists(dest):
        os.rename(dest, old)
    os.rename(fresh, dest)
    shutil.rmtree(old, ignore_errors=True)
    labs = sum(1 for f in picked if f.startswith('labs' + os.sep))
    print(f'course_sync: staged {len(picked)} files into {dest} ({labs} under labs/)')


def copy_atomic(src, dest):
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix='.sync-', dir=os.path.dirname(dest))
    os.close(fd)
    shutil.copyfile(src, tmp)
    os.chmod(tmp, 0o644)
    os.replace(tmp, dest)


def sibling(rel):
    stem, ext = os.path.splitext(rel)
    return stem + '.new' + ext


def deliver(src, dest, rel, delivered, counts):
    """One course file into the home; `delivered` maps paths to the hash last delivered there."""
    want = sha256(src)
    if not os.path.lexists(dest):
        copy_atomic(src, dest)
        delivered[rel] = want
        counts['new'] += 1
        return
    have = sha256(dest) if os.path.isfile(dest) else None
    if have == want:
        delivered[rel] = want
    elif have is not None and delivered.get(rel) == have:
        copy_atomic(src, dest)
        delivered[rel] = want
        counts['updated'] += 1
    else:
        counts['kept'] += 1
        if delivered.get(rel) != want and not rel.endswith('.new' + os.path.splitext(rel)[1]):
            side = sibling(rel)
            deliver(src, os.path.join(os.path.dirname(dest), os.path.basename(side)), side,
                    delivered, counts)


def sync(course, home):
    target = os.path.join(home, TARGET)
    manifest = os.path.join(target, MANIFEST)
    delivered = {}
    if os.path.isfile(manifest):
        try:
            with open(manifest, encoding='utf-8') as f:
                delivered = dict(json.load(f))
        except ValueError as e:
            # Without the record nothing counts as unedited, so nothing is overwritten.
            print(f'course_sync: {manifest} unreadable ({e}); treating every file as edited')
    counts = {'new': 0, 'updated': 0, 'kept': 0}
    for rel in course_files(course):
        deliver(os.path.join(course, rel), os.path.join(target, rel), rel, delivered, counts)
    os.makedirs(target, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix='.sync-', dir=target)
    with os.fdopen(fd, 'w', encoding='utf-8') as f:
        json.dump(delivered, f, indent=1, sort_keys=True)
    os.replace(tmp, manifest)
    print(f'course_sync: {target}: {counts["new"]} new, {counts["updated"]} updated, '
          f'{counts["kept"]} kept as the student edited them')
    return counts


def run_as(user, argv):
    """Runs argv as `user` (uid, gid and groups), in their home, with a minimal environment."""
    pw = pwd.getpwnam(user)
    env = {'HOME': pw.pw_dir, 'USER': user, 'LOGNAME': user, 'PATH': '/usr/bin:/bin',
           'LANG': 'C.UTF-8'}
    return subprocess.run(argv, user=pw.pw_uid, group=pw.pw_gid,
                          extra_groups=os.getgrouplist(user, pw.pw_gid), env=env,
                          cwd=pw.pw_dir, capture_output=True, text=True, timeout=120)


def push_all(course, users):
    if os.geteuid() != 0:
        raise SystemExit('course_sync: push-all runs `sync` as each student and needs root')
    chosen = users or [p.pw_name for p in pwd.getpwall()
                       if os.path.isfile(os.path.join(p.pw_dir, TARGET, MANIFEST))]
    failed = 0
    for user in chosen:
        done = run_as(user, [sys.executable, os.path.abspath(__file__), 'sync',
                             '--course', course, '--home', pwd.getpwnam(user).pw_dir])
        print(f'{user}: {(done.stdout + done.stderr).strip()}')
        failed += done.returncode != 0
    print(f'course_sync: pushed to {len(chosen) - failed} of {len(chosen)} users')
    if failed:
        raise SystemExit(1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    s = sub.add_parser('stage')
    s.add_argument('--from', dest='src', required=True)
    s.add_argument('--to', dest='dest', required=True)
    y = sub.add_parser('sync')
    y.add_argument('--course', required=True)
    y.add_argument('--home', default=os.path.expanduser('~'))
    p = sub.add_parser('push-all')
    p.add_argument('--course', required=True)
    p.add_argument('--users', default='', help='comma-separated; default: everyone delivered to')
    args = ap.parse_args()
    if args.cmd == 'stage':
        stage(args.src, args.dest)
    elif args.cmd == 'sync':
        sync(args.course, args.home)
    else:
        push_all(args.course, [u for u in args.users.split(',') if u])


if __name__ == '__main__':
    main()
