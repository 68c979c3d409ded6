// The numbering a student sees in the real Notebook UI (issue 11): Debian's classic Jupyter
// Notebook (6.x) serves a notebook on the installed layerlab kernel, Debian's chromium opens it
// (driven by playwright-core, no browser download), and the menus run it as a student would:
// Cell -> Run All, then Kernel -> Restart & Run All. After each, the code cells must read
// In [1] .. In [n] in order, every result Out[k] beside its In [k], and no cell an error or stderr.
//
//   node scripts/ui/notebook_numbering.mjs [--kernel NAME] [--shot PNG] [NOTEBOOK.ipynb ...]
//
// Without notebooks it checks a small one of its own (statements, a declaration, a print, a
// result, Markdown between). Exit 0: every check held; 1: a check failed (what the page showed is
// printed, and a screenshot kept under target/ui/); 2: bad arguments or a missing part.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve, dirname } from 'node:path';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const PYTHON = process.env.LAYERLAB_PYTHON || '/usr/bin/python3';
const CHROMIUM = process.env.LAYERLAB_CHROMIUM || '/usr/bin/chromium';
const CELL_TIMEOUT_MS = Number(process.env.LAYERLAB_UI_TIMEOUT_S || 240) * 1000;

function usage(msg) {
  if (msg) console.error(`notebook_numbering: ${msg}`);
  console.error('usage: node scripts/ui/notebook_numbering.mjs [--kernel NAME] [--shot PNG] [NOTEBOOK.ipynb ...]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { kernel: process.env.LAYERLAB_KERNEL || 'layerlab', shot: null, notebooks: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--kernel' || a === '--shot') {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      opts[a.slice(2)] = argv[++i];
    } else if (a === '-h' || a === '--help') {
      usage();
    } else if (a.startsWith('-')) {
      usage(`unknown option ${a}`);
    } else {
      if (!a.endsWith('.ipynb')) usage(`${a}: expected a .ipynb notebook`);
      if (!existsSync(a)) usage(`${a}: no such notebook`);
      opts.notebooks.push(resolve(a));
    }
  }
  return opts;
}

/** The check's own notebook: what a lab's first cells do, with Markdown between them. */
function fixture(kernel) {
  const code = (src) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: src });
  const md = (src) => ({ cell_type: 'markdown', metadata: {}, source: src });
  return {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: kernel, display_name: 'Java (layerlab)', language: 'java' },
                language_info: { name: 'java' } },
    cells: [
      md('# Нумерация ячеек\nПервая ячейка ядра должна быть `In [1]`.'),
      code('var x = Tensor.randn(2, 3);\nx.shape()'),
      code('System.out.println("печать из ячейки");\nint n = 5;'),
      md('Ещё текст между ячейками.'),
      code('n * 2'),
      code('var relu = new ReLU();\nrelu.forward(x).shape()'),
    ].map((c, i) => ({ id: `ui-${i}`, ...c })),
  };
}

