#!/usr/bin/python3
"""Load test of the layerlab course hub: K simulated students through the real JupyterHub.

  scripts/hub_load.py --k 1,5,10,20 [--notebook NB] [--prefix /opt/layerlab]

Needs root (each student is a real Linux account, created and removed here) and a prepared
prefix (`./lab hub prepare`; `./lab hub load ...` does both). Loopback only, bounded: at most
--max-k students, --timeout seconds per K. For each K, a fresh hub (dummy authenticator, a random
test password) on free loopback ports, and:
  1. every student logs in (the login form, then a token from the hub's REST API), starts their
     server; the time until all K are ready is measured;
  2. every student opens the notebook's kernel through their server's API (/api/sessions and the
     kernel's websocket), runs a probe (user, home, heap, processors, another home unreadable)
     and then every code cell of the notebook, concurrently with the others; every output is
     compared with a reference run of the same cells; the executed notebook is saved back
     through the contents API over the delivered copy;
  3. the hub restarts; every student starts again and must find their saved notebook as saved
     (not replaced by the course copy);
  4. the culler must stop every server once idle past a short timeout.
Reports failures (who, which cell, why), p50/p95 cell latency for typical and heavy cells
(heavy: ≥ --heavy-s seconds in the reference run), peak RSS per student of the kernel JVM and
the server, kernel CPU seconds, and the start-up times; writes OUT/results.json and the README
table OUT/table.md. Exit status 1 when anything failed.
"""
import argparse
import asyncio
import copy
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from tornado.httpclient import AsyncHTTPClient  # noqa: E402

from hubload import cells as cellmod  # noqa: E402
from hubload import report  # noqa: E402
from hubload.hub import Hub, make_users, remove_user  # noqa: E402
from hubload.scenario import Plan, Result, restart_and_cull, run_all, spawn_all  # noqa: E402


def args_():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument('--k', default='3', help='comma-separated student counts, e.g. 1,5,10,20')
    ap.add_argument('--notebook', default='auto',
                    help='a notebook under notebooks/ (default: the first lab in notebooks/labs/, '
                         'else notebooks/01-pooling.ipynb)')
    ap.add_argument('--prefix', default=os.environ.get('LAYERLAB_HUB_PREFIX', '/opt/layerlab'))
    ap.add_argument('--heap', default='768m', help='each kernel\'s JVM heap (LAYERLAB_HEAP)')
    ap.add_argument('--cpus', type=int, default=1, help='processors per kernel (LAYERLAB_CPUS)')
    ap.add_argument('--heavy-s', type=float, default=1.0,
                    help='a cell taking this long or more in the reference run is heavy')
    ap.add_argument('--cell-timeout', type=int, default=600)
    ap.add_argument('--timeout', type=int, default=1500, help='seconds allowed per K')
    ap.add_argument('--max-k', type=int, default=40)
    ap.add_argument('--user-prefix', default='lltest')
    ap.add_argument('--out', default=os.path.join(ROOT, 'target', 'hub-load'))
    ap.add_argument('--keep', action='store_true', help='keep the test users and hub state')
    return ap.parse_args()


def pick_notebook(arg):
    if arg != 'auto':
        return os.path.abspath(arg)
    labs = os.path.join(ROOT, 'notebooks', 'labs')
    found = sorted(f for f in os.listdir(labs) if f.endswith('.ipynb')) if os.path.isdir(labs) else []
    return os.path.join(labs, found[0]) if found else os.path.join(ROOT, 'notebooks',
                                                                   '01-pooling.ipynb')


def preflight(a, ks):
    problems = []
    if os.geteuid() != 0:
        problems.append('run as root: every simulated student is a Linux account created here')
    for need in ('lib/jupyterhub_config.py', 'share/jupyter/kernels/layerlab/kernel.json',
                 'course'):
        if not os.path.exists(os.path.join(a.prefix, need)):
            problems.append(f'{a.prefix}/{need} missing (run ./lab hub prepare with '
                            f'LAYERLAB_HUB_PREFIX={a.prefix})')
    if not ks or min(ks) < 1 or max(ks) > a.max_k:
        problems.append(f'--k must be between 1 and --max-k={a.max_k}, got {a.k}')
    if problems:
        sys.exit('hub_load: ' + '; '.join(problems))


