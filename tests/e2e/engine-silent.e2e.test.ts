// An engine that stops answering, told on the page (QA sv F1): `gex-desk serve` runs as
// its own process and is stopped for real (SIGSTOP, as a thread stuck on a network share
// that stopped answering leaves it: the socket open, no call answered), then let go
// (SIGCONT). Before, the status bar kept a green "engine ok" throughout. Now, with no
// call answered for 5 s, it says "engine not answering for N s", counting on, with a
// tooltip saying why and what to do, told politely to a screen reader; it fits the bar
// at 1024 px (also as "1 min 40 s", the page's clock moved on) and axe finds nothing serious; once the engine answers it says "engine ok"
// again by itself, and that is told too.
// The live views (Queue, the levels board, Sources, Audit) meanwhile say above their
// figures that these are not current, as of the engine's last answer (a role=status
// line, its moving count not read out), and the Queue's empty list no longer says
// "Nothing is waiting or running" (it did before: only the bar told the silence).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { BIN } from '../cli/run-cli.ts';
import { CHROMIUM_ARGS } from './chromium.ts';
import {
  CHROMIUM,
  cutOff,
  chainFile,
  ensureRenderer,
  expectNoSerious,
  goTo,
  haveChromium,
  poll,
  ROOT,
  shot,
  SMALL,
  submitFile,
  WIDE,
} from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'engine-silent-'));
let server: ChildProcess | null = null;
let stopped = false;
let context: BrowserContext | null = null;
let page: Page;
const problems: string[] = [];

