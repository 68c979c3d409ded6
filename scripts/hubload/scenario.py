"""One load-test run at K students: spawn, probe, run the cells, save, restart, cull."""
import asyncio
import copy
import math
import time
from dataclasses import dataclass, field

from . import cells as cellmod
from .stats import Sampler, wait_gone
from .student import Student, StudentError

PROBE = '''System.out.println("user=" + System.getProperty("user.name"));
System.out.println("home=" + System.getProperty("user.home"));
System.out.println("heapMiB=" + Runtime.getRuntime().maxMemory() / (1024 * 1024));
System.out.println("cpus=" + Runtime.getRuntime().availableProcessors());
System.out.println("other=" + java.nio.file.Files.isReadable(java.nio.file.Path.of("OTHER")));
System.out.println("owner=" + java.nio.file.Files.getOwner(
    java.nio.file.Path.of(System.getProperty("user.home"), "NOTEBOOK")).getName());
'''


@dataclass
class Plan:
    """What every student runs and what it must give."""
    nb: object                 # the notebook node (solved, for a lab)
    cells: list                # [(index, source)]
    reference: dict            # index -> (seconds, outputs)
    heavy: set                 # indices of heavy cells
    path: str                  # the notebook's path in the student's home
    course_top: set            # names delivered at the top of ~/layerlab
    heap_mib: int
    cpus: int
    cell_timeout: int


@dataclass
class Result:
    k: int
    failures: list = field(default_factory=list)
    start_each: list = field(default_factory=list)
    start_all: float = 0.0
    restart_each: list = field(default_factory=list)
    typical: list = field(default_factory=list)
    heavy: list = field(default_factory=list)
    kernel_rss: list = field(default_factory=list)
    server_rss: list = field(default_factory=list)
    kernel_cpu: list = field(default_factory=list)
    run_wall: float = 0.0
    saved_ok: int = 0
    culled_after: float = None
    cull_timeout: int = 0

    def fail(self, who, what):
        self.failures.append(f'{who}: {what}')


async def each(students, step, result):
    """Runs `step(student)` for all concurrently; failures are recorded, the rest returned."""
    got = await asyncio.gather(*(step(s) for s in students), return_exceptions=True)
    ok = []
    for s, g in zip(students, got):
        if isinstance(g, BaseException):
            result.fail(s.name, f'{type(g).__name__}: {g}')
        else:
            ok.append((s, g))
    return ok


async def spawn_all(hub, names, result, timeout):
    students = [Student(hub.url, n, hub.password) for n in names]
    t0 = time.monotonic()

    async def login_start(s):
        await s.login()
        return await s.start_server(timeout)

    ok = await each(students, login_start, result)
    result.start_all = time.monotonic() - t0
    result.start_each = [t for _, t in ok]
    return [s for s, _ in ok]


def check_probe(s, outs, plan, other):
    text = cellmod.signature(outs)
    want = {'user': s.name, 'home': f'/home/{s.name}', 'cpus': str(plan.cpus), 'other': 'false',
            'owner': s.name}
    got = dict(line.split('=', 1) for line in text.replace('stdout: ', '').splitlines()
               if '=' in line)
    bad = [f'{k}={got.get(k)!r} (expected {v!r})' for k, v in want.items() if got.get(k) != v]
    heap = int(got.get('heapMiB', '0') or 0)
    # NOTE: maxMemory() is the heap less one survivor space, so a little under -Xmx.
    if not 0.8 * plan.heap_mib <= heap <= plan.heap_mib:
        bad.append(f'heapMiB={heap} (expected {plan.heap_mib} less the survivor space)')
    if bad:
        raise StudentError(f'kernel probe ({other} must be unreadable): ' + ', '.join(bad))


