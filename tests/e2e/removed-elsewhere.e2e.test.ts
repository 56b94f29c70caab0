// An open snapshot removed elsewhere (another tab or window, `gex-desk snapshots remove`)
// closes with a word: the status line names it and says it was removed elsewhere. Before,
// the workbench fell back to the levels board saying nothing (the status only followed a
// removal from this tab). One removed from this tab is still said as before, with no
// "elsewhere", even when the engine's event arrives before its answer.
// Real engine behind the browser host, headless Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chainFile, expectNoSerious, haveChromium, openDesk, poll, type Desk } from './harness.ts';

let desk: Desk;
let page: Page;
/** The latest snapshot of each underlying. */
const ids: Record<string, string> = {};

const status = () => page.getByTestId('snapshot-removed-status');
const title = () => page.locator('#snapshot-title').textContent();

async function open(address: string): Promise<string> {
  await page.evaluate(`location.hash = '${address}'`);
  await page.getByTestId('snapshot-detail').waitFor();
  await poll(title).toMatch(/^[A-Z]+ \d{4}-/);
  return (await title())!;
}

describe.skipIf(!haveChromium)('an open snapshot removed elsewhere', () => {
  beforeAll(async () => {
    desk = await openDesk();
    page = desk.page;
    const h = desk.te.engine.handlers;
    const underlyings = ['IWM', 'DIA', 'XLF'];
    for (const [i, underlying] of underlyings.entries()) {
      const file = chainFile(desk.fixtures, `${underlying.toLowerCase()}.csv`, 400 + i, {
        underlying,
        spot: 100 + 50 * i,
        expiries: 2,
        strikesPerExpiry: 8,
      });
      const r = await h['ingest:submit']({ file, source: 'desk' });
      if (!r.ok) throw new Error(r.error.message);
    }
    await desk.te.engine.drain();
    const levels = await h['snapshots:levels']({});
    if (!levels.ok) throw new Error(levels.error.message);
    for (const u of underlyings) ids[u] = levels.value.rows.find((l) => l.underlying === u)!.id;
  }, 300_000);
  afterAll(async () => {
    await desk?.close();
  }, 60_000);

  it('says which snapshot went, and that it went elsewhere, under the board and the list', async () => {
    const h = desk.te.engine.handlers;
    for (const [address, underlying, pane] of [
      ['#/snapshots/', 'IWM', 'Latest levels per underlying'],
      ['#/snapshots/list/', 'DIA', 'Every stored snapshot'],
    ] as const) {
      const shown = await open(`${address}${ids[underlying]}`);
      await page.getByTestId('remove-snapshot').focus();
      // Removed by another window or the command line: the engine's event only.
      const r = await h['snapshots:remove']({
        id: ids[underlying]!,
        justification: 'e2e: removed from another window',
      });
      expect(r.ok).toBe(true);
      await page.getByTestId('snapshot-detail').waitFor({ state: 'detached' });
      expect(await status().getAttribute('role')).toBe('status');
      await poll(() => status().textContent()).toBe(
        `The ${underlying} snapshot of ${shown.slice(underlying.length + 1)}, open here, was removed elsewhere (another window or the command line).`,
      );
      // The focus went with its Remove… button: it lands on the pane's title.
      await poll(() =>
        page.evaluate('document.activeElement && document.activeElement.textContent'),
      ).toBe(pane);
      await expectNoSerious(page, `snapshots: removed elsewhere under ${pane}`);
    }
    expect(desk.problems).toEqual([]);
  });

  it('still says a removal made here as before, not as made elsewhere, the event before the answer', async () => {
    const shown = await open(`#/snapshots/${ids.XLF}`);
    const said = `Removed the XLF snapshot of ${shown.slice(4)}.`;
    // The answer held back until the engine's event has closed the snapshot (as in the
    // desktop app, whose events are forwarded before the call's answer).
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    let answered = Promise.resolve();
    await page.route('**/api/call/snapshots:remove', (route) => {
      answered = (async () => {
        const response = await route.fetch();
        await held;
        await route.fulfill({ response });
      })();
    });
    try {
      await page.getByTestId('remove-snapshot').click();
      const dialog = page.getByTestId('remove-snapshot-dialog');
      await dialog.getByLabel('Justification').fill('the wrong file');
      await dialog.getByTestId('remove-snapshot-confirm').click();
      await page.getByTestId('snapshot-detail').waitFor({ state: 'detached' });
      await page.waitForTimeout(300);
      expect(await status().textContent()).not.toContain('elsewhere');
    } finally {
      release();
      await answered;
      await page.unroute('**/api/call/snapshots:remove');
    }
    await poll(() => status().textContent()).toBe(said);
    await page.waitForTimeout(300);
    expect(await status().textContent()).toBe(said);
    expect(desk.problems).toEqual([]);
  });
});
