// The snapshot list's "Mark quality below" field: a value outside 0–100 (150, −5) or none
// is not applied and the field says so — invalid, described by an error giving the allowed
// range and the threshold still applied. Before, it took 150 or −5 without a word while
// the badges went on following the previous threshold.
// Real engine behind the browser host, headless Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  SMALL,
  WIDE,
  chainFile,
  expectNoSerious,
  haveChromium,
  openDesk,
  poll,
  shot,
  type Desk,
} from './harness.ts';

let desk: Desk;
let page: Page;

describe.skipIf(!haveChromium)('the quality threshold field', () => {
  beforeAll(async () => {
    desk = await openDesk();
    page = desk.page;
    // A snapshot computed from a small share of its rows (its expired expiries dropped).
    const file = chainFile(desk.fixtures, 'ndx_expired.csv', 22, {
      underlying: 'NDX',
      spot: 16800,
      expiries: 1,
      expiredExpiries: 30,
      strikesPerExpiry: 40,
    });
    const r = await desk.te.engine.handlers['ingest:submit']({ file, source: 'desk' });
    if (!r.ok) throw new Error(r.error.message);
    await desk.te.engine.drain();
  }, 300_000);
  afterAll(async () => {
    await desk?.close();
  }, 60_000);

  it('says a value out of 0–100 is not applied, and keeps applying the threshold before it', async () => {
    await page.goto(`${desk.host.origin}/#/snapshots/list`);
    const field = page.getByTestId('quality-threshold');
    const error = page.getByTestId('quality-threshold-error');
    const below = () =>
      page
        .locator('[data-testid=snapshot-row]', { hasText: 'NDX' })
        .getByTestId('quality')
        .getAttribute('data-below');
    await field.fill('2');
    await poll(below).toBe('false');
    expect(await field.getAttribute('aria-invalid')).toBeNull();
    expect(await error.textContent()).toBe('');

    for (const typed of ['150', '-5']) {
      await field.fill(typed);
      await poll(() => error.textContent()).toBe(
        `From 0 to 100 %: ${typed} is not applied; snapshots stay marked below 2 %.`,
      );
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(await field.getAttribute('aria-describedby')).toBe(await error.getAttribute('id'));
      expect(await error.getAttribute('role')).toBe('status');
      expect(await below()).toBe('false');
    }
    await field.fill('');
    await poll(() => error.textContent()).toBe(
      'A percentage from 0 to 100: snapshots stay marked below 2 % until one is given.',
    );
    await field.fill('150');
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      await expectNoSerious(page, `snapshot list: threshold out of range, at ${size.width}`);
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'threshold-out-of-range', field);
    // Not stored either: a reload comes back to the threshold applied.
    await page.reload();
    await poll(() => field.inputValue()).toBe('2');

    // A value in range is applied, the error gone.
    await field.fill('50');
    await poll(below).toBe('true');
    expect(await error.textContent()).toBe('');
    expect(await field.getAttribute('aria-invalid')).toBeNull();
    expect(await field.getAttribute('aria-describedby')).toBeNull();
    expect(desk.problems).toEqual([]);
  });
});
