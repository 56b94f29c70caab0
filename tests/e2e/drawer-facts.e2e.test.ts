// The job drawer's Facts at arrival, in real Chromium against the real engine and browser
// host (QA gd F2, F5): a value beside a threshold is never rounded onto it — a source's
// reliability of 0.79999 read "0.8000" beside G4's "0.7999… < 0.8"; it reads "0.7999…" —
// and the drawer says what gex_change was compared with (the request before it).
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newYorkTime } from '../system/bursts/chains.ts';
import {
  api,
  chainFile,
  goTo,
  haveChromium,
  jobRow,
  openDesk,
  poll,
  queueFile,
  shot,
  type Desk,
} from './harness.ts';

let desk: Desk;
let page: Page;

describe.skipIf(!haveChromium)('the drawer’s facts', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1 });
    page = desk.page;
    await goTo(page, 'queue');
    await page.locator('[data-filter=all]').click();
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('reads a reliability of 0.79999 as 0.7999… and names what gex_change was compared with', async () => {
    const asOf = newYorkTime(Date.now()).wall;
    const opts = { asOf, expiries: 2, strikesPerExpiry: 6 };
    const first = await queueFile(desk, chainFile(desk.fixtures, 'facts-first.csv', 61, opts));
    await desk.te.engine.drain();
    await api(
      desk.te.engine.handlers['sources:set']({
        id: 'e2e',
        reliability: 0.79999,
        justification: 'QA gd F2',
      }),
    );
    await queueFile(desk, chainFile(desk.fixtures, 'facts-second.csv', 62, opts));
    await desk.te.engine.drain();
    const { job } = await api(desk.te.engine.handlers['jobs:get']({ id: first }));
    const row = jobRow(page, 'facts-second.csv');
    await poll(() => row.getAttribute('data-status')).toBe('completed');
    await row.click();
    const drawer = page.getByTestId('job-drawer');
    const reliability = drawer.locator('.facts-table tr', { hasText: 'source_reliability' });
    await poll(async () => (await reliability.locator('td').nth(1).textContent())?.trim()).toBe(
      '0.7999…',
    );
    await poll(() => drawer.getByTestId('gex-change-base').textContent()).toContain(
      `gex_change compared with the previous request of this underlying, ${job.request_id}`,
    );
    await shot(page, 'drawer-facts-thresholds', drawer);
  });
});
