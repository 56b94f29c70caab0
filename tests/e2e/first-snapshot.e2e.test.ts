// A new desk, before its first snapshot: the History tab says there is none yet (it said
// "Loading…" for ever), and draws the first underlying's history when its first snapshot
// arrives, without a reload (the underlyings it offers were read once, when it opened);
// the rules' replay says there is nothing to replay yet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axe,
  chainFile,
  goTo,
  haveChromium,
  openDesk,
  poll,
  serious,
  shot,
  SMALL,
  WIDE,
  type Desk,
} from './harness.ts';

let desk: Desk;

describe.skipIf(!haveChromium)('a desk with no snapshot yet', () => {
  beforeAll(async () => {
    desk = await openDesk();
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  }, 60_000);

  it('History says there is none, then follows the first one as it arrives', async () => {
    const { page, te } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots/history`);
    await poll(() => page.getByTestId('history-empty').textContent()).toMatch(
      /^No snapshots yet\. Drop option-chain files anywhere, or use “Open files…”/,
    );
    expect(await page.getByTestId('history-count').textContent()).toBe('');
    await shot(page, 'history-empty');
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      expect(serious(await axe(page, 'history: no snapshot yet'))).toEqual([]);
    }
    await page.setViewportSize(WIDE);
    // The rules' replay has nothing to replay yet, and says so (it said "all 0 past requests").
    await goTo(page, 'rules');
    await page.getByRole('tab', { name: 'What would change' }).click();
    await poll(() => page.getByTestId('whatif-state').textContent()).toBe(
      'No request has been decided yet: there is nothing to replay.',
    );
    await page.goto(`${desk.host.origin}/#/snapshots/history`);
    await page.getByTestId('history-empty').waitFor();

    const file = chainFile(desk.fixtures, 'ndx.csv', 41, {
      underlying: 'NDX',
      spot: 16800,
      expiries: 2,
      strikesPerExpiry: 10,
    });
    const r = await te.engine.handlers['ingest:submit']({ file, source: 'desk' });
    expect(r.ok).toBe(true);
    await te.engine.drain();
    await poll(() => page.getByTestId('history-count').textContent()).toBe('1 snapshot');
    expect(await page.getByTestId('history-underlying').inputValue()).toBe('NDX');
    expect(await page.getByTestId('history-empty').count()).toBe(0);
    expect(desk.problems).toEqual([]);
  });
});
