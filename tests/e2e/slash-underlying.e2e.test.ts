// An underlying with a "/" in its name (XYZ/WS: stored as such, `gex-desk history 'XYZ/WS'`
// lists it; a class share's BRK/B is BRKB, shared/underlyings.ts) is one argument of the
// Snapshots panes' addresses: `history/XYZ%2FWS`. Before, each part of the pane was
// encoded apart, so the address was `history/XYZ/WS`, read back as the underlying XYZ replaying a snapshot WS: "There is no snapshot of XYZ.", and a
// phantom XYZ in the Underlying choice, from the workbench's "History of", the choice, a
// reload and the History tab of a comparison alike.
// Real engine behind the browser host, headless Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chainFile, haveChromium, openDesk, poll, type Desk, api } from './harness.ts';

let desk: Desk;
let page: Page;
let origin = '';
/** XYZ/WS's snapshots, oldest first. */
let xyz: string[] = [];

const url = () => page.url();
const history = () => page.getByTestId('history-view');
const chosen = () => page.getByTestId('history-underlying').inputValue();
const choices = () => page.getByTestId('history-underlying').locator('option').allTextContents();
const said = () => history().getByTestId('error-line').count();

/** History shows XYZ/WS's snapshots, the address one segment for it, nothing said wrong. */
async function showsXyz(replayed?: string): Promise<void> {
  await poll(url).toBe(`${origin}/#/snapshots/history/XYZ%2FWS${replayed ? `/${replayed}` : ''}`);
  await poll(chosen).toBe('XYZ/WS');
  await poll(() => page.getByTestId('history-at').textContent()).toMatch(
    new RegExp(`^${replayed ? xyz.indexOf(replayed) + 1 : xyz.length} / ${xyz.length} · `),
  );
  expect(await said()).toBe(0);
  const options = await choices();
  expect(options).toContain('XYZ/WS');
  expect(options).not.toContain('XYZ');
}

describe.skipIf(!haveChromium)('an underlying with a "/" in the address', () => {
  beforeAll(async () => {
    desk = await openDesk();
    page = desk.page;
    origin = desk.host.origin;
    const h = desk.te.engine.handlers;
    const files = [
      chainFile(desk.fixtures, 'xyzws_1.json', 21, {
        underlying: 'XYZ/WS',
        roots: ['XYZ/WS'],
        spot: 480,
        asOf: '2025-09-05T15:00:00',
        expiries: 2,
        strikesPerExpiry: 10,
      }),
      chainFile(desk.fixtures, 'xyzws_2.json', 22, {
        underlying: 'XYZ/WS',
        roots: ['XYZ/WS'],
        spot: 482,
        asOf: '2025-09-05T15:30:00',
        expiries: 2,
        strikesPerExpiry: 10,
      }),
      chainFile(desk.fixtures, 'spx.csv', 3, { expiries: 2, strikesPerExpiry: 10 }),
    ];
    for (const file of files) await api(h['ingest:submit']({ file, source: 'desk' }));
    await desk.te.engine.drain();
    xyz = (await api(h['snapshots:history']({ underlying: 'XYZ/WS' }))).rows.map((p) => p.id);
    expect(xyz).toHaveLength(2);
  }, 300_000);
  afterAll(async () => {
    await desk?.close();
  }, 60_000);

  it('opens its History from the workbench, the choice, a reload and a comparison', async () => {
    // The workbench's "History of XYZ/WS".
    await page.goto(`${origin}/#/snapshots/${xyz[1]}`);
    await page.getByRole('button', { name: 'History of XYZ/WS' }).click();
    await showsXyz();
    await page.reload();
    await showsXyz();

    // Chosen in History's Underlying, from another underlying's history.
    await page.goto(`${origin}/#/snapshots/history/SPX`);
    await poll(chosen).toBe('SPX');
    await page.getByTestId('history-underlying').selectOption('XYZ/WS');
    await showsXyz();

    // The replay's position in the address, read back after a reload.
    const slider = page.getByTestId('history-slider');
    await slider.focus();
    await page.keyboard.press('Home');
    await showsXyz(xyz[0]);
    await page.reload();
    await showsXyz(xyz[0]);

    // A comparison of its snapshots, and the History tab from there.
    await page.goto(`${origin}/#/snapshots/compare/${xyz[1]}`);
    await poll(url).toBe(`${origin}/#/snapshots/compare/${xyz[0]}/${xyz[1]}`);
    await page.locator('[data-pane=history]').click();
    await showsXyz();
    expect(desk.problems).toEqual([]);
  }, 120_000);
});
