// The Audit view reaches every entry (QA qv F3, F4), in real Chromium against the real
// engine and browser host: past the newest page, scrolling to the end loads the next
// (audit:list's `after`), the count saying what is loaded ("newest N loaded, more below",
// then "N entries"); the filter box asks the engine, so it finds a request whose entries
// are thousands of entries down, and a new entry that matches arrives on top while it is
// shown; Back from a request's timeline lands on the row it was opened from (the table is
// drawn anew: the row is found by its entry). Screenshots at both sizes, axe-core.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appendAudits, type AuditInput } from '../../electron/engine/store/audit.ts';
import {
  api,
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
/** More than the 5,000 the view loaded at once before, and than five of its pages. */
const FILLERS = 5600;
let needleRequest = '';

const filler = (i: number): AuditInput => ({
  kind: 'started',
  request_id: `filler-${String(i).padStart(4, '0')}`,
  job_id: null,
  rule_version: null,
  rule: null,
  priority: 'LOW',
  facts: null,
  explanation: `Started filler ${i}`,
  actor: null,
  file: `filler-${i}.csv`,
  underlying: 'SPX',
});

const count = () => page.getByTestId('audit-count').innerText();
const search = () => page.getByLabel('Filter entries by file, underlying, request or analyst');
/** The focused element: its tag and text (a row's cells' texts, an entry's own). */
const focused = () =>
  page.evaluate(
    `(() => { const a = document.activeElement; return a ? a.tagName + ':' + a.textContent : null; })()`,
  ) as Promise<string | null>;

describe.skipIf(!haveChromium)('the Audit view reaches every entry', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1 });
    page = desk.page;
    // The morning's request, then thousands of newer entries above it.
    await queueFile(desk, chainFile(desk.fixtures, 'needle-morning.csv', 11, { expiries: 1 }));
    await desk.te.engine.drain();
    const jobs = await api(desk.te.engine.handlers['jobs:list']({ limit: 10 }));
    needleRequest = jobs.find((j) => j.file.endsWith('needle-morning.csv'))!.request_id;
    for (let i = 0; i < FILLERS; i += 700)
      await appendAudits(
        desk.te.engine.store,
        Array.from({ length: Math.min(700, FILLERS - i) }, (_, k) => filler(i + k)),
      );
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('finds a request thousands of entries down with the filter box, and keeps it live', async () => {
    await goTo(page, 'audit');
    await poll(count).toBe('newest 1,000 loaded, more below');
    const trail = await api(
      desk.te.engine.handlers['audit:list']({
        request_id: needleRequest,
        limit: 100,
        order: 'newest',
      }),
    );
    expect(trail.length).toBeGreaterThanOrEqual(3);
    await search().fill('NEEDLE-morning');
    await poll(count).toBe(`${trail.length} entries`);
    const rows = page.locator('.audit-row');
    expect(await rows.count()).toBe(trail.length);
    for (const text of await rows.allInnerTexts()) expect(text).toContain('needle-morning.csv');
    await shot(page, 'audit-reach-search');
    await expectNoSerious(page, 'audit: a search past the loaded pages');

    // A new request that matches arrives on top while the search is shown; others do not.
    await queueFile(desk, chainFile(desk.fixtures, 'needle-later.csv', 12, { expiries: 1 }));
    await queueFile(desk, chainFile(desk.fixtures, 'other-later.csv', 13, { expiries: 1 }));
    await desk.te.engine.drain();
    await search().fill('needle');
    await poll(async () => (await rows.first().innerText()).includes('needle-later.csv')).toBe(
      true,
    );
    const texts = await rows.allInnerTexts();
    expect(texts.some((t) => t.includes('other-later.csv'))).toBe(false);
    expect(texts.some((t) => t.includes('needle-morning.csv'))).toBe(true);
    await search().fill('');
    await poll(count).toBe('newest 1,000 loaded, more below');
  }, 120_000);

  it('loads the next page when the list is scrolled to its end, down to the oldest entry', async () => {
    const total = (
      await api(desk.te.engine.handlers['audit:list']({ limit: 10_000, order: 'newest' }))
    ).length;
    expect(total).toBeGreaterThan(FILLERS);
    await page.locator('.audit-row').first().focus();
    for (let loaded = 1000; loaded < total; loaded += 1000) {
      await page.keyboard.press('End');
      await poll(count).toBe(
        loaded + 1000 < total
          ? `newest ${(loaded + 1000).toLocaleString('en-US')} loaded, more below`
          : `${total.toLocaleString('en-US')} entries`,
      );
    }
    await page.keyboard.press('End');
    // The oldest: the morning's request, its arrival.
    const last = page.locator(`.audit-row[data-row-index="${total - 1}"]`);
    await poll(() => last.innerText()).toContain('needle-morning.csv');
    await shot(page, 'audit-reach-oldest', last);
    await expectNoSerious(page, 'audit: the oldest entry, pages loaded');
  }, 120_000);

  it("lands Back from a request's timeline on the row it was opened from", async () => {
    await page.reload();
    await page.getByTestId('engine-state').getByText('engine ok').waitFor({ timeout: 30_000 });
    await goTo(page, 'audit');
    const first = page.locator('.audit-row').first();
    await first.waitFor();
    await first.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    // Each row's text is its own here (a filler's number, a file's snapshot id).
    const left = `DIV:${await page.locator('.audit-row[data-row-index="3"]').textContent()}`;
    const next = `DIV:${await page.locator('.audit-row[data-row-index="4"]').textContent()}`;
    await poll(focused).toBe(left);
    await page.keyboard.press('t');
    await page.getByTestId('request-trail').waitFor();
    await poll(focused).toMatch(/^H2:/);
    await page.goBack();
    await page.locator('.audit-row').first().waitFor();
    await poll(focused).toBe(left);
    expect(page.url()).toMatch(/#\/audit$/);
    // The keys go on from there.
    await page.keyboard.press('ArrowDown');
    await poll(focused).toBe(next);
    await shot(page, 'audit-reach-back');
    expect(desk.problems).toEqual([]);
  }, 60_000);
});
