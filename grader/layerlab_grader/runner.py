"""Runs one notebook in its own kernel with time and memory limits, surviving what the cells do.

The kernel is a *grading copy* of the installed kernelspec (``layerlab`` unless told otherwise):
the same argv with ``-Xmx<heap>`` and ``-XX:+ExitOnOutOfMemoryError`` put after the java
executable, written to a private kernels folder, so the JVM's heap is capped and running out of
it ends the kernel instead of leaving it half-working.

Each code cell gets the per-cell limit (or what is left of the per-notebook limit). A cell that
times out, or during which the kernel dies (``System.exit``, out of memory, a crash), gets an
error output saying so; the kernel is then started afresh and the code cells that succeeded
before it are run again (their outputs discarded), and execution goes on with the next cell.
A cell that failed is never replayed.
"""
import asyncio
import copy
import json
import os
import re
import time

import nbformat
from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

HEAP = re.compile(r'^[1-9][0-9]*[kKmMgG]?$')
MAX_RESTARTS = 20
MAX_OUTPUT_CHARS = 100_000
IOPUB_TIMEOUT = 30   # seconds to wait for a cell's outputs after its reply (nbclient's default, 4, is short on a loaded machine)


class GraderError(Exception):
    """The grader itself cannot run (no kernelspec, the kernel does not start): not the student's fault."""


def grading_kernelspec(base_name, heap, kernels_dir, log_path):
    """Writes the grading copy of kernelspec ``base_name``; returns (name, argv)."""
    if not HEAP.match(heap):
        raise GraderError(f'--heap {heap!r}: expected a JVM size such as 512m or 2g')
    try:
        spec = KernelSpecManager().get_kernel_spec(base_name)
    except NoSuchKernel:
        raise GraderError(f'no kernelspec {base_name!r} installed (run ./lab kernel; JUPYTER_DATA_DIR='
                          f'{os.environ.get("JUPYTER_DATA_DIR", "(default)")})') from None
    rest = [a for a in spec.argv[1:] if not a.startswith('-Xmx') and a != '-XX:+ExitOnOutOfMemoryError']
    argv = [spec.argv[0], f'-Xmx{heap}', '-XX:+ExitOnOutOfMemoryError'] + rest
    name = base_name + '-grading'
    folder = os.path.join(kernels_dir, name)
    os.makedirs(folder, exist_ok=True)
    env = dict(spec.env or {})
    env['LAYERLAB_LOG'] = log_path
    with open(os.path.join(folder, 'kernel.json'), 'w', encoding='utf-8') as f:
        json.dump({'argv': argv, 'display_name': spec.display_name + ' (grading)', 'language': spec.language,
                   'interrupt_mode': spec.interrupt_mode, 'env': env,
                   'metadata': {'layerlab': {'grading_copy_of': spec.resource_dir, 'heap': heap}}}, f, indent=2)
    return name, argv


def error_output(ename, evalue):
    return nbformat.v4.new_output('error', ename=ename, evalue=evalue, traceback=[f'{ename}: {evalue}'])


