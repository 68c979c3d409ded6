"""The course hub under test: its Linux users, its process, its admin API — loopback only."""
import json
import os
import pwd
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import psutil


def free_port_block(n=3):
    """A port P with P .. P+n-1 free on 127.0.0.1 (the hub uses PORT, PORT+1, PORT+2)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            base = s.getsockname()[1]
        if base + n > 65535:
            continue
        socks = []
        try:
            for p in range(base, base + n):
                s = socket.socket()
                socks.append(s)
                s.bind(('127.0.0.1', p))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError('no block of free loopback ports found')


def make_users(names):
    """Fresh Linux accounts (home mode 700, no login shell, no password); old ones replaced."""
    for name in names:
        remove_user(name)
        subprocess.run(['useradd', '--create-home', '--user-group', '--shell', '/usr/sbin/nologin',
                        '-K', 'HOME_MODE=0700', name], check=True, capture_output=True)


def remove_user(name):
    try:
        pwd.getpwnam(name)
    except KeyError:
        return
    # A server left by an interrupted run would keep the account busy: stop its processes.
    uid = pwd.getpwnam(name).pw_uid
    for proc in psutil.process_iter(['uids']):
        if proc.info['uids'] and proc.info['uids'].real == uid:
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                continue
    subprocess.run(['userdel', '--remove', name], check=True, capture_output=True)


class Hub:
    """`jupyterhub -f PREFIX/lib/jupyterhub_config.py` with the dummy authenticator."""

    def __init__(self, prefix, state, heap, cpus, log_path):
        self.prefix = prefix
        self.state = state
        self.port = free_port_block()
        self.password = secrets.token_urlsafe(12)
        self.admin_token = secrets.token_hex(24)
        self.log_path = log_path
        self.env = dict(os.environ, LAYERLAB_HUB_PREFIX=prefix, LAYERLAB_HUB_STATE=state,
                        LAYERLAB_HUB_AUTH='dummy', LAYERLAB_HUB_PASSWORD=self.password,
                        LAYERLAB_HUB_IP='127.0.0.1', LAYERLAB_HUB_PORT=str(self.port),
                        LAYERLAB_HUB_API_TOKEN=self.admin_token, LAYERLAB_HEAP=heap,
                        LAYERLAB_CPUS=str(cpus))
        self.proc = None

    @property
    def url(self):
        return f'http://127.0.0.1:{self.port}'

    def start(self, timeout, cull_timeout=3600, cull_every=300):
        os.makedirs(self.state, mode=0o700, exist_ok=True)
        env = dict(self.env, LAYERLAB_HUB_CULL_TIMEOUT=str(cull_timeout),
                   LAYERLAB_HUB_CULL_EVERY=str(cull_every))
        log = open(self.log_path, 'a', encoding='utf-8')
        log.write(f'\n==== hub_load.py: starting the hub on {self.url} ====\n')
        log.flush()
        t0 = time.monotonic()
        self.proc = subprocess.Popen(
            ['/usr/bin/jupyterhub', '-f', os.path.join(self.prefix, 'lib', 'jupyterhub_config.py')],
            cwd=self.state, env=env, stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        log.close()
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f'the hub exited with {self.proc.returncode} while starting; '
                                   f'its log: {self.log_path}\n{self.log_tail()}')
            try:
                self.admin('GET', '/hub/api/')
                return time.monotonic() - t0
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        self.stop(10)
        raise RuntimeError(f'the hub did not answer within {timeout} s; log: {self.log_path}\n'
                           f'{self.log_tail()}')

    def stop(self, timeout):
        """SIGTERM: the hub stops its servers, proxy and services, then exits."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
            raise RuntimeError(f'the hub did not stop within {timeout} s (killed)')

    def admin(self, method, path, body=None):
        req = urllib.request.Request(self.url + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={'Authorization': 'token ' + self.admin_token})
        with urllib.request.urlopen(req, timeout=30) as resp:
            raw = resp.read()
            return json.loads(raw) if raw else None

    def log_tail(self, n=25):
        with open(self.log_path, encoding='utf-8', errors='replace') as f:
            return ''.join(f.readlines()[-n:])

    def log_lines(self, needle):
        with open(self.log_path, encoding='utf-8', errors='replace') as f:
            return [line.rstrip() for line in f if needle in line]
