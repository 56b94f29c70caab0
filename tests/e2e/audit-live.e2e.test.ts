// The Audit view keeps the analyst's place under a live stream (QA qv F10), in real
// Chromium against the real engine and browser host: entries arriving while a row has
// the focus and its explanation is open do not push it out of view, nor take its focus
// (nor its Tab stop) away, and a notice says how many are above, politely, and goes back
// to them; a focused row scrolled far out of the drawn window keeps the
// focus; at the top and idle, new entries still appear on top. And a chip for every kind
// the engine writes, whatever the loaded entries hold (QA qv F7). Screenshots at both
// sizes, axe-core.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { AuditKind } from '../../shared/api/audit.ts';
import { appendAudits, type AuditInput } from '../../electron/engine/store/audit.ts';
import {
  chainFile,
  expectNoSerious,
  goTo,
  haveChromium,
  openDesk,
  poll,
  queueFile,
  shot,
  type Desk,
} from './harness.ts';

let desk: Desk;
let page: Page;
let n = 0;
/** The entries of the request that makes its source known (arrival, decision, started, completed). */
const SEED_ENTRIES = 4;

const entry = (): AuditInput => {
  const i = n++;
  return {
    kind: 'started',
    request_id: `live-${String(i).padStart(4, '0')}`,
    job_id: null,
    rule_version: null,
    rule: null,
    priority: 'LOW',
    facts: null,
    explanation: `Started live ${i}`,
    actor: null,
    file: `live-${i}.csv`,
    underlying: 'SPX',
  };
};

let fed = 0;
/** `count` source overrides, one at a time: each a `source` entry, written and announced. */
async function stream(count: number, pauseMs = 30): Promise<void> {
  for (let i = 0; i < count; i++) {
    const k = fed++;
    const r = await desk.te.engine.handlers['sources:set']({
      id: 'e2e',
      reliability: (k % 10) / 10,
      justification: `live stream ${k}`,
      author: 'ops',
    });
    if (!r.ok) throw new Error(r.error.message);
    await page.waitForTimeout(pauseMs);
  }
}

const count = () => page.getByTestId('audit-count').innerText();
/** The focused element's data-focus-key (a row's entry), or its tag. */
const focusedKey = () =>
  page.evaluate(
    `(() => { const a = document.activeElement; return a ? (a.getAttribute('data-focus-key') ?? a.tagName) : null; })()`,
  ) as Promise<string | null>;
const scroller = '.audit-table .tscroll';
/** Scrolls the list to `to` (an expression of its element, `el`). */
const scrollTo = (to: string) =>
  page.evaluate(
    `(() => { const el = document.querySelector('${scroller}'); el.scrollTop = ${to}; })()`,
  );

describe.skipIf(!haveChromium)('the Audit view under a live stream', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1 });
    page = desk.page;
    // Its source known (the overrides streamed are of it), then older entries to read.
    await queueFile(desk, chainFile(desk.fixtures, 'seed.csv', 11, { expiries: 1 }));
    await desk.te.engine.drain();
    await appendAudits(desk.te.engine.store, Array.from({ length: 80 - SEED_ENTRIES }, entry));
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('keeps the focused, open entry in place and focused while newer ones arrive', async () => {
    await goTo(page, 'audit');
    await poll(count).toBe('80 entries');
    const row = page.locator('.audit-row[data-row-index="5"]');
    await row.click();
    const key = await row.getAttribute('data-focus-key');
    expect(key).toMatch(/^audit-entry-\d+$/);
    await poll(focusedKey).toBe(key);
    const read = page.locator(`[data-focus-key="${key}"]`);
    await page.getByTestId('audit-explanation').waitFor();
    const before = (await read.boundingBox())!;

    await stream(60);
    await poll(count).toBe('140 entries');
    await page.waitForTimeout(300);
    // The same entry, where it was, still focused and open; its Tab stop with it.
    expect(await focusedKey()).toBe(key);
    const after = (await read.boundingBox())!;
    expect(Math.abs(after.y - before.y)).toBeLessThanOrEqual(2);
    expect(await read.getAttribute('data-row-index')).toBe('65');
    expect(await page.locator('.audit-row[tabindex="0"]').getAttribute('data-focus-key')).toBe(key);
    await expect.poll(() => page.getByTestId('audit-explanation').isVisible()).toBe(true);
    // Said, and a way back to them.
    await poll(() => page.getByTestId('newer-above').innerText()).toBe('60 new entries ↑');
    expect(await page.getByTestId('newer-said').innerText()).toBe('60 new entries above');
    await shot(page, 'audit-live-kept');
    await expectNoSerious(page, 'audit: the entry read kept under a live stream');
    // The keys go on from it.
    await page.keyboard.press('ArrowDown');
    await poll(() => page.evaluate(`document.activeElement?.dataset?.rowIndex`)).toBe('66');
    await page.keyboard.press('ArrowUp');
    await poll(focusedKey).toBe(key);
  }, 120_000);

  it('keeps the focus of a row scrolled far out of the drawn window', async () => {
    await scrollTo('el.scrollHeight');
    await page.waitForTimeout(300);
    const key = await focusedKey();
    expect(key).toMatch(/^audit-entry-/);
    await stream(8);
    await page.waitForTimeout(300);
    expect(await focusedKey()).toBe(key);
    // Scrolled away from the top: what is in view stays in view.
    const last = page.locator('.audit-row').filter({ hasText: 'live-0.csv' });
    await poll(() => last.isVisible()).toBe(true);
  }, 60_000);

  it('shows new entries on top at the top of the list when no row is read', async () => {
    // Closed, the focus elsewhere, back at the top.
    await page.locator('.audit-item.open .audit-row').click();
    // The notice goes back to the newest, its row focused.
    await page.getByTestId('newer-above').click();
    await poll(focusedKey).toBe(
      await page.locator('.audit-row[data-row-index="0"]').getAttribute('data-focus-key'),
    );
    expect(await page.getByTestId('newer-above').count()).toBe(0);
    await page.getByLabel('Filter entries by file, underlying, request or analyst').focus();
    await scrollTo('0');
    await page.waitForTimeout(200);
    const newest = fed;
    await stream(3);
    await poll(() => page.locator('.audit-row[data-row-index="0"]').innerText()).toContain(
      `live stream ${newest + 2}`,
    );
    expect(await page.evaluate(`document.querySelector('${scroller}').scrollTop`)).toBe(0);
  }, 60_000);

  it('offers a chip for every kind the engine writes, whatever the entries loaded hold', async () => {
    const chips = (await page.evaluate(
      `[...document.querySelectorAll('.chips[aria-label=Kinds] [data-kind]')].map((el) => el.getAttribute('data-kind'))`,
    )) as string[];
    expect([...chips].sort()).toEqual([...AuditKind.options].sort());
    await page.locator('.chips [data-kind=cancelled]').click();
    await poll(count).toBe('0 entries');
    await shot(page, 'audit-live-chips');
    await expectNoSerious(page, 'audit: every kind a chip');
    await page.locator('.chips [data-kind=cancelled]').click();
    expect(desk.problems).toEqual([]);
  }, 60_000);
});
