#!/usr/bin/python3
"""Drives a layerlab kernel through jupyter_client for the typing help and the variable view:
inspect (Javadoc, detail_level 0 and 1), complete (ranking, shared prefix), %whos, and the
interrupt message of a training loop that records its activity.

Usage: assist_probe.py KERNEL_NAME OUT.json — writes the raw replies; AssistTest.java asserts.
"""
import json
import sys
import time
import traceback

from jupyter_client.manager import KernelManager

OBS = {}


def collect(kc, msg_id, timeout=60.0):
    outputs, idle, reply = [], False, None
    deadline = time.time() + timeout
    while not idle and time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=max(0.05, deadline - time.time()))
        except Exception:
            break
        if m['parent_header'].get('msg_id') != msg_id:
            continue
        if m['msg_type'] == 'status':
            idle = m['content']['execution_state'] == 'idle'
            continue
        outputs.append({'type': m['msg_type'], 'content': m['content']})
    while time.time() < deadline + 5:
        try:
            r = kc.get_shell_msg(timeout=max(0.05, deadline + 5 - time.time()))
        except Exception:
            break
        if r['parent_header'].get('msg_id') == msg_id:
            reply = r['content']
            break
    return {'outputs': outputs, 'reply': reply}


def run(kc, code, timeout=120.0):
    return collect(kc, kc.execute(code, allow_stdin=False), timeout)


def wait_for_text(kc, msg_id, text, timeout=60.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = kc.get_iopub_msg(timeout=max(0.05, deadline - time.time()))
        if m['parent_header'].get('msg_id') == msg_id and m['msg_type'] == 'stream' and text in m['content']['text']:
            return
    raise RuntimeError(f'the cell never printed {text!r}')


def interrupt(km, kc, code, key):
    msg_id = kc.execute(code, allow_stdin=False)
    wait_for_text(kc, msg_id, 'running')
    time.sleep(1.0)
    km.interrupt_kernel()
    OBS[key] = collect(kc, msg_id, 60)


def inspect(kc, code, level=0):
    return collect(kc, kc.inspect(code, len(code), detail_level=level), 60)['reply']


def complete(kc, code):
    return collect(kc, kc.complete(code, len(code)), 60)['reply']


def main():
    name, out = sys.argv[1], sys.argv[2]
    km = KernelManager(kernel_name=name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        OBS['define'] = run(kc, 'var x = Tensor.randn(2, 3);\nvar pool = new MaxPool(2);\n'
                                'var lin = new Linear(4, 3);\nint n = 7;\nfloat[] arr = new float[10];\nString s = "hello";')
        for key, code in [('maxpool', 'new MaxPool('), ('relu', 'ReLU'), ('randn', 'Tensor.randn('),
                          ('reshape', 'x.reshape(')]:
            OBS['inspect_' + key] = inspect(kc, code, 0)
            OBS['inspect1_' + key] = inspect(kc, code, 1)
        OBS['complete_member'] = complete(kc, 'x.')
        OBS['complete_prefix'] = complete(kc, 'x.re')
        OBS['whos'] = run(kc, '%whos')
        OBS['lsmagic'] = run(kc, '%lsmagic')
        interrupt(km, kc, 'var p = new Progress(155).training("net");\nSystem.out.println("running");\n'
                          'for (int i = 0; i < 155; i++) { if (i == 6) { Thread.sleep(600_000); } p.step(1.0); }', 'interrupt_training')
        OBS['after_training'] = run(kc, 'var q = new Progress(3);\nfor (int i = 0; i < 3; i++) q.step(1.0);\n'
                                        'layerlab.optim.Activity.current().isPresent()')
        interrupt(km, kc, 'System.out.println("running");\nThread.sleep(600_000);', 'interrupt_plain')
    except Exception:
        OBS['probe_error'] = traceback.format_exc()
    finally:
        try:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        except Exception:
            pass
    with open(out, 'w') as f:
        json.dump(OBS, f, indent=1, default=str)
    sys.exit(2 if 'probe_error' in OBS else 0)


if __name__ == '__main__':
    main()
