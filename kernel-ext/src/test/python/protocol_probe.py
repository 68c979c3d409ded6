#!/usr/bin/python3
"""Drives a layerlab kernel through a real Jupyter client and records what it answers.

Usage: protocol_probe.py KERNEL_NAME OUT.json

Starts the kernel from its kernelspec with jupyter_client's KernelManager, runs a fixed list of
probes (execute, streaming, errors, interrupts, bad signatures, completion, inspection,
is_complete, display, magics) and writes the raw observations as JSON. The assertions live in
ProtocolTest.java, which runs this script; this script only fails if the kernel cannot be driven
at all (exit 2, message on stderr).
"""
import json
import sys
import time
import traceback

from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

OBS = {}
# threads still running a cell's code or a parallel loop's iterations (an idle helper of
# layerlab's Parallel waits in Parallel$Helper and runs nothing)
THREADS_CELL = (
    'Thread.getAllStackTraces().entrySet().stream()'
    '.filter(e -> e.getKey() != Thread.currentThread())'
    '.filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith("REPL.")'
    ' || f.getClassName().startsWith("layerlab.backend.cpu.Parallel$Loop")))'
    '.map(e -> e.getKey().getName() + " " + e.getKey().getState())'
    '.collect(Collectors.toList())'
)


def collect(kc, msg_id, timeout=60.0):
    """IOPub messages of one request until its idle status, and its shell reply."""
    outputs = []
    deadline = time.time() + timeout
    idle = False
    while not idle and time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=max(0.05, deadline - time.time()))
        except Exception:
            break
        if m['parent_header'].get('msg_id') != msg_id:
            continue
        t = m['msg_type']
        if t == 'status':
            if m['content']['execution_state'] == 'idle':
                idle = True
            continue
        outputs.append({'type': t, 'content': m['content'], 't': time.time()})
    reply = None
    while time.time() < deadline + 5:
        try:
            r = kc.get_shell_msg(timeout=max(0.05, deadline + 5 - time.time()))
        except Exception:
            break
        if r['parent_header'].get('msg_id') == msg_id:
            reply = {'content': r['content'], 't': time.time()}
            break
    return {'outputs': outputs, 'reply': reply, 'idle': idle}


def run(kc, code, timeout=60.0):
    t0 = time.time()
    msg_id = kc.execute(code, allow_stdin=False)
    r = collect(kc, msg_id, timeout)
    r['sent'] = t0
    return r


def wait_for_stream(kc, msg_id, text, timeout=60.0):
    """Waits until the cell has printed `text` (so it is running); keeps the messages seen."""
    seen = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=max(0.05, deadline - time.time()))
        except Exception:
            break
        if m['parent_header'].get('msg_id') != msg_id:
            continue
        seen.append(m)
        if m['msg_type'] == 'stream' and text in m['content']['text']:
            return seen
    raise RuntimeError(f'the cell never printed {text!r}')


def interrupt_case(km, kc, code, label):
    msg_id = kc.execute('System.out.println("running");\n' + code, allow_stdin=False)
    wait_for_stream(kc, msg_id, 'running')
    time.sleep(0.5)
    t_int = time.time()
    km.interrupt_kernel()
    r = collect(kc, msg_id, 30)
    r['interrupt_sent'] = t_int
    r['stop_seconds'] = (r['reply']['t'] - t_int) if r['reply'] else None
    OBS['interrupt_' + label] = r
    OBS['threads_after_' + label] = run(kc, THREADS_CELL)
    OBS['after_' + label] = run(kc, '6 * 7')


def raw_request(kc, channel, frames_builder):
    sock = getattr(kc, channel + '_channel').socket
    sock.send_multipart(frames_builder())