def heap_mib(size):
    unit = size[-1].lower()
    n = int(size[:-1]) if unit.isalpha() else int(size)
    return {'k': n // 1024, 'm': n, 'g': n * 1024}.get(unit, n // 2**20)


def make_plan(a, nb_path):
    course = os.path.join(a.prefix, 'course')
    rel = os.path.relpath(nb_path, os.path.join(ROOT, 'notebooks'))
    if rel.startswith('..') or not os.path.isfile(os.path.join(course, rel)):
        sys.exit(f'hub_load: {nb_path} is not among the staged course files in {course} '
                 f'(only notebooks/ and notebooks/labs/ are delivered; run ./lab hub prepare)')
    nb, code, desc = cellmod.load(nb_path, os.path.join(ROOT, 'labs', 'master'))
    # The reference kernel gets what the hub gives every server (layerlab_hub.server_environment).
    os.environ.update(JUPYTER_PATH=os.path.join(a.prefix, 'share', 'jupyter'),
                      JDK_JAVA_OPTIONS=f'-Xmx{a.heap} -XX:ActiveProcessorCount={a.cpus}')
    print(f'hub_load: reference run of {desc} with nbclient', flush=True)
    work = tempfile.mkdtemp(prefix='hub-load-ref-')
    shutil.copytree(course, work, dirs_exist_ok=True)
    ref = cellmod.reference_run(copy.deepcopy(nb), os.path.join(work, os.path.dirname(rel)),
                                'layerlab', a.cell_timeout)
    shutil.rmtree(work)
    bad = [f'cell {i}: {p}' for i, (_, outs) in ref.items() for p in cellmod.problems(outs)]
    if bad:
        sys.exit(f'hub_load: the reference run of {nb_path} is not clean, so no student run can '
                 f'be checked against it: ' + '; '.join(bad[:5]))
    os.makedirs(a.out, exist_ok=True)
    cellmod.save_reference(os.path.join(a.out, 'reference.json'), ref)
    heavy = {i for i, (secs, _) in ref.items() if secs >= a.heavy_s}
    top = set(os.listdir(course))
    plan = Plan(nb=nb, cells=code, reference=ref, heavy=heavy,
                path='layerlab/' + rel.replace(os.sep, '/'), course_top=top,
                heap_mib=heap_mib(a.heap), cpus=a.cpus, cell_timeout=a.cell_timeout)
    return plan, desc


async def scenario(hub, names, plan, result, timeout):
    await asyncio.to_thread(hub.start, 120)
    students = await spawn_all(hub, names, result, timeout)
    print(f'hub_load: K={result.k}: {len(students)} servers ready in {result.start_all:.1f} s',
          flush=True)
    saved = await run_all(students, plan, result)
    print(f'hub_load: K={result.k}: cells run in {result.run_wall:.1f} s; restarting the hub',
          flush=True)
    await restart_and_cull(hub, students, saved, plan, result, timeout)


def run_k(a, k, plan):
    names = [f'{a.user_prefix}{n:02d}' for n in range(1, k + 1)]
    result = Result(k=k)
    state = tempfile.mkdtemp(prefix=f'hub-load-state-k{k}-')
    log = os.path.join(a.out, f'hub-k{k}.log')
    if os.path.exists(log):
        os.remove(log)
    make_users(names)
    hub = Hub(a.prefix, state, a.heap, a.cpus, log)
    AsyncHTTPClient.configure(None, max_clients=max(10, 4 * k))
    try:
        asyncio.run(asyncio.wait_for(scenario(hub, names, plan, result, a.timeout), a.timeout))
    except asyncio.TimeoutError:
        result.fail('run', f'did not finish within --timeout={a.timeout} s')
    except RuntimeError as e:
        result.fail('hub', str(e))
    finally:
        try:
            hub.stop(90)
        except RuntimeError as e:
            result.fail('hub', str(e))
        if not a.keep:
            for n in names:
                remove_user(n)
            shutil.rmtree(state, ignore_errors=True)
    return result


def main():
    a = args_()
    ks = [int(x) for x in a.k.split(',') if x.strip()]
    preflight(a, ks)
    plan, desc = make_plan(a, pick_notebook(a.notebook))
    results = []
    for k in ks:
        print(f'hub_load: K={k} students, {desc}', flush=True)
        results.append(run_k(a, k, plan))
        print(report.summary(results[-1], plan), flush=True)
    table = report.table(results, plan, desc, a)
    with open(os.path.join(a.out, 'table.md'), 'w', encoding='utf-8') as f:
        f.write(table)
    with open(os.path.join(a.out, 'results.json'), 'w', encoding='utf-8') as f:
        json.dump([report.as_dict(r) for r in results], f, indent=1)
    print(table)
    failed = [r.k for r in results if r.failures]
    if failed:
        sys.exit(f'hub_load: failures at K = {failed} (details above; hub logs in {a.out})')
    print(f'hub_load: all students at K = {ks} succeeded')


if __name__ == '__main__':
    main()
