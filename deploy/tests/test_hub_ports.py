"""layerlab_hub.server_port: every account's server on a port of its own, outside the ephemeral range."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'hub'))

import layerlab_hub  # noqa: E402


def ephemeral_range():
    with open('/proc/sys/net/ipv4/ip_local_port_range') as f:
        low, high = (int(v) for v in f.read().split())
    return low, high


class ServerPortTest(unittest.TestCase):
    def test_a_course_of_accounts_gets_distinct_ports(self):
        uids = range(1000, 1000 + 5000)  # useradd's numbering for a course of 5,000
        ports = [layerlab_hub.server_port(u) for u in uids]
        self.assertEqual(len(set(ports)), len(ports))

    def test_no_port_is_one_the_kernel_hands_out_for_port_0(self):
        low, high = ephemeral_range()
        for uid in (0, 999, 1000, 1001, 19999, 20000, 65533, 2 ** 31 - 1):
            port = layerlab_hub.server_port(uid)
            self.assertTrue(1024 < port < low or port > high,
                            f'uid {uid}: port {port} lies in the ephemeral range {low}-{high}')

    def test_the_hook_sets_the_port_before_the_spawner_starts(self):
        source = open(os.path.join(os.path.dirname(HERE), 'hub', 'layerlab_hub.py')).read()
        hook = source[source.index('async def deliver'):]
        self.assertLess(hook.index('spawner.port = server_port'), hook.index('create_subprocess_exec'))


if __name__ == '__main__':
    unittest.main()
