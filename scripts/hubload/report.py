"""The load test's report: one summary per K and the README's table."""
import os
import platform
import time
from dataclasses import asdict

from .stats import percentile

TYPICAL_P95_LIMIT = 2.0


def _s(v):
    return '—' if v is None else f'{v:.2f}'


def _pair(values):
    return f'{_s(percentile(values, 50))} / {_s(percentile(values, 95))}'


def _mib(values):
    if not values:
        return '—'
    return f'{percentile(values, 50):.0f} ({max(values):.0f})'


def summary(r, plan):
    lines = [f'K={r.k}: ' + ('all succeeded' if not r.failures else
                             f'{len(r.failures)} failure(s)')]
    lines += [f'  FAIL {f}' for f in r.failures[:40]]
    if len(r.failures) > 40:
        lines.append(f'  ... and {len(r.failures) - 40} more')
    lines += [
        f'  servers: all {r.k} ready in {r.start_all:.1f} s (each: p50 {_s(percentile(r.start_each, 50))} s, '
        f'max {_s(max(r.start_each) if r.start_each else None)} s); after the restart: p50 '
        f'{_s(percentile(r.restart_each, 50))} s',
        f'  cells: typical p50/p95 {_pair(r.typical)} s over {len(r.typical)}, heavy '
        f'{_pair(r.heavy)} s over {len(r.heavy)} (heavy: {len(plan.heavy)} cells of '
        f'{len(plan.cells)}); all cells of all students in {r.run_wall:.1f} s',
        f'  memory per student, peak RSS median (max): kernel JVM {_mib(r.kernel_rss)} MiB, '
        f'server {_mib(r.server_rss)} MiB; kernel CPU per student {_pair(r.kernel_cpu)} s (p50/p95)',
        f'  restart: {r.saved_ok}/{r.k} saved notebooks intact; culler: '
        + (f'all stopped {r.culled_after:.0f} s after the last request (timeout {r.cull_timeout} s)'
           if r.culled_after is not None else 'did not stop them all'),
    ]
    return '\n'.join(lines)


def table(results, plan, desc, a):
    cpu = platform.processor() or platform.machine()
    mem = os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30
    head = [
        f'Load test of the course hub: `scripts/hub_load.py --k {a.k}` — {desc}; heap '
        f'{a.heap}, {a.cpus} processor(s) per kernel; {os.cpu_count()} cores ({cpu}), '
        f'{mem:.0f} GiB; {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}. Cells: '
        f'typical < {a.heavy_s:g} s in the reference run, heavy ≥ {a.heavy_s:g} s. RSS: '
        f'peak per student, median (max).',
        '',
        '| K | all servers ready | all cells, all students | typical cell p50 / p95 | '
        'heavy cell p50 / p95 | kernel JVM RSS MiB | server RSS MiB | '
        'kernel CPU s per student p50 / p95 | saved notebooks after restart | culled | result |',
        '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ]
    rows = []
    for r in results:
        result = 'ok' if not r.failures else f'{len(r.failures)} failed'
        rows.append(
            f'| {r.k} | {r.start_all:.1f} s | {r.run_wall:.1f} s | {_pair(r.typical)} s | '
            f'{_pair(r.heavy)} s | '
            f'{_mib(r.kernel_rss)} | {_mib(r.server_rss)} | {_pair(r.kernel_cpu)} | '
            f'{r.saved_ok}/{r.k} | {"yes" if r.culled_after is not None else "no"} | {result} |')
    fine = [r.k for r in results if not r.failures and r.typical
            and percentile(r.typical, 95) < TYPICAL_P95_LIMIT]
    verdict = (f'Largest K measured with a typical cell\'s p95 under {TYPICAL_P95_LIMIT:g} s and '
               f'no failure: {max(fine)}.' if fine else
               f'No K measured kept a typical cell\'s p95 under {TYPICAL_P95_LIMIT:g} s without '
               f'failures.')
    return '\n'.join(head + rows + ['', verdict, ''])


def as_dict(r):
    d = asdict(r)
    d['typical_p50'], d['typical_p95'] = percentile(r.typical, 50), percentile(r.typical, 95)
    d['heavy_p50'], d['heavy_p95'] = percentile(r.heavy, 50), percentile(r.heavy, 95)
    return d
