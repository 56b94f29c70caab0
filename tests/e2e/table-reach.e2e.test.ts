// Reading and reaching the tables (QA day F7, F8): the Audit's Explanation column, the
// reason an entry exists, was cut to about 17 characters at 1024 px ("G2: freshness
// stale …", "failed: UNKNOWN_F…"), whole only in a mouse tooltip; the levels board had 20
// Tab stops (10 sort buttons, 10 width handles) before its first row; and the Audit's
// address `?source=` was shown raw in its chip (U+202E reversing what follows, a bell) and
// asked whatever its length. Now the explanation wraps (up to four lines) and is whole at
// both widths; every table's header begins with "Skip to rows", shown on focus, which
// takes the keyboard to the rows; the address's source is shown escaped, and one longer
// than any look-up takes is not asked.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import {
  axe,
  cutOff,
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
let page: Page;

/** The explanation cells whose text is not whole in their box (cut across or clamped). */
const cutExplanations = () =>
  page.evaluate(`[...document.querySelectorAll('.audit-row > .a-expl')].filter((el) =>
    el.scrollWidth > el.clientWidth + 0.5 || el.scrollHeight > el.clientHeight + 0.5)
    .map((el) => el.textContent + ' (' + el.clientWidth + ' px)')`) as Promise<string[]>;

const focused = () =>
  page.evaluate(
    `(document.activeElement?.getAttribute('data-testid') ?? '') + '|' + (document.activeElement?.getAttribute('role') ?? '')`,
  );

/** Whether the element has the focus (run in the page; this file has no DOM types). */
const hasFocus = new Function('el', 'return el === document.activeElement') as (
  el: unknown,
) => boolean;

/** The source the page asked audit:list for, each time. */
const askedSources: (string | undefined)[] = [];

