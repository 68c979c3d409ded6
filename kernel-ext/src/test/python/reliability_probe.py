#!/usr/bin/python3
"""Drives a layerlab kernel through the faults students cause and records what it answers.

Usage: reliability_probe.py KERNEL_NAME WORK_DIR OUT.json

One kernel from its kernelspec (jupyter_client's KernelManager): interrupts of a long Conv2d and
a big MaxPool with the kernel's CPU time read from /proc afterwards; System.setOut(null), closed
and nulled streams; System.exit and Runtime.halt (direct, by reflection, by method reference, in
a thread); a 30 MB print (message order and content); threads a cell started (their output, an
interrupt naming the one that goes on); the messages of damaged inputs. Then a notebook with the
30 MB print executed by nbclient (nbconvert's engine), written and read back. The assertions
live in ReliabilityTest.java; this script only fails if the kernel cannot be driven at all.
"""
import hashlib
import json
import os
import struct
import sys
import time
import traceback

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

OBS = {}
BIG = '("0123456789".repeat(9) + "abcdefghi\\n").repeat(%d)'  # 100 characters a line


def big_text(lines):
    return ('0123456789' * 9 + 'abcdefghi\n') * lines


def collect(kc, msg_id, timeout=120.0):
    """Every IOPub message (any parent) until this request's idle, and its shell reply."""
    msgs = []
    deadline = time.time() + timeout
    idle = False
    while not idle and time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=max(0.05, deadline - time.time()))
        except Exception:
            break
        mine = m['parent_header'].get('msg_id') == msg_id
        if mine and m['msg_type'] == 'status' and m['content']['execution_state'] == 'idle':
            idle = True
        msgs.append({'type': m['msg_type'], 'mine': mine, 'parent': m['parent_header'].get('msg_id'),
                     'date': str(m['header']['date']), 'date_obj': m['header']['date'], 'content': m['content'],
                     't': time.time()})
    reply = None
    reply_date = None
    while time.time() < deadline + 10:
        try:
            r = kc.get_shell_msg(timeout=max(0.05, deadline + 10 - time.time()))
        except Exception:
            break
        if r['parent_header'].get('msg_id') == msg_id:
            reply = {'content': r['content'], 'date': str(r['header']['date']), 't': time.time()}
            reply_date = r['header']['date']
            break
    return {'id': msg_id, 'messages': msgs, 'reply': reply, 'reply_date': reply_date, 'idle': idle}


def run(kc, code, timeout=120.0):
    return collect(kc, kc.execute(code, allow_stdin=False), timeout)


def summary(r):
    """What the assertions need, without megabytes of text."""
    out = {'id': r['id'], 'idle': r['idle'], 'reply': r['reply'], 'streams': [], 'other': []}
    # the kernel's own send times (message headers): a stream of this cell sent after its reply?
    reply_date = r['reply_date']
    out['streams_after_reply'] = sum(1 for m in r['messages'] if m['type'] == 'stream' and m['mine']
                                     and reply_date is not None and m['date_obj'] > reply_date)
    for m in r['messages']:
        if m['type'] == 'stream':
            text = m['content']['text']
            out['streams'].append({'mine': m['mine'], 'parent': m['parent'], 'name': m['content']['name'],
                                   'text': text if len(text) < 4000 else text[:200] + '...',
                                   'length': len(text), 'date': m['date']})
        elif m['type'] not in ('status', 'execute_input'):
            out['other'].append({'type': m['type'], 'mine': m['mine'], 'content': m['content'], 'date': m['date']})
    return out


