#!/usr/bin/python3
"""Stops single-user servers that have been idle too long, through the hub's REST API.

Debian's jupyterhub 3.0 does not ship jupyterhub-idle-culler, so the course hub runs this as a
hub-managed service (the hub passes JUPYTERHUB_API_URL and JUPYTERHUB_API_TOKEN). It needs the
scopes list:users, read:users:activity, read:servers and delete:servers.

  cull_idle.py --timeout 3600 --every 300     a service: check every 300 s, stop idle > 3600 s
  cull_idle.py --timeout 600 --once           one pass (a teacher's cron job, the load test)

A server's idle time counts from its last activity as the hub knows it (the proxy's traffic and
the server's own reports, which include running kernels), or from its start when there is none.
Servers that are starting or stopping are left alone. Files stay; only the processes stop.
"""
import argparse
import json
import os
import signal
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone

PAGE = 200


def parse_time(stamp):
    """The hub's ISO 8601 timestamps ('2026-12-04T19:00:00.123456Z') as aware datetimes."""
    if not stamp:
        return None
    return datetime.fromisoformat(stamp.replace('Z', '+00:00')).astimezone(timezone.utc)


def idle_servers(users, now, timeout):
    """(user, server name, idle seconds) for every ready server idle longer than `timeout`."""
    found = []
    for user in users:
        for name, server in (user.get('servers') or {}).items():
            if not server.get('ready') or server.get('pending'):
                continue
            last = parse_time(server.get('last_activity')) or parse_time(server.get('started'))
            if last is None:
                continue
            idle = (now - last).total_seconds()
            if idle > timeout:
                found.append((user['name'], name, idle))
    return found


class Hub:
    def __init__(self, url, token):
        self.url = url.rstrip('/')
        self.token = token

    def call(self, method, path, query=None):
        full = self.url + path + ('?' + urllib.parse.urlencode(query) if query else '')
        req = urllib.request.Request(full, method=method,
                                     headers={'Authorization': 'token ' + self.token})
        with urllib.request.urlopen(req, timeout=30) as resp:
            body = resp.read()
            return resp.status, json.loads(body) if body else None

    def ready_users(self):
        users, offset = [], 0
        while True:
            _, page = self.call('GET', '/users', {'state': 'ready', 'offset': offset,
                                                  'limit': PAGE})
            users += page
            if len(page) < PAGE:
                return users
            offset += PAGE

    def stop(self, user, server):
        path = f'/users/{urllib.parse.quote(user)}/server'
        if server:
            path = f'/users/{urllib.parse.quote(user)}/servers/{urllib.parse.quote(server)}'
        status, _ = self.call('DELETE', path)
        return status


def cull_once(hub, timeout, log=print):
    now = datetime.now(timezone.utc)
    stopped = []
    for user, server, idle in idle_servers(hub.ready_users(), now, timeout):
        label = user + (f'/{server}' if server else '')
        try:
            status = hub.stop(user, server)
        except urllib.error.HTTPError as e:
            log(f'cull_idle: could not stop {label} (idle {idle:.0f} s): HTTP {e.code} {e.reason}')
            continue
        log(f'cull_idle: stopped {label}, idle {idle:.0f} s (HTTP {status})')
        stopped.append(label)
    return stopped


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--timeout', type=int, required=True, help='idle seconds before a stop')
    ap.add_argument('--every', type=int, default=300, help='seconds between checks')
    ap.add_argument('--once', action='store_true', help='one pass, then exit')
    ap.add_argument('--url', default=os.environ.get('JUPYTERHUB_API_URL', ''))
    args = ap.parse_args()
    token = os.environ.get('JUPYTERHUB_API_TOKEN', '')
    if not args.url or not token:
        raise SystemExit('cull_idle: needs JUPYTERHUB_API_URL (or --url) and JUPYTERHUB_API_TOKEN '
                         '(the hub sets both for its services)')
    hub = Hub(args.url, token)
    # NOTE: the hub stops its services with SIGINT, which a process started in the background
    # may have inherited as ignored; exit on either signal instead of waiting for SIGKILL.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: sys.exit(0))
    log = lambda msg: print(msg, flush=True)  # noqa: E731
    log(f'cull_idle: stopping servers idle over {args.timeout} s, checking every {args.every} s')
    while True:
        try:
            cull_once(hub, args.timeout, log)
        except (urllib.error.URLError, OSError, ValueError) as e:
            # The hub restarting, or a reply cut short: say so and try again at the next check.
            log(f'cull_idle: check failed: {e}')
            if args.once:
                sys.exit(1)
        if args.once:
            return
        time.sleep(args.every)


if __name__ == '__main__':
    main()
