"""cull_idle.py: which servers count as idle (the stop itself runs against the real hub in
scripts/hub_load.py, where every student's server must be stopped by this service)."""
import os
import subprocess
import sys
import unittest
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'hub'))

import cull_idle  # noqa: E402

NOW = datetime(2026, 12, 4, 12, 0, 0, tzinfo=timezone.utc)


def stamp(seconds_ago):
    return (NOW - timedelta(seconds=seconds_ago)).isoformat().replace('+00:00', 'Z')


def user(name, **servers):
    return {'name': name, 'servers': servers}


def server(last=None, started=None, ready=True, pending=None):
    return {'ready': ready, 'pending': pending, 'started': started and stamp(started),
            'last_activity': last and stamp(last)}


class IdleTest(unittest.TestCase):
    def test_idle_past_the_timeout_is_culled_recent_is_not(self):
        users = [user('ann', **{'': server(last=4000, started=5000)}),
                 user('bob', **{'': server(last=100, started=5000)})]
        got = cull_idle.idle_servers(users, NOW, 3600)
        self.assertEqual([(u, s) for u, s, _ in got], [('ann', '')])
        self.assertAlmostEqual(got[0][2], 4000, places=3)

    def test_no_activity_counts_from_the_start(self):
        users = [user('cem', **{'': server(last=None, started=3700)}),
                 user('dan', **{'': server(last=None, started=60)})]
        self.assertEqual([u for u, _, _ in cull_idle.idle_servers(users, NOW, 3600)], ['cem'])

    def test_pending_or_not_ready_servers_are_left_alone(self):
        users = [user('eve', **{'': server(last=9000, pending='spawn', ready=False)}),
                 user('fay', **{'': server(last=9000, pending='stop')}),
                 user('gus', **{'': server(last=9000, ready=False)})]
        self.assertEqual(cull_idle.idle_servers(users, NOW, 3600), [])

    def test_named_servers_each_on_their_own(self):
        users = [user('hal', **{'': server(last=10), 'gpu': server(last=7200)})]
        self.assertEqual([(u, s) for u, s, _ in cull_idle.idle_servers(users, NOW, 3600)],
                         [('hal', 'gpu')])

    def test_exactly_the_timeout_is_not_yet_idle(self):
        users = [user('ida', **{'': server(last=3600)})]
        self.assertEqual(cull_idle.idle_servers(users, NOW, 3600), [])

    def test_hub_timestamps_parse_as_utc(self):
        self.assertEqual(cull_idle.parse_time('2026-12-04T11:00:00.250000Z'),
                         datetime(2026, 12, 4, 11, 0, 0, 250000, tzinfo=timezone.utc))
        self.assertIsNone(cull_idle.parse_time(None))

    def test_refuses_to_run_without_the_hubs_token(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith('JUPYTERHUB_')}
        got = subprocess.run([sys.executable, cull_idle.__file__, '--timeout', '60', '--once'],
                             capture_output=True, text=True, env=env)
        self.assertNotEqual(got.returncode, 0)
        self.assertIn('JUPYTERHUB_API_TOKEN', got.stderr)


if __name__ == '__main__':
    unittest.main()