function freePort() {
  return new Promise((ok, bad) => {
    const s = createServer();
    s.once('error', bad);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, fn, timeoutMs, stepMs = 250) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e; }
    await sleep(stepMs);
  }
  throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}` +
                  (last instanceof Error ? ` (last error: ${last.message})` : ''));
}

/** Starts Debian's Jupyter Notebook on `dir`; resolves to { url, token, stop }. */
async function startNotebook(dir, logFile) {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const args = ['-m', 'notebook', '--no-browser', `--port=${port}`, '--ip=127.0.0.1',
                `--notebook-dir=${dir}`, `--NotebookApp.token=${token}`, '--NotebookApp.open_browser=False'];
  if (process.getuid && process.getuid() === 0) args.push('--allow-root');
  const log = [];
  const server = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  server.stdout.on('data', (d) => log.push(d.toString()));
  server.stderr.on('data', (d) => log.push(d.toString()));
  let exited = null;
  server.on('exit', (code) => { exited = code; });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor('Jupyter Notebook to answer', async () => {
      if (exited !== null) throw new Error(`jupyter notebook exited with ${exited}:\n${log.join('')}`);
      const r = await fetch(`${url}/api/status?token=${token}`);
      return r.ok;
    }, 60_000);
  } catch (e) {
    server.kill('SIGKILL');
    throw e;
  }
  const stop = async () => {
    try {  // shut the kernels down through the API first, so none outlives the server
      const r = await fetch(`${url}/api/sessions?token=${token}`);
      for (const s of r.ok ? await r.json() : []) {
        await fetch(`${url}/api/sessions/${s.id}?token=${token}`, { method: 'DELETE' });
      }
    } catch { /* the server is already gone */ }
    if (exited === null) {
      server.kill('SIGTERM');
      for (let i = 0; i < 40 && exited === null; i++) await sleep(250);
      if (exited === null) server.kill('SIGKILL');
    }
    writeFileSync(logFile, log.join(''));
  };
  return { url, token, stop };
}

/** The code cells as the page shows them: prompt numbers, Out numbers, errors, outputs' text. */
function readCells(page) {
  return page.evaluate(() => {
    const cells = Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code');
    return cells.map((c, i) => {
      const el = c.element[0];
      const prompt = (el.querySelector('.input_prompt')?.innerText || '').replace(/\s+/g, ' ').trim();
      const outs = [...el.querySelectorAll('.output_prompt')].map((p) => p.innerText.replace(/\s+/g, ' ').trim())
        .filter((t) => t.length > 0);
      return {
        index: i,
        source: c.get_text().split('\n')[0].slice(0, 60),
        number: c.input_prompt_number,
        prompt,
        outPrompts: outs,
        errors: el.querySelectorAll('.output_error').length,
        stderr: el.querySelectorAll('.output_stderr').length,
        text: [...el.querySelectorAll('.output_subarea')].map((o) => o.innerText).join('\n').slice(0, 400),
      };
    });
  });
}

async function kernelIdle(page) {
  return page.evaluate(() => {
    const k = Jupyter.notebook.kernel;
    return !!(k && k.is_connected() && document.querySelector('#kernel_indicator_icon.kernel_idle_icon'));
  });
}

async function clickMenu(page, menuLabel, itemId) {
  // the menu bar's own entry (exact text: "Cell", not "Cell Toolbar" in the View menu)
  await page.locator('#menus a.dropdown-toggle').filter({ hasText: new RegExp(`^\\s*${menuLabel}\\s*$`) }).first().click();
  await page.locator(`#${itemId} > a`).click();
}

/** Counts from now the page's finished code-cell executions and kernel restarts (its own events). */
function watchRuns(page) {
  return page.evaluate(() => {
    window.__layerlab = { finished: 0, restarts: 0, ready: 0 };
    const ev = Jupyter.notebook.events;
    ev.off('.layerlabUi');
    ev.on('finished_execute.CodeCell.layerlabUi', () => { window.__layerlab.finished++; });
    ev.on('kernel_restarting.Kernel.layerlabUi', () => { window.__layerlab.restarts++; });
    ev.on('kernel_ready.Kernel.layerlabUi', () => { window.__layerlab.ready++; });
  });
}

/** Waits until `n` executions finished since watchRuns (after a restart where asked), every code
 *  cell shows a number and the kernel is idle; returns the cells as the page shows them. */
async function waitRun(page, n, restarted) {
  return waitFor(`${n} code cells to run${restarted ? ' after the restart' : ''}`, async () => {
    const seen = await page.evaluate(() => window.__layerlab);
    if (seen.finished < n || (restarted && (seen.restarts < 1 || seen.ready < 1))) return null;
    const cells = await readCells(page);
    const done = cells.every((c) => typeof c.number === 'number') && await kernelIdle(page);
    return done ? cells : null;
  }, CELL_TIMEOUT_MS, 500);
}

/** The numbering checks; returns a list of problems (empty: all held). */
function problems(cells, when) {
  const found = [];
  cells.forEach((c, i) => {
    const want = i + 1;
    if (c.number !== want) found.push(`${when}: code cell ${want} ("${c.source}") is numbered ${c.number}, expected ${want}`);
    if (c.prompt !== `In [${want}]:`) found.push(`${when}: code cell ${want} shows "${c.prompt}", expected "In [${want}]:"`);
    for (const o of c.outPrompts) {
      if (o !== `Out[${want}]:`) found.push(`${when}: code cell ${want}'s result shows "${o}", expected "Out[${want}]:"`);
    }
    if (c.errors) found.push(`${when}: code cell ${want} ("${c.source}") shows an error: ${c.text}`);
    if (c.stderr) found.push(`${when}: code cell ${want} ("${c.source}") wrote to stderr: ${c.text}`);
  });
  return found;
}