class NotebookRun:
    """One notebook's execution: ``await run()`` fills every code cell's outputs."""

    def __init__(self, nb, kernel_name, kernels_dir, cwd, console_path, cell_timeout, notebook_timeout,
                 pid_file=None, startup_timeout=120):
        self.nb = nb
        self.kernel_name = kernel_name
        self.kernels_dir = kernels_dir
        self.cwd = cwd
        self.console_path = console_path
        self.cell_timeout = cell_timeout
        self.notebook_timeout = notebook_timeout
        self.pid_file = pid_file
        self.startup_timeout = startup_timeout
        self.client = None
        self.restarts = 0
        self.notes = []          # what happened beyond the cells' own outputs, for the report
        self.deadline = None

    async def run(self):
        succeeded = []
        await self._start()
        self.deadline = time.monotonic() + self.notebook_timeout   # the first start-up is the grader's, not the notebook's
        try:
            for index, cell in enumerate(self.nb.cells):
                if cell.cell_type != 'code' or not cell.source.strip():
                    continue
                outcome = await self._run_cell(cell, index)
                if outcome == 'ok':
                    succeeded.append(index)
                elif outcome in ('timeout', 'dead'):
                    await self._recover(succeeded, index)
                _trim(cell)
        finally:
            await self._stop()

    async def _run_cell(self, cell, index):
        left = self.deadline - time.monotonic()
        if left <= 1:
            cell.outputs = [error_output('NotebookTimeout', f'not run: the notebook used up its {self.notebook_timeout:g} s')]
            return 'skipped'
        if self.client is None:
            cell.outputs = [error_output('KernelUnavailable', 'not run: the kernel could not be restarted '
                                         f'after {self.restarts} restarts')]
            return 'skipped'
        limit = min(self.cell_timeout, left)
        outcome = await self._execute(cell, index, limit)
        if outcome == 'timeout':
            within = (f'{limit:g} s' if limit == self.cell_timeout
                      else f'the {limit:.0f} s left of the notebook\'s {self.notebook_timeout:g} s')
            cell.outputs.append(error_output('CellTimeoutError', f'the cell did not finish within {within} and was '
                                             'stopped: look for a loop that never ends'))
        elif outcome == 'dead':
            cell.outputs.append(error_output('DeadKernelError', await self._death_reason()))
        return outcome

    async def _execute(self, cell, index, limit):
        self.client.timeout = max(1, int(limit))
        try:
            await self.client.async_execute_cell(cell, index)
        except CellTimeoutError:
            return 'timeout'
        except DeadKernelError:
            return 'dead'
        return 'error' if any(o.get('output_type') == 'error' for o in cell.outputs) else 'ok'

    async def _recover(self, succeeded, failed_index):
        """A fresh kernel with the successful cells before ``failed_index`` run again."""
        await self._stop()
        while self.restarts < MAX_RESTARTS and time.monotonic() < self.deadline:
            self.restarts += 1
            try:
                await self._start()
            except GraderError as e:
                self.notes.append(f'restart {self.restarts} failed: {e}')
                continue
            if await self._replay(succeeded, failed_index):
                return
        if time.monotonic() >= self.deadline:
            self.notes.append(f'the notebook used up its {self.notebook_timeout:g} s; the kernel was not restarted')
        else:
            self.notes.append(f'gave up after {self.restarts} kernel restarts')
        self.client = None

    async def _replay(self, succeeded, failed_index):
        # NOTE: the failed cell is not replayed, so what it drew from the default seeds (%seed) is
        # not drawn again: later cells get other (still seeded, so repeatable) random numbers than
        # in an uninterrupted run.
        for index in succeeded:
            original = self.nb.cells[index]
            scratch = copy.deepcopy(original)
            limit = min(self.cell_timeout, self.deadline - time.monotonic())
            outcome = await self._execute(scratch, index, limit) if limit > 1 else 'timeout'
            self.nb.cells[index] = original
            if outcome != 'ok':
                self.notes.append(f'after cell {failed_index} failed, replaying cell {index} in the new kernel '
                                  f'gave "{outcome}"; grading went on')
                if outcome in ('timeout', 'dead'):
                    await self._stop()
                    return False
        self.notes.append(f'kernel restarted after cell {failed_index}; {len(succeeded)} earlier cell(s) replayed')
        return True

    async def _start(self):
        ksm = KernelSpecManager(kernel_dirs=[self.kernels_dir])
        km = AsyncKernelManager(kernel_name=self.kernel_name, kernel_spec_manager=ksm)
        client = NotebookClient(self.nb, km=km, allow_errors=True, interrupt_on_timeout=False,
                                startup_timeout=self.startup_timeout, shutdown_kernel='immediate',
                                record_timing=False, iopub_timeout=IOPUB_TIMEOUT, on_cell_executed=_error_from_reply)
        console = open(self.console_path, 'ab')
        try:
            await client.async_start_new_kernel(cwd=self.cwd, stdout=console, stderr=console)
            if self.pid_file:
                with open(self.pid_file, 'a', encoding='utf-8') as f:
                    f.write(f'{km.provisioner.pid}\n')
            await client.async_start_new_kernel_client()
            await self._warm_up(client)
        except Exception as e:  # a missing java, a kernel that exits at start-up, a start-up timeout
            await _shutdown(km, client)
            raise GraderError(f'the kernel {self.kernel_name!r} did not start: {type(e).__name__}: {e}; '
                              f'its console: {_tail(self.console_path)}') from None
        finally:
            console.close()
        self.client = client

    async def _warm_up(self, client):
        """Waits until the kernel runs code: it answers at once but starts JShell in the background, and
        that start-up (seconds on a loaded machine) is not the first cell's time."""
        msg_id = client.kc.execute('', silent=True, store_history=False)
        deadline = time.monotonic() + self.startup_timeout
        while True:
            reply = await client.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply['parent_header'].get('msg_id') == msg_id:
                return

    async def _stop(self):
        if self.client is not None:
            await _shutdown(self.client.km, self.client)
            self.client = None

    async def _death_reason(self):
        code = None
        km = self.client.km if self.client else None
        if km is not None and km.provisioner is not None:
            code = await km.provisioner.poll()
        tail = _tail(self.console_path)
        if 'OutOfMemoryError' in tail:
            return 'the kernel ran out of memory (the JVM heap limit) while this cell ran and was restarted'
        if code == 0:
            return ('the kernel process exited (status 0) while this cell ran: the code called System.exit, '
                    'which ends the whole notebook; never call it in a cell')
        return f'the kernel process died (exit status {code}) while this cell ran and was restarted'


def _error_from_reply(cell, cell_index, execute_reply):
    """A failed cell whose error output never arrived (IOPub is a separate socket) still fails."""
    content = (execute_reply or {}).get('content', {})
    if content.get('status') == 'error' and not any(o.get('output_type') == 'error' for o in cell.outputs):
        cell.outputs.append(nbformat.v4.new_output('error', ename=content.get('ename', 'Error'),
                                                   evalue=content.get('evalue', ''), traceback=content.get('traceback', [])))


async def _shutdown(km, client):
    try:
        if client.kc is not None:
            client.kc.stop_channels()
    finally:
        if km.has_kernel:
            await km.shutdown_kernel(now=True)
        await km.cleanup_resources()


def _tail(path, chars=800):
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            text = f.read()
    except FileNotFoundError:
        return '(none)'
    return text[-chars:].strip() or '(empty)'


def _trim(cell):
    """Keeps a cell's text outputs under MAX_OUTPUT_CHARS each, saying where it cut."""
    for out in cell.outputs:
        if out.get('output_type') == 'stream' and len(out.get('text', '')) > MAX_OUTPUT_CHARS:
            out['text'] = out['text'][:MAX_OUTPUT_CHARS] + f'\n... (output cut at {MAX_OUTPUT_CHARS} characters by the grader)\n'


def run_notebook(nb, **kw):
    """Runs ``nb`` in place (see NotebookRun); returns the run (restarts, notes)."""
    run = NotebookRun(nb, **kw)
    asyncio.run(run.run())
    return run