def main():
    name, out = sys.argv[1], sys.argv[2]
    km = KernelManager(kernel_name=name)
    t0 = time.time()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        OBS['startup_seconds'] = time.time() - t0
        OBS['kernelspec'] = {'interrupt_mode': km.kernel_spec.interrupt_mode,
                             'display_name': km.kernel_spec.display_name}

        msg_id = kc.kernel_info()
        OBS['kernel_info'] = collect(kc, msg_id, 30)['reply']

        OBS['expr'] = run(kc, '1 + 2')
        OBS['multi'] = run(kc, 'int a = 5;\nint b = a * 2;\nString greet(String who) { return "hi " + who; }\ngreet("x") + " " + (b + 1)')
        OBS['redefine'] = run(kc, 'int a = 7;\nString greet(String who) { return "hello " + who; }\ngreet("y") + " " + a')
        OBS['declaration_only'] = run(kc, 'int c = 3;')
        OBS['string_value'] = run(kc, '"text"')
        OBS['stream'] = run(kc, 'for (int i = 0; i < 3; i++) { System.out.println("tick " + i); Thread.sleep(1000); }')
        OBS['stderr'] = run(kc, 'System.err.println("to stderr"); System.out.println("to stdout");')
        OBS['compile_error'] = run(kc, 'int bad = "s";')
        OBS['compile_error_line'] = run(kc, 'int ok1 = 1;\n%seed 3\nint ok2 = 2;\n\nint bad2 = "s";')
        OBS['exception'] = run(kc, 'int parse(String s) { return Integer.parseInt(s); }\nparse("abc")')
        OBS['recovery'] = run(kc, '40 + 2')
        # a cell's statements compiled together: values, what later cells see, errors mid-cell
        OBS['batch'] = run(kc, 'int ba = 1;\nba += 2;\nba *= 3;\nfor (int i = 0; i < 4; i++) ba++;\n'
                               'if (ba > 0) System.out.println("ba=" + ba);\nint bb = ba * 10;\n'
                               'bb++;\nbb++;\nString bs = "s" + bb;\nbs.length()')
        OBS['batch_later'] = run(kc, 'ba + " " + bb + " " + bs')
        OBS['batch_runtime_error'] = run(kc, 'int bc = 0;\nbc++;\n\nbc++;\nInteger.parseInt("x" + bc);\nbc = 100;')
        OBS['batch_runtime_after'] = run(kc, 'bc')
        OBS['batch_compile_error'] = run(kc, 'int bd = 0;\nbd++;\nbd = "s";\nbd++;')
        OBS['batch_compile_after'] = run(kc, 'bd')
        OBS['batch_expression_statements'] = run(kc, 'int be = 1;\nMath.max(be, 2);\nbe + 1;\nbe++;\nbe')
        lab = []
        for i in range(20):
            lab += [f'Tensor bx{i} = Tensor.randn(4, 8);', f'Linear bf{i} = new Linear(8, 3);',
                    f'Tensor by{i} = bf{i}.forward(bx{i});', f'double bsum{i} = 0;',
                    'for (int j = 0; j < 3; j++) {', f'    bsum{i} += by{i}.get(0, j);', '}',
                    f'if (bsum{i} > 1e9) System.out.println("big");',
                    f'bsum{i} = bsum{i} * 2;', f'System.out.println("group {i}: " + bsum{i});']
        lab.append('by19.shape()[1]')
        OBS['batch_lab200_lines'] = len(lab)
        OBS['batch_lab200'] = run(kc, '\n'.join(lab), timeout=120)
        OBS['slf4j'] = run(kc, 'org.slf4j.LoggerFactory.getLogger("probe").warn("a library warning, marker 7f3a");\n'
                               'java.util.logging.Logger.getLogger("probe").severe("a JUL message, marker 9c1e");')
        # stop_on_error: an execute queued behind a failing cell is aborted, unless the flag is off
        first = kc.execute('throw new IllegalStateException("stop here");')
        queued = kc.execute('"queued cell ran"')
        OBS['abort_first'] = collect(kc, first, 30)
        OBS['abort_queued'] = collect(kc, queued, 30)
        first = kc.execute('throw new IllegalStateException("keep going");', stop_on_error=False)
        queued = kc.execute('"queued cell ran"')
        OBS['noabort_first'] = collect(kc, first, 30)
        OBS['noabort_queued'] = collect(kc, queued, 30)
        OBS['tensor'] = run(kc, 'var x = Tensor.randn(2, 3, 4, 4);\nArrays.toString(x.shape())')

        interrupt_case(km, kc, 'long n = 0;\nwhile (true) { n++; }', 'busy')
        interrupt_case(km, kc, 'Thread.sleep(600_000);', 'sleep')
        interrupt_case(km, kc, 'layerlab.backend.cpu.Parallel.forRange(Integer.MAX_VALUE, 1, i -> Thread.onSpinWait());', 'library')

        # a request signed with the wrong key, then a good one
        bad = Session(key=b'definitely-not-the-key', username='probe')
        bad_msg = bad.msg('kernel_info_request', {})
        bad.send(kc.shell_channel.socket, bad_msg)
        good_id = kc.kernel_info()
        OBS['bad_signature'] = {'bad_id': bad_msg['header']['msg_id'], 'good_id': good_id,
                                'replies': drain_shell(kc, 3.0)}

        # a request with no signature at all, then a good one
        s = kc.session
        hdr = s.msg_header('kernel_info_request')
        frames = [b'<IDS|MSG>', b'', s.pack(hdr), b'{}', b'{}', b'{}']
        kc.shell_channel.socket.send_multipart(frames)
        good_id = kc.kernel_info()
        OBS['missing_signature'] = {'bad_id': hdr['msg_id'], 'good_id': good_id,
                                    'replies': drain_shell(kc, 3.0)}

        # the same on the control channel
        bad_msg = bad.msg('kernel_info_request', {})
        bad.send(kc.control_channel.socket, bad_msg)
        good = kc.session.msg('kernel_info_request', {})
        kc.control_channel.send(good)
        OBS['control_bad_signature'] = {'bad_id': bad_msg['header']['msg_id'], 'good_id': good['header']['msg_id'],
                                        'replies': drain_control(kc, 3.0)}
        OBS['after_bad_signatures'] = run(kc, '"still here"')

        msg_id = kc.complete('System.out.pri', 14)
        OBS['complete'] = collect(kc, msg_id, 30)['reply']
        msg_id = kc.complete('int q = 1;\nSystem.out.pri', 25)
        OBS['complete_multi'] = collect(kc, msg_id, 30)['reply']
        msg_id = kc.inspect('System.out.println', 18)
        OBS['inspect'] = collect(kc, msg_id, 30)['reply']
        msg_id = kc.inspect('Math.max', 5)
        OBS['inspect_mid'] = collect(kc, msg_id, 30)['reply']
        msg_id = kc.inspect('x', 1)
        OBS['inspect_var'] = collect(kc, msg_id, 30)['reply']
        for key, code in [('incomplete', 'for (int i = 0; i < 3; i++) {'),
                          ('complete', 'int z = 1;'),
                          ('nested', 'void f() {\n  if (true) {')]:
            msg_id = kc.is_complete(code)
            OBS['is_complete_' + key] = collect(kc, msg_id, 30)['reply']

        OBS['display'] = run(kc, 'String id = display("first");\nThread.sleep(200);\nupdateDisplay(id, "second");\nid')
        OBS['image'] = run(kc, 'var img = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);\nimg')
        OBS['display_data'] = run(kc, 'var dd = new io.github.spencerpark.jupyter.kernel.display.DisplayData("plain");\ndd.putHTML("<b>bold</b>");\ndd')
        OBS['renderable'] = run(kc, 'class Fancy implements io.github.spencerpark.jupyter.kernel.display.DisplayDataRenderable {\n'
                                    '    public void render(io.github.spencerpark.jupyter.kernel.display.RenderContext ctx) {\n'
                                    '        ctx.getOutputContainer().putHTML("<i>fancy</i>");\n'
                                    '    }\n'
                                    '}\n'
                                    'new Fancy()')
        # %classpath with a folder under ~ holding a freshly compiled class
        made = run(kc, 'var cpDir = Files.createTempDirectory(Path.of(System.getProperty("user.home")), "layerlab-cp-");\n'
                       'Files.createDirectories(cpDir.resolve("src/demo"));\n'
                       'Files.writeString(cpDir.resolve("src/demo/Hello.java"), "package demo; public class Hello { public static String hi() { return \\"hi from the class path\\"; } }");\n'
                       'int javac = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", cpDir.resolve("classes").toString(), cpDir.resolve("src/demo/Hello.java").toString());\n'
                       'cpDir.getFileName() + " " + javac')
        OBS['classpath_setup'] = made
        folder = made['outputs'][-1]['content']['data']['text/plain'].split()[0]
        OBS['classpath_add'] = run(kc, '%classpath ~/' + folder + '/classes')
        OBS['classpath_use'] = run(kc, 'demo.Hello.hi()')
        run(kc, 'try (var w = Files.walk(cpDir)) { w.sorted(Comparator.reverseOrder()).forEach(q -> q.toFile().delete()); }')
        # System.in asks the front end (input_request on the stdin channel)
        msg_id = kc.execute('new BufferedReader(new InputStreamReader(System.in)).readLine() + "!"', allow_stdin=True)
        req = kc.get_stdin_msg(timeout=30)
        kc.input('typed text')
        OBS['stdin'] = collect(kc, msg_id, 30)
        OBS['stdin_request'] = {'type': req['msg_type'], 'parent': req['parent_header'].get('msg_id'), 'sent_id': msg_id}
        OBS['timeit'] = run(kc, '%timeit -n 100 -r 3 Math.sqrt(2.0)')
        OBS['timeit_auto'] = run(kc, '%timeit Math.sqrt(2.0)')
        OBS['timeit_statement'] = run(kc, 'double[] buf = new double[1000];\n%timeit -r 2 Arrays.fill(buf, 1.0)')
        OBS['timeit_cell'] = run(kc, '%%timeit -n 5 -r 2\nint s = 0;\nfor (int k = 0; k < 100; k++) { s += k; }')
        OBS['timeit_compact'] = run(kc, '%timeit -n10 -r2 Math.sqrt(2.0)')
        OBS['timeit_bad_option'] = run(kc, '%timeit -q Math.sqrt(2.0)')
        OBS['timeit_bad'] = run(kc, '%timeit -n zero Math.sqrt(2.0)')
        OBS['unknown_magic'] = run(kc, '%nosuchmagic 1 2')
        OBS['classpath_missing'] = run(kc, '%classpath /no/such/place/lib.jar')
        OBS['seed'] = run(kc, '%seed 7\nSeeds.base()')
        OBS['seed_bad'] = run(kc, '%seed seven')
        OBS['device'] = run(kc, '%device')
        OBS['device_opencl'] = run(kc, '%device opencl')
        OBS['device_moved'] = run(kc, 'Tensor.ones(2, 3).to(device()).device()')
        OBS['device_cpu'] = run(kc, '%device cpu')
        OBS['device_bad'] = run(kc, '%device tpu')
        OBS['layers'] = run(kc, '%%layers\nvar net = new Sequential(new ReLU(), new MaxPool(2, 2));\n'
                                'net.forward(Tensor.randn(1, 2, 4, 4)).numel()')
        OBS['layers_none'] = run(kc, '%%layers\n2 * 21')
        OBS['layers_bad'] = run(kc, '%%layers now\n1')
        OBS['final'] = run(kc, '1 + 1')
    except Exception:
        traceback.print_exc()
        OBS['probe_error'] = traceback.format_exc()
    finally:
        try:
            kc.stop_channels()
            t_stop = time.time()
            km.shutdown_kernel(now=False)
            OBS['shutdown_seconds'] = time.time() - t_stop
        except Exception:
            km.shutdown_kernel(now=True)
    with open(out, 'w') as f:
        json.dump(OBS, f, indent=1, default=str)
    sys.exit(2 if 'probe_error' in OBS else 0)


def drain_shell(kc, seconds):
    replies = []
    end = time.time() + seconds
    while time.time() < end:
        try:
            m = kc.get_shell_msg(timeout=0.2)
            replies.append({'parent_id': m['parent_header'].get('msg_id'), 'type': m['msg_type'],
                            'content': m['content']})
        except Exception:
            pass
    return replies


def drain_control(kc, seconds):
    replies = []
    end = time.time() + seconds
    while time.time() < end:
        try:
            m = kc.get_control_msg(timeout=0.2)
            replies.append({'parent_id': m['parent_header'].get('msg_id'), 'type': m['msg_type'],
                            'content': m['content']})
        except Exception:
            pass
    return replies


if __name__ == '__main__':
    main()