async function checkNotebook(browser, server, name, shot, failDir) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const started = Date.now();
  const report = (msg) => console.log(`${name}: ${msg} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  try {
    await page.goto(`${server.url}/notebooks/${encodeURIComponent(name)}?token=${server.token}`);
    await waitFor('the notebook and its kernel', () => page.evaluate(
      () => typeof Jupyter !== 'undefined' && Jupyter.notebook && Jupyter.notebook._fully_loaded === true), 60_000);
    await waitFor('the kernel to start', () => kernelIdle(page), CELL_TIMEOUT_MS);
    const kernel = await page.evaluate(() => Jupyter.notebook.kernel.name);
    report(`opened on kernel ${kernel}`);

    const n = (await readCells(page)).length;
    await watchRuns(page);
    await clickMenu(page, 'Cell', 'run_all_cells');
    const first = await waitRun(page, n, false);
    let found = problems(first, 'Run All');
    report(`Run All: ${first.map((c) => c.prompt).join(' ')}`);

    // Restart & Run All: counted from the restart, so the first run's numbers cannot pass for it
    await watchRuns(page);
    await clickMenu(page, 'Kernel', 'restart_run_all');
    await page.locator('.modal-footer button.btn-danger').click();
    const second = await waitRun(page, n, true);
    found = found.concat(problems(second, 'Restart & Run All'));
    report(`Restart & Run All: ${second.map((c) => c.prompt).join(' ')}`);
    const before = first.map((c) => c.text).join('');
    if (before.length === 0) found.push('no cell produced any output');
    if (consoleErrors.length) found.push(`the page threw: ${consoleErrors.join('; ')}`);

    if (shot) {
      mkdirSync(dirname(resolve(shot)), { recursive: true });
      await page.screenshot({ path: shot, fullPage: false });
      report(`screenshot ${shot}`);
    }
    if (found.length) {
      mkdirSync(failDir, { recursive: true });
      const png = join(failDir, `${basename(name, '.ipynb')}-failed.png`);
      await page.screenshot({ path: png, fullPage: true });
      console.log(JSON.stringify(second, null, 1));
      found.push(`(screenshot of the page: ${png})`);
    }
    return found;
  } finally {
    await page.close();
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(CHROMIUM)) usage(`chromium not found at ${CHROMIUM} (Debian: apt-get install chromium)`);
  let playwright;
  try {
    playwright = await import('playwright-core');
  } catch {
    usage(`playwright-core is not installed: (cd ${HERE} && npm ci)`);
  }
  const work = mkdtempSync(join(tmpdir(), 'layerlab-ui-'));
  const failDir = join(ROOT, 'target', 'ui');
  const names = [];
  if (opts.notebooks.length === 0) {
    writeFileSync(join(work, 'numbering.ipynb'), JSON.stringify(fixture(opts.kernel), null, 1));
    names.push('numbering.ipynb');
  }
  for (const nb of opts.notebooks) {  // a copy, on the chosen kernel: the original is never written
    const doc = JSON.parse(readFileSync(nb, 'utf8'));
    doc.metadata = { ...(doc.metadata || {}), kernelspec: { name: opts.kernel, display_name: 'Java (layerlab)', language: 'java' } };
    writeFileSync(join(work, basename(nb)), JSON.stringify(doc, null, 1));
    names.push(basename(nb));
  }
  mkdirSync(failDir, { recursive: true });
  const server = await startNotebook(work, join(failDir, 'jupyter-notebook.log'));
  let browser;
  const found = [];
  try {
    browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true,
                                                 args: ['--no-sandbox', '--disable-gpu'] });
    for (const name of names) {
      found.push(...await checkNotebook(browser, server, name, names.length === 1 ? opts.shot : null, failDir));
    }
  } finally {
    if (browser) await browser.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
  if (found.length) {
    console.error('notebook_numbering: FAILED\n  ' + found.join('\n  '));
    process.exit(1);
  }
  console.log(`notebook_numbering: every check held (${names.join(', ')}; kernel ${opts.kernel})`);
}

main().catch((e) => { console.error(`notebook_numbering: ${e.stack || e}`); process.exit(1); });