/** `gex-desk serve` as its own process, and the address (with its token) it printed. */
async function startServe(): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, GEX_DESK_HOME: join(dir, 'home'), GEX_DESK_WORKERS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = child;
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const url = /GEX Desk at (\S+)/.exec(out)?.[1];
    if (url) return url;
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`serve gave no address: ${out}\n${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const state = () => page.getByTestId('engine-state');
const announced = () => page.getByTestId('announcer').textContent();

describe.skipIf(!haveChromium)('an engine that stops answering', () => {
  beforeAll(async () => {
    await ensureRenderer();
    const url = await startServe();
    context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: WIDE,
      timezoneId: 'Europe/Berlin',
      args: CHROMIUM_ARGS,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    // The page's clock flows from the real time; the test moves it on to a long silence.
    await page.clock.install();
    await page.goto(url);
    await state().getByText('engine ok', { exact: true }).waitFor({ timeout: 30_000 });
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    if (server && server.exitCode === null) {
      if (stopped) server.kill('SIGCONT');
      const ended = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([ended, new Promise((r) => setTimeout(r, 20_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('marks the live views’ figures not current while it is stopped, until it answers', async () => {
    const notCurrent = () => page.getByTestId('not-current');
    const line = () => page.getByTestId('not-current-line');
    const empty = () => page.locator('[data-testid=jobs-table] .empty');
    // One job done: the Queue's Active list is empty, and says why while the engine answers.
    await submitFile(page, chainFile(dir, 'spx-silent.csv', 7), 'spx-silent.csv');
    await poll(() => page.getByTestId('total-done').textContent()).toBe('1');
    await goTo(page, 'queue');
    await poll(() => empty().textContent()).toBe(
      'Nothing is waiting or running. 1 completed, 0 failed — see All.',
    );
    expect(await notCurrent().textContent()).toBe('');

    // The board shows the job's snapshot as the engine stops.
    await goTo(page, 'snapshots');
    await page.getByTestId('levels-row').filter({ hasText: 'SPX' }).waitFor();

    server!.kill('SIGSTOP');
    stopped = true;
    const figures =
      /^Not current: the engine has not answered for (\d+) s; these figures are from (\d\d:\d\d:\d\d), its last answer\.$/;
    const said = async () => (await line().textContent()) ?? '';
    await poll(said).toMatch(figures);
    // A status, not an alert; its spoken words are without the count moving each second.
    expect(await notCurrent().getAttribute('role')).toBe('status');
    expect(await line().getAttribute('aria-hidden')).toBe('true');
    const from = figures.exec(await said())![2]!;
    expect(await notCurrent().textContent()).toContain(
      `Not current: the engine is not answering; these figures are from ${from}, its last answer.`,
    );
    // The same last answer as the bar's tooltip, and counting on with it.
    expect(await state().getAttribute('title')).toContain(
      `What shows is as of ${from}, its last answer`,
    );
    const seconds = async () => Number(figures.exec(await said())?.[1]);
    const first = await seconds();
    await poll(seconds).toBeGreaterThanOrEqual(first + 2);
    expect(await page.getByTestId('levels-row').filter({ hasText: 'SPX' }).count()).toBe(1);
    await shot(page, 'board-not-current');
    await expectNoSerious(page, 'levels board, engine not answering');

    // The Queue's: its empty list does not claim that nothing waits or runs.
    await goTo(page, 'queue');
    await poll(said).toMatch(figures);
    expect(figures.exec(await said())![2]).toBe(from);
    expect(await empty().textContent()).toBe(
      `The engine is not answering: the queue cannot be read. When it last answered, at ${from}, nothing was waiting or running.`,
    );
    for (const size of [SMALL, WIDE]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(150);
      expect(await cutOff(page, '.not-current, [data-testid=jobs-table] .empty')).toEqual([]);
    }
    await shot(page, 'queue-not-current');
    await expectNoSerious(page, 'queue, engine not answering');
    // Sources and Audit say it too, as of the same answer.
    for (const view of ['sources', 'audit'] as const) {
      await goTo(page, view);
      await poll(said).toMatch(figures);
      expect(figures.exec(await said())![2]).toBe(from);
    }
    await goTo(page, 'queue');

    server!.kill('SIGCONT');
    stopped = false;
    await poll(() => state().textContent()).toBe('engine ok');
    await poll(() => notCurrent().textContent()).toBe('');
    expect(await line().count()).toBe(0);
    await poll(() => empty().textContent()).toBe(
      'Nothing is waiting or running. 1 completed, 0 failed — see All.',
    );
    expect(problems).toEqual([]);
  }, 180_000);

  it('says so in the status bar while it is stopped, and clears by itself once it answers', async () => {
    server!.kill('SIGSTOP');
    stopped = true;
    const since = Date.now();
    // Said within the 5 s limit and a poll or two (a call goes out every 2 s).
    await poll(() => state().textContent()).toMatch(/^engine not answering for \d+ s$/);
    expect(Date.now() - since).toBeLessThan(12_000);
    // Counting on while nothing answers.
    const seconds = async () => Number(/(\d+) s$/.exec((await state().textContent()) ?? '')?.[1]);
    const first = await seconds();
    await poll(seconds).toBeGreaterThanOrEqual(first + 2);
    expect(await state().getAttribute('title')).toMatch(
      /^The engine has not answered since \d\d:\d\d:\d\d: it is busy with something long, or stuck — most often on a network share it reads \(the watched inbox, an attached folder\) that stopped answering\. What shows is as of \d\d:\d\d:\d\d, its last answer, and may be out of date\. Nothing queued is lost, and this clears by itself once it answers; if it lasts minutes, check that those shares answer\.$/,
    );
    expect(await page.locator('.statusbar .dot').getAttribute('class')).toContain('bad');
    await poll(announced).toContain(
      'The engine has not answered for 5 seconds: it is busy or stuck. What shows may be out of date until it answers.',
    );
    // A long silence (the page's clock moved on 95 s): "1 min 4x s", the bar's longest
    // words; the bar fits at both sizes: nothing cut, nothing past the window, but the
    // database path, which gives way by design (cut in the middle).
    await page.clock.fastForward(95_000);
    await poll(() => state().textContent()).toMatch(/^engine not answering for 1 min \d+ s$/);
    expect(await cutOff(page, '.statusbar > :not(.path)')).toEqual([]);
    await page.setViewportSize(SMALL);
    await page.waitForTimeout(150);
    expect(await cutOff(page, '.statusbar > :not(.path)')).toEqual([]);
    expect(await state().isVisible()).toBe(true);
    await page.setViewportSize(WIDE);
    await shot(page, 'engine-not-answering');
    await expectNoSerious(page, 'status bar, engine not answering');

    server!.kill('SIGCONT');
    stopped = false;
    await poll(() => state().textContent()).toBe('engine ok');
    expect(await page.locator('.statusbar .dot').getAttribute('class')).toContain('ok');
    await poll(announced).toContain('The engine answers again.');
    expect(problems).toEqual([]);
  }, 120_000);
});