def cpu_seconds(pid, thread_prefix=None):
    """CPU time of the process, or of its threads whose (15-character) name starts with a prefix."""
    stats = [f'/proc/{pid}/stat']
    if thread_prefix is not None:
        stats = []
        for tid in os.listdir(f'/proc/{pid}/task'):
            with open(f'/proc/{pid}/task/{tid}/comm') as f:
                if f.read().startswith(thread_prefix):
                    stats.append(f'/proc/{pid}/task/{tid}/stat')
    total = 0
    for path in stats:
        with open(path) as f:
            fields = f.read().rsplit(')', 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf('SC_CLK_TCK')


def interrupt_and_measure(km, kc, pid, code, label):
    """Interrupts a running cell, waits 5 s, then measures the kernel's CPU use over 3 s."""
    msg_id = kc.execute('System.out.println("running");\n' + code, allow_stdin=False)
    deadline = time.time() + 120
    while time.time() < deadline:
        m = kc.get_iopub_msg(timeout=120)
        if m['parent_header'].get('msg_id') == msg_id and m['msg_type'] == 'stream' and 'running' in m['content']['text']:
            break
    time.sleep(2.0)  # deep inside the layer, every helper busy
    t_int = time.time()
    km.interrupt_kernel()
    r = summary(collect(kc, msg_id, 60))
    r['stop_seconds'] = (r['reply']['t'] - t_int) if r['reply'] else None
    time.sleep(5.0)
    c0, h0, t0 = cpu_seconds(pid), cpu_seconds(pid, 'layerlab-parall'), time.time()
    time.sleep(3.0)
    r['cpu_per_second'] = (cpu_seconds(pid) - c0) / (time.time() - t0)
    # the helpers alone: on a loaded machine a spinning thread gets a fraction of a core, but never none
    r['helper_cpu_per_second'] = (cpu_seconds(pid, 'layerlab-parall') - h0) / (time.time() - t0)
    OBS[label] = r
    OBS[label + '_threads'] = summary(run(kc, 'Thread.getAllStackTraces().keySet().stream()'
                                          '.filter(t -> t.getName().startsWith("layerlab-parallel"))'
                                          '.map(t -> t.getName() + " " + t.getState()).sorted()'
                                          '.collect(Collectors.toList())'))


def damaged_files(work):
    npy = os.path.join(work, 'huge.npy')
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1500000000,), }"
    header += ' ' * (64 - (10 + len(header) + 1) % 64) + '\n'
    with open(npy, 'wb') as f:
        f.write(b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header.encode() + bytes(64))
    mnist = os.path.join(work, 'mnist')
    os.makedirs(mnist, exist_ok=True)
    with open(os.path.join(mnist, 'train-images-idx3-ubyte'), 'wb') as f:
        f.write(struct.pack('>IIII', 0x803, 2, 65536, 65536) + bytes(8))
    with open(os.path.join(mnist, 'train-labels-idx1-ubyte'), 'wb') as f:
        f.write(struct.pack('>II', 0x801, 2) + bytes(2))
    return npy, mnist


