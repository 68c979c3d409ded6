#!/usr/bin/python3
"""Measures the installed layerlab kernel: start-up and a trivial cell's round trip.

Usage: scripts/measure_kernel.py [KERNEL_NAME] [--starts N] [--trips M]

start-up   launch -> kernel_info_reply (jupyter_client's wait_for_ready), N fresh kernels
first cell launch -> the execute_reply of `Tensor.randn(2, 3)` (issue 11's start-up figure:
           JShell started, lab classes loaded, first result back)
numbering  execution_count of the first two cells, and of the first cell after a restart
           (issue 11: must be 1, 2, then 1 again; printed, and exit 1 if not)
round trip execute_request `1 + 1` -> execute_reply, M times in one warm kernel (median)

A measurement, not a test: it prints figures for README's "Measured" section.
"""
import argparse
import platform
import statistics
import sys
import time

from jupyter_client.manager import KernelManager


def trip(kc, code='1 + 1', counts=None):
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    while True:
        r = kc.get_shell_msg(timeout=60)
        if r['parent_header'].get('msg_id') == msg_id:
            break
    assert r['content']['status'] == 'ok', r['content']
    if counts is not None:
        counts.append(r['content'].get('execution_count'))
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('kernel', nargs='?', default='layerlab')
    ap.add_argument('--starts', type=int, default=5)
    ap.add_argument('--trips', type=int, default=20)
    a = ap.parse_args()
    starts, firsts, trips, counts = [], [], [], []
    java = None
    for i in range(a.starts):
        km = KernelManager(kernel_name=a.kernel)
        java = km.kernel_spec.argv[0]
        t0 = time.perf_counter()
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        starts.append(time.perf_counter() - t0)
        trip(kc, 'Tensor.randn(2, 3)', counts if i == 0 else None)
        firsts.append(time.perf_counter() - t0)
        if i == 0:
            trip(kc, counts=counts)
            km.restart_kernel(now=False)
            kc.wait_for_ready(timeout=120)
            trip(kc, counts=counts)
        if i == a.starts - 1:
            for _ in range(5):
                trip(kc)  # warm-up
            trips = [trip(kc) for _ in range(a.trips)]
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    ms = lambda xs: f'median {statistics.median(xs) * 1e3:.0f} ms (min {min(xs) * 1e3:.0f}, max {max(xs) * 1e3:.0f})'
    print(f'kernel {a.kernel}: {java}; {platform.node()}, {platform.machine()}')
    print(f'start-up, launch -> kernel_info_reply, {a.starts} launches: {ms(starts)}')
    print(f'launch -> first cell (Tensor.randn(2, 3)) answered, {a.starts} launches: {ms(firsts)}')
    print(f'execution_count: first cell {counts[0]}, second {counts[1]}, first after restart {counts[2]} '
          f'(want 1, 2, 1)')
    print(f'round trip of `1 + 1`, {a.trips} cells: median {statistics.median(trips) * 1e3:.1f} ms '
          f'(min {min(trips) * 1e3:.1f}, max {max(trips) * 1e3:.1f})')
    return 0 if counts == [1, 2, 1] else 1


if __name__ == '__main__':
    sys.exit(main())