describe.skipIf(!haveChromium)('reading and reaching the tables', () => {
  beforeAll(async () => {
    desk = await openDesk();
    page = desk.page;
    const good = join(desk.fixtures, 'spx.csv');
    writeFileSync(good, cboeCsvText(makeChain({ seed: 5, expiries: 2, strikesPerExpiry: 10 })));
    const bad = join(desk.fixtures, 'mystery.csv');
    writeFileSync(bad, 'alpha,beta,gamma\n1,2,3\n');
    for (const file of [good, bad]) {
      const r = await desk.te.engine.handlers['ingest:submit']({ file, source: 'desk' });
      if (!r.ok) throw new Error(r.error.message);
    }
    await desk.te.engine.drain();
    page.on('request', (r) => {
      if (/\/api\/call\/audit:list$/.test(r.url()))
        askedSources.push((JSON.parse(r.postData() ?? '{}') as { source?: string }).source);
    });
  }, 120_000);
  afterAll(() => desk?.close());

  it('shows every entry’s explanation whole at 1024 and 1440 px', async () => {
    await goTo(page, 'audit');
    await page.locator('.audit-row').first().waitFor();
    await poll(() => page.locator('.audit-row[data-kind=failed]').count()).toBeGreaterThan(0);
    for (const size of [SMALL, WIDE]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(200);
      expect([size.width, await cutExplanations()]).toEqual([size.width, []]);
      // (A rule's long name, "unreadable v1", is cut in its column as before: whole in its
      // tooltip, and its name begins the explanation.)
      expect(
        await cutOff(page, '.audit-row > [role=cell]:not(.a-expl):not(.c-file):not(.td-rule)'),
      ).toEqual([]);
      // The rows do not overlap: each starts at or below the end of the one above.
      const overlaps = (await page.evaluate(`(() => {
        const r = [...document.querySelectorAll('.audit-item')].map((el) => el.getBoundingClientRect()).sort((a, b) => a.top - b.top);
        return r.filter((b, i) => i > 0 && b.top < r[i - 1].bottom - 0.5).length;
      })()`)) as number;
      expect(overlaps).toBe(0);
      expect(serious(await axe(page, `audit explanations at ${size.width}`))).toEqual([]);
    }
    const failed = page.locator('.audit-row[data-kind=failed] > .a-expl').first();
    expect(await failed.textContent()).toMatch(/^failed: /);
    await page.setViewportSize(WIDE);
    await shot(page, 'audit-explanations');
    // At 1024 px Rule and By give way to the explanation: an entry's details say them.
    await page.setViewportSize(SMALL);
    await page.waitForTimeout(200);
    expect(await page.locator('.audit-table .th-rule, .audit-table .th-actor').count()).toBe(0);
    await page.locator('.audit-row[data-kind=started]').first().focus();
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('audit-rule-by').textContent()).toBe(
      'Rule G2, rule set v1 · by scheduler',
    );
    expect(serious(await axe(page, 'audit entry open at 1024'))).toEqual([]);
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('audit-rule-by').count()).toBe(0);
  });

  it('takes the keyboard past the board’s headers to its rows', async () => {
    await page.setViewportSize(SMALL);
    await goTo(page, 'snapshots');
    const row = page.getByTestId('levels-row').first();
    await row.waitFor();
    // From the board's last control before its table: the next stop is "Skip to rows".
    await page.getByTestId('levels-csv').focus();
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('skip-to-rows|');
    const skip = page.getByTestId('skip-to-rows');
    expect(await skip.isVisible()).toBe(true);
    expect(await cutOff(page, '[data-testid=skip-to-rows]')).toEqual([]);
    // The first header is named by its column alone.
    expect(await page.getByRole('columnheader', { name: 'Underlying', exact: true }).count()).toBe(
      1,
    );
    expect(serious(await axe(page, 'board skip to rows at 1024'))).toEqual([]);
    await shot(page, 'board-skip-to-rows');
    await skip.focus();
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('levels-row|row');
    // Shift+Tab goes back to the headers: the last column's width handle.
    await page.keyboard.press('Shift+Tab');
    const handles = page.locator('.levels-table .col-resize');
    expect(await handles.last().evaluate(hasFocus)).toBe(true);
    // The widths stay worked by the keyboard: after "Skip to rows", the first sort button,
    // then its column's handle, which the arrows widen and narrow.
    await skip.focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const first = handles.first();
    expect(await first.evaluate(hasFocus)).toBe(true);
    const before = Number(await first.getAttribute('aria-valuenow'));
    await page.keyboard.press('ArrowRight');
    await poll(async () => Number(await first.getAttribute('aria-valuenow'))).toBe(before + 16);
    await page.keyboard.press('ArrowLeft');
    await poll(async () => Number(await first.getAttribute('aria-valuenow'))).toBe(before);
    // The same in the Audit and the Queue (one header component).
    for (const view of ['audit', 'queue'] as const) {
      await goTo(page, view);
      // The Queue's jobs have all ended: its All tab lists them.
      if (view === 'queue')
        await page.locator('button[aria-pressed]', { hasText: /^All/ }).first().click();
      await page.locator('[role=table] [data-row-index]').first().waitFor();
      await page.getByTestId('skip-to-rows').focus();
      await page.keyboard.press('Enter');
      await poll(() =>
        page.evaluate(`document.activeElement?.getAttribute('data-row-index') ?? 'none'`),
      ).toBe('0');
      expect(serious(await axe(page, `${view} skip to rows at 1440`))).toEqual([]);
    }
    expect(desk.problems).toEqual([]);
  });

  it('shows an address’s source escaped, and asks none longer than a look-up takes', async () => {
    const odd = 'acme\u202Eevil\u0007';
    askedSources.length = 0;
    await page.goto(`${desk.host.origin}/#/audit?source=${encodeURIComponent(odd)}`);
    const chip = page.getByTestId('source-filter');
    await chip.waitFor();
    expect(await chip.textContent()).toContain('acme\\u202eevil\\x07');
    expect(await chip.getAttribute('aria-label')).toBe(
      'Source acme\\u202eevil\\x07 only: remove this filter',
    );
    const text = (await chip.textContent())!;
    expect([text.includes('\u202E'), text.includes('\u0007')]).toEqual([false, false]);
    // A stored source may have been named so by an earlier version: it is still asked.
    await poll(() => askedSources.includes(odd)).toBe(true);
    for (const size of [SMALL, WIDE]) {
      await page.setViewportSize(size);
      expect(serious(await axe(page, `audit odd source at ${size.width}`))).toEqual([]);
    }
    await shot(page, 'audit-odd-source');
    askedSources.length = 0;
    await page.goto(`${desk.host.origin}/#/audit?source=${'x'.repeat(501)}`);
    await page.locator('.audit-row').first().waitFor();
    expect(await page.getByTestId('source-filter').count()).toBe(0);
    expect(askedSources.filter((s) => s !== undefined)).toEqual([]);
    expect(await page.locator('.banner.error').count()).toBe(0);
  });
});
