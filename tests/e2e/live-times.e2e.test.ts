// A tab left open for a long day, in real Chromium against the real engine and browser
// host, with the page's clock in the test's hands (Playwright's clock): the levels
// board's ages count on with no new arrival, and its CSV says the same age; when the
// server goes away (stopped, or restarted on another port) the tab says so in a banner,
// its waits stop at the last contact and its actions are off, it comes back by itself
// when the server does at the same address, and a server restarted there with a new
// token is told as such.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { serve, uploadFolderOf } from '../../electron/host/serve.ts';
import { newYorkTime } from '../system/bursts/chains.ts';
import {
  chainFile,
  expectNoSerious,
  goTo,
  haveChromium,
  openDesk,
  pauseQueue,
  poll,
  ROOT,
  shot,
  type Desk,
} from './harness.ts';

let desk: Desk;
let page: Page;

async function submit(name: string, seed: number): Promise<void> {
  const file = chainFile(desk.fixtures, name, seed);
  const res = await desk.te.engine.handlers['ingest:submit']({ file, source: 'e2e' });
  if (!res.ok) throw new Error(res.error.message);
}

/** The browser host again on the port it had, with the token it had or a new one. */
async function restartHost(token?: string): Promise<void> {
  desk.host = await serve(desk.te.engine, {
    rendererDir: join(ROOT, 'out/renderer'),
    uploadDir: uploadFolderOf(desk.te.engine.config),
    port: desk.host.port,
    ...(token ? { token } : {}),
  });
}

describe.skipIf(!haveChromium)('a tab left open', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1 });
    page = desk.page;
    // The page's clock, flowing from the real time, is the tests' to move.
    await page.clock.install();
    await page.reload();
    await page.getByTestId('engine-state').getByText('engine ok').waitFor({ timeout: 30_000 });
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('says so when its server goes away, stops its waits and actions there, and comes back with it', async () => {
    await goTo(page, 'queue');
    await pauseQueue(page);
    await submit('wait-1.csv', 11);
    await submit('wait-2.csv', 12);
    await poll(() => page.getByTestId('paused-banner').textContent()).toMatch(
      /^Paused — 2 waiting/,
    );
    const level = (await page
      .locator('[data-testid^=waiting-]', { hasText: '2' })
      .first()
      .getAttribute('data-testid'))!.slice('waiting-'.length);
    const oldest = page.getByTestId(`oldest-${level}`);
    // Counting while the server answers.
    const before = await oldest.textContent();
    await poll(() => oldest.textContent()).not.toBe(before);
    const resume = page.getByRole('button', { name: 'Resume queue' });
    const cancel = page.getByTestId('cancel-job').first();
    expect(await resume.isEnabled()).toBe(true);
    expect(await cancel.isEnabled()).toBe(true);

    await desk.host.close();
    const banner = page.getByTestId('engine-unreachable');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.textContent()).toMatch(
      /cannot be reached.*restarted at another address.*gex-desk serve.*as of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/,
    );
    expect(await page.getByTestId('engine-state').textContent()).toBe('engine unreachable');
    for (const action of [resume, cancel, page.getByTestId('open-files')])
      expect(await action.isDisabled()).toBe(true);

    // The waits stand at the last contact while a minute passes.
    const shown = await oldest.textContent();
    await page.clock.fastForward('01:00');
    await page.waitForTimeout(300);
    expect(await oldest.textContent()).toBe(shown);

    await shot(page, 'unreachable');
    await expectNoSerious(page, 'engine unreachable');

    // The server is back at this address (same port, same launch's token): the tab too.
    await restartHost(desk.host.token);
    await page.clock.fastForward('00:20');
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await poll(() => page.getByTestId('engine-state').textContent()).toBe('engine ok');
    await poll(() => resume.isEnabled()).toBe(true);

    // Restarted at this address with a new launch's token: the tab says the token changed.
    await desk.host.close();
    await banner.waitFor({ timeout: 30_000 });
    await restartHost();
    await page.clock.fastForward('00:20');
    const screen = page.getByTestId('token-screen');
    await screen.waitFor({ timeout: 30_000 });
    expect(await screen.locator('h1').textContent()).toBe('This address’s token changed');
    expect(await screen.textContent()).toMatch(/token this tab had: its server restarted/);
    await shot(page, 'token-changed');
    await expectNoSerious(page, 'token changed');
  });

  it('counts the levels board’s age on with the clock, without a new arrival, and exports that age', async () => {
    await page.goto(desk.host.url);
    await poll(() => page.getByTestId('engine-state').textContent()).toBe('engine ok');
    await desk.te.engine.handlers['queue:resume']({});
    // The page's clock at 5 s past a minute; a QQQ chain as of 9 minutes before that
    // minute (New York's wall clock, as CBOE writes it); then 8 minutes pass with
    // nothing arriving.
    const pageNow = Number(await page.evaluate('Date.now()'));
    const t0 = Math.ceil(pageNow / 60_000) * 60_000 + 5_000;
    await page.clock.pauseAt(t0);
    await page.clock.resume();
    const asOf = newYorkTime(t0 - 5_000 - 9 * 60_000).wall;
    const file = chainFile(desk.fixtures, 'age-qqq.csv', 1, { underlying: 'QQQ', asOf, spot: 500 });
    const res = await desk.te.engine.handlers['ingest:submit']({ file, source: 'e2e' });
    if (!res.ok) throw new Error(res.error.message);
    await goTo(page, 'snapshots');
    const ageCell = page.locator('[data-testid=levels-row][data-underlying=QQQ] .td-age');
    // 9 min on the page's clock (the engine's, a little behind the page's, may say 8).
    await poll(() => ageCell.textContent()).toMatch(/^[89] min$/);

    await page.clock.fastForward('08:00');
    await poll(() => ageCell.textContent()).toBe('17 min');
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('levels-csv').click(),
    ]);
    // age_s is the last column but one, before origin (an earlier header holds a comma, quoted).
    const [head, spx] = readFileSync((await dl.path())!, 'utf8')
      .trim()
      .split(/\r?\n/)
      .map((l) => l.split(',').at(-2));
    expect(head).toBe('age_s');
    const ageS = Number(spx);
    expect(ageS).toBeGreaterThanOrEqual(17 * 60);
    expect(ageS).toBeLessThan(18 * 60);
  });
});