def kernel_cases(km, kc, work):
    pid = km.provisioner.process.pid
    OBS['pid'] = pid
    OBS['cpus'] = len(os.sched_getaffinity(pid))
    # two threads whatever the machine has (a CI runner may give the kernel one CPU): the helper
    # thread whose spinning the interrupts below look for exists
    OBS['threads'] = summary(run(kc, 'layerlab.backend.cpu.Parallel.setThreads(2);\n'
                                     'Runtime.getRuntime().availableProcessors() + " " + layerlab.backend.cpu.Parallel.threads()'))
    interrupt_and_measure(km, kc, pid, 'var conv = new Conv2d(64, 64, 3, 1, 1);\nvar img = Tensor.randn(16, 64, 56, 56);\n'
                          'while (true) { conv.forward(img); }', 'conv')
    interrupt_and_measure(km, kc, pid, 'var pool = new MaxPool(2, 2);\nvar maps = Tensor.randn(32, 64, 112, 112);\n'
                          'while (true) { pool.forward(maps); }', 'maxpool')

    cases = [
        ('kept', 'int kept = 41;'),
        ('setout_null', 'System.setOut(null);'),
        ('after_setout', 'System.out.println("out is back"); kept + 1'),
        ('null_all', 'System.setErr(null); System.setIn(null); System.setOut(null); System.out.println("never");'),
        ('after_null_all', 'System.err.println("err is back"); System.out.println("out is back"); kept'),
        ('close', 'System.out.close(); System.out.println("printed after close");'),
        ('after_close', 'System.out.println("out still open"); kept'),
        ('survivor', 'int survivor = 7;'),
        ('exit', 'System.out.println("before exit");\nSystem.exit(3);\nSystem.out.println("after exit");'),
        ('after_exit', 'survivor'),
        ('halt', 'Runtime.getRuntime().halt(1);'),
        ('after_halt', 'survivor + 1'),
        ('exit_reflection', 'System.class.getMethod("exit", int.class).invoke(null, 4);'),
        ('exit_reference', 'IntConsumer quit = System::exit;\nquit.accept(5);'),
        ('exit_catch', 'try { System.exit(6); } catch (Exception e) { System.out.println("caught"); }\n"ran on"'),
        ('exit_thread', 'var quitter = new Thread(() -> System.exit(7), "quitter");\nquitter.start();\nquitter.join();\n'
                        '"still " + survivor'),
        ('after_exits', 'survivor * 6'),
    ]
    for key, code in cases:
        OBS[key] = summary(run(kc, code))

    # a 30 MB print: every stream message before the reply and the idle status; the text whole
    r = run(kc, 'String big = ' + BIG % 300_000 + ';\nSystem.out.print(big);', 300)
    text = ''.join(m['content']['text'] for m in r['messages'] if m['type'] == 'stream' and m['mine'])
    OBS['print30'] = summary(r)
    OBS['print30']['md5'] = hashlib.md5(text.encode()).hexdigest()
    OBS['print30']['expected_md5'] = hashlib.md5(big_text(300_000).encode()).hexdigest()
    OBS['print30']['total'] = len(text)
    OBS['print3'] = []
    for _ in range(5):
        OBS['print3'].append(summary(run(kc, 'System.out.print(' + BIG % 30_000 + ');')))

    # a cell's own threads
    OBS['ticker'] = summary(run(kc, 'var ticker = new Thread(() -> {\n'
                                    '    for (int i = 0; ; i++) {\n'
                                    '        System.out.println("tick " + i);\n'
                                    '        try { Thread.sleep(200); } catch (InterruptedException e) { System.out.println("ticker stopped"); return; }\n'
                                    '    }\n'
                                    '}, "ticker");\nticker.start();\nThread.sleep(500);'))
    OBS['quiet'] = summary(run(kc, 'Thread.sleep(1200);\n"quiet cell"'))
    OBS['stubborn'] = summary(run(kc, 'var keepGoing = new java.util.concurrent.atomic.AtomicBoolean(true);\n'
                                      'var stubborn = new Thread(() -> {\n'
                                      '    while (keepGoing.get()) { try { Thread.sleep(50); } catch (InterruptedException e) { } }\n'
                                      '}, "stubborn");\nstubborn.start();'))
    msg_id = kc.execute('System.out.println("running");\nThread.sleep(600_000);', allow_stdin=False)
    time.sleep(1.5)
    km.interrupt_kernel()
    OBS['interrupt_threads'] = summary(collect(kc, msg_id, 60))
    OBS['after_interrupt_threads'] = summary(run(kc, 'keepGoing.set(false); stubborn.join(5000);\n'
                                                     'ticker.isAlive() + " " + stubborn.isAlive()'))

    npy, mnist = damaged_files(work)
    for key, code in [
        ('timeit_bad', '%timeit 1 +'),
        ('unknown_symbol', 'int y = undefinedThing + 1;'),
        ('show_null', 'show((Tensor) null)'),
        ('npy_missing', 'Npy.load(Path.of("no-such-file.npy"))'),
        ('npy_huge', 'Npy.load(Path.of("' + npy + '"))'),
        ('linear_huge', 'new Linear(46341, 46341)'),
        ('mnist_huge', 'FashionMnist.load(Path.of("' + mnist + '"), FashionMnist.Split.TRAIN, 10)'),
        ('final', 'kept + survivor'),
    ]:
        OBS[key] = summary(run(kc, code))
    OBS['alive'] = km.is_alive()


def notebook_case(name, work):
    """The 30 MB print through nbclient (what nbconvert --execute runs), written and read back."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('int n = 3;'),
                nbformat.v4.new_code_cell('System.out.print(' + BIG % 300_000 + ');'),
                nbformat.v4.new_code_cell('n * 14')]
    NotebookClient(nb, kernel_name=name, timeout=600).execute()
    path = os.path.join(work, 'print30.ipynb')
    nbformat.write(nb, path)
    back = nbformat.read(path, as_version=4)
    outs = back.cells[1].outputs
    text = ''.join(o.get('text', '') for o in outs if o.output_type == 'stream')
    OBS['notebook'] = {'outputs': [o.output_type + '/' + o.get('name', '') for o in outs],
                       'total': len(text), 'md5': hashlib.md5(text.encode()).hexdigest(),
                       'expected_md5': hashlib.md5(big_text(300_000).encode()).hexdigest(),
                       'last': back.cells[2].outputs[0]['data']['text/plain'] if back.cells[2].outputs else None}


def main():
    name, work, out = sys.argv[1], sys.argv[2], sys.argv[3]
    km = KernelManager(kernel_name=name)
    km.start_kernel(cwd=work)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        kernel_cases(km, kc, work)
    except Exception:
        traceback.print_exc()
        OBS['probe_error'] = traceback.format_exc()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    if 'probe_error' not in OBS:
        try:
            notebook_case(name, work)
        except Exception:
            traceback.print_exc()
            OBS['probe_error'] = traceback.format_exc()
    with open(out, 'w') as f:
        json.dump(OBS, f, indent=1, default=str)
    sys.exit(2 if 'probe_error' in OBS else 0)


if __name__ == '__main__':
    main()