async def run_cells(s, plan, result, other):
    kernel = await s.open_kernel(plan.path, 'layerlab')
    info = await kernel.info(120)
    if kernel.resends:
        print(f'hub_load: {s.name}: kernel_info answered after {kernel.resends} resend(s)', flush=True)
    if info.get('status') != 'ok' or info.get('language_info', {}).get('name') != 'java':
        raise StudentError(f'kernel_info_reply: {info}')
    probe = PROBE.replace('OTHER', other).replace('NOTEBOOK', plan.path)
    # the probe is the load test's, not the notebook's: uncounted, so the notebook's first cell is In [1]
    _, outs = await kernel.execute(probe, 120, store_history=False)
    check_probe(s, outs, plan, other)
    executed = copy.deepcopy(plan.nb)
    for index, source in plan.cells:
        t0 = time.monotonic()
        reply, outs = await kernel.execute(source, plan.cell_timeout)
        took = time.monotonic() - t0
        (result.heavy if index in plan.heavy else result.typical).append(took)
        executed.cells[index].outputs = outs
        executed.cells[index].execution_count = reply.get('execution_count')
        expected = plan.reference[index][1]
        differs = cellmod.compare(expected, outs)
        if differs or reply.get('status') != 'ok':
            result.fail(s.name, f'cell {index}: {differs or reply.get("status")} '
                                f'{"; ".join(cellmod.problems(outs))}'.strip())
    await s.save(plan.path, executed)
    await kernel.close()
    return executed


async def run_all(students, plan, result):
    names = [s.name for s in students]
    t0 = time.monotonic()
    with Sampler(names) as sampler:
        async def one(s):
            other = names[(names.index(s.name) + 1) % len(names)]
            other = f'/home/{other}/layerlab' if other != s.name else '/root'
            return await run_cells(s, plan, result, other)
        ok = await each(students, one, result)
        await asyncio.to_thread(sampler.sample)
    result.run_wall = time.monotonic() - t0
    result.kernel_rss = sampler.rss_mib('kernel')
    result.server_rss = sampler.rss_mib('server')
    result.kernel_cpu = sampler.cpu_seconds('kernel')
    return {s.name: nb for s, nb in ok}


async def check_saved(s, saved, plan, timeout):
    took = await s.start_server(timeout)
    model = await s.contents(plan.path)
    for i, _ in plan.cells:
        here = model['content']['cells'][i]
        if here['source'] != saved.cells[i].source:
            raise StudentError(f'after the restart cell {i} of {plan.path} has other source')
        differs = cellmod.compare(saved.cells[i].outputs, here.get('outputs', []))
        if differs:
            raise StudentError(f'after the restart cell {i} of {plan.path}: {differs}')
    listing = await s.contents('layerlab')
    names = {e['name'] for e in listing['content']}
    lost = sorted(plan.course_top - names)
    offered = sorted(n for n in names if n.endswith('.new.ipynb'))
    if lost or offered:
        raise StudentError(f'after the restart ~/layerlab lacks {lost} or was offered {offered} '
                           f'for an unchanged course')
    return took


async def restart_and_cull(hub, students, saved, plan, result, timeout):
    hub.stop(90)
    names = {s.name for s in students}
    left = await asyncio.to_thread(wait_gone, names, 30)
    if left:
        result.fail('hub', f'processes of the students still running after the hub stopped: {left}')
    # Long enough that no server is culled before its notebook is read back.
    result.cull_timeout = max(30, math.ceil(2 * result.start_all) + 20)
    await asyncio.to_thread(hub.start, 120, result.cull_timeout, 5)
    back = [s for s in students if s.name in saved]
    ok = await each(back, lambda s: check_saved(s, saved[s.name], plan, timeout), result)
    # Only the servers started again can be culled; a student who failed before saving is
    # already reported, and is not reported a second time as a server the culler missed.
    names = {s.name for s in back}
    result.restart_each = [t for _, t in ok]
    result.saved_ok = len(ok)
    t0 = time.monotonic()
    while True:
        ready = await asyncio.to_thread(hub.admin, 'GET', '/hub/api/users?state=ready')
        running = sorted(names & {u['name'] for u in ready})
        # The culler logs a stop once the hub has answered its DELETE, a moment after.
        logged = ' '.join(hub.log_lines('cull_idle: stopped'))
        unlogged = sorted(n for n in names if f'stopped {n},' not in logged)
        if not running and not unlogged:
            result.culled_after = time.monotonic() - t0
            return
        if time.monotonic() - t0 > result.cull_timeout + 90:
            result.fail('culler', f'within {result.cull_timeout + 90} s layerlab-culler did not '
                                  f'stop {running or unlogged} (still running: {running})')
            return
        await asyncio.sleep(1)
