// An underlying with a "/" in its name (BRK/B: stored as such, `gex-desk history 'BRK/B'`
// lists it) is one argument of the Snapshots panes' addresses: `history/BRK%2FB`. Before,
// each part of the pane was encoded apart, so the address was `history/BRK/B`, read back
// as the underlying BRK replaying a snapshot B: "There is no snapshot of BRK.", and a
// phantom BRK in the Underlying choice, from the workbench's "History of", the choice, a
// reload and the History tab of a comparison alike.
// Real engine behind the browser host, headless Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chainFile, haveChromium, openDesk, poll, type Desk, api } from './harness.ts';

let desk: Desk;
let page: Page;
let origin = '';
/** BRK/B's snapshots, oldest first. */
let brk: string[] = [];

const url = () => page.url();
const history = () => page.getByTestId('history-view');
const chosen = () => page.getByTestId('history-underlying').inputValue();
const choices = () => page.getByTestId('history-underlying').locator('option').allTextContents();
const said = () => history().getByTestId('error-line').count();

/** History shows BRK/B's snapshots, the address one segment for it, nothing said wrong. */
async function showsBrk(replayed?: string): Promise<void> {
  await poll(url).toBe(`${origin}/#/snapshots/history/BRK%2FB${replayed ? `/${replayed}` : ''}`);
  await poll(chosen).toBe('BRK/B');
  await poll(() => page.getByTestId('history-at').textContent()).toMatch(
    new RegExp(`^${replayed ? brk.indexOf(replayed) + 1 : brk.length} / ${brk.length} · `),
  );
  expect(await said()).toBe(0);
  const options = await choices();
  expect(options).toContain('BRK/B');
  expect(options).not.toContain('BRK');
}

describe.skipIf(!haveChromium)('an underlying with a "/" in the address', () => {
  beforeAll(async () => {
    desk = await openDesk();
    page = desk.page;
    origin = desk.host.origin;
    const h = desk.te.engine.handlers;
    const files = [
      chainFile(desk.fixtures, 'brkb_1.json', 21, {
        underlying: 'BRK/B',
        roots: ['BRK/B'],
        spot: 480,
        asOf: '2025-09-05T15:00:00',
        expiries: 2,
        strikesPerExpiry: 10,
      }),
      chainFile(desk.fixtures, 'brkb_2.json', 22, {
        underlying: 'BRK/B',
        roots: ['BRK/B'],
        spot: 482,
        asOf: '2025-09-05T15:30:00',
        expiries: 2,
        strikesPerExpiry: 10,
      }),
      chainFile(desk.fixtures, 'spx.csv', 3, { expiries: 2, strikesPerExpiry: 10 }),
    ];
    for (const file of files) await api(h['ingest:submit']({ file, source: 'desk' }));
    await desk.te.engine.drain();
    brk = (await api(h['snapshots:history']({ underlying: 'BRK/B' }))).rows.map((p) => p.id);
    expect(brk).toHaveLength(2);
  }, 300_000);
  afterAll(async () => {
    await desk?.close();
  }, 60_000);

  it('opens its History from the workbench, the choice, a reload and a comparison', async () => {
    // The workbench's "History of BRK/B".
    await page.goto(`${origin}/#/snapshots/${brk[1]}`);
    await page.getByRole('button', { name: 'History of BRK/B' }).click();
    await showsBrk();
    await page.reload();
    await showsBrk();

    // Chosen in History's Underlying, from another underlying's history.
    await page.goto(`${origin}/#/snapshots/history/SPX`);
    await poll(chosen).toBe('SPX');
    await page.getByTestId('history-underlying').selectOption('BRK/B');
    await showsBrk();

    // The replay's position in the address, read back after a reload.
    const slider = page.getByTestId('history-slider');
    await slider.focus();
    await page.keyboard.press('Home');
    await showsBrk(brk[0]);
    await page.reload();
    await showsBrk(brk[0]);

    // A comparison of its snapshots, and the History tab from there.
    await page.goto(`${origin}/#/snapshots/compare/${brk[1]}`);
    await poll(url).toBe(`${origin}/#/snapshots/compare/${brk[0]}/${brk[1]}`);
    await page.locator('[data-pane=history]').click();
    await showsBrk();
    expect(desk.problems).toEqual([]);
  }, 120_000);
});
