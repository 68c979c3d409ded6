"""What the load test measures about the machine: each student's processes, and percentiles."""
import threading
import time

import psutil


def percentile(values, q):
    """The q-th percentile (0..100) by linear interpolation; None for no values."""
    if not values:
        return None
    v = sorted(values)
    pos = (len(v) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def kind_of(cmdline):
    joined = ' '.join(cmdline or [])
    if 'layerlab.kernel.LabKernel' in joined:
        return 'kernel'
    if 'jupyterhub-singleuser' in joined:
        return 'server'
    return None


class Sampler:
    """Samples, every `every` seconds, the RSS and CPU time of each student's server and kernel.

    Peak RSS per (student, kind) and the CPU seconds each kernel process used (user + system,
    the last value seen for each pid, summed over the student's kernels)."""

    def __init__(self, users, every=0.5):
        self.users = set(users)
        self.every = every
        self.peak = {}
        self.cpu = {}
        self.pids = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(10)

    def sample(self):
        for proc in psutil.process_iter(['username', 'cmdline', 'memory_info', 'cpu_times']):
            info = proc.info
            if info['username'] not in self.users or not info['memory_info']:
                continue
            kind = kind_of(info['cmdline'])
            if kind is None:
                continue
            key = (info['username'], kind)
            self.peak[key] = max(self.peak.get(key, 0), info['memory_info'].rss)
            self.pids.setdefault(key, set()).add(proc.pid)
            if info['cpu_times']:
                self.cpu[(key, proc.pid)] = info['cpu_times'].user + info['cpu_times'].system

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def rss_mib(self, kind):
        return [self.peak[(u, kind)] / 2**20 for u in sorted(self.users) if (u, kind) in self.peak]

    def cpu_seconds(self, kind):
        per_user = {}
        for ((user, k), _pid), secs in self.cpu.items():
            if k == kind:
                per_user[user] = per_user.get(user, 0.0) + secs
        return [per_user[u] for u in sorted(per_user)]


def wait_gone(users, timeout):
    """Waits until no server or kernel of these users runs; returns those still there."""
    deadline = time.monotonic() + timeout
    while True:
        left = [p.pid for p in psutil.process_iter(['username', 'cmdline'])
                if p.info['username'] in users and kind_of(p.info['cmdline'])]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.5)
