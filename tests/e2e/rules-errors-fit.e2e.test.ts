// The Rules view's side panel with a long error in a table row (QA: an invalid "As of" in
// the dry run made its Before cell one line 1,810 px wide, the draft column and the
// message cut off the panel; in What would change a refused request's Trail button sat at
// x=2408): the error wraps in its cell, the table fits its panel and every column and
// button stays in sight, at 1440×900 and 1024×700, while a Queue row's error (rows of one
// height) keeps its one line. And the editor's hover help on a fact named in a condition
// says what that fact is (QA: the generic comparison text).
// Real Chromium against the real engine; screenshots at both sizes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { activeRulesText, openRules, setEditorText } from './rule-editor.ts';
import {
  chainFile,
  expectNoSerious,
  goTo,
  haveChromium,
  openDesk,
  ingestText,
  poll,
  shot,
  SHOTS,
  SMALL,
  WIDE,
  type Desk,
} from './harness.ts';

let desk: Desk;
let page: Page;
let original: string;

const check = () => page.getByTestId('rules-check').textContent();

/**
 * Where `sel`'s elements (and the side panel's table) sit against the side panel: the
 * panel's own sideways overflow, and each element's edges and whether its text is cut.
 */
const FIT = `(sel) => {
  const panel = document.querySelector('.side-panel-body');
  const p = panel.getBoundingClientRect();
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return { text: el.textContent.trim().slice(0, 40), left: Math.round(r.left), right: Math.round(r.right),
      cut: el.scrollWidth > el.clientWidth + 0.5 };
  };
  return {
    panel: { left: Math.round(p.left), right: Math.round(p.right), overflow: panel.scrollWidth - panel.clientWidth },
    viewport: window.innerWidth,
    items: [...panel.querySelectorAll(sel)].map(box),
  };
}`;
type Fit = {
  panel: { left: number; right: number; overflow: number };
  viewport: number;
  items: { text: string; left: number; right: number; cut: boolean }[];
};
const fit = (sel: string) => page.evaluate(`(${FIT})(${JSON.stringify(sel)})`) as Promise<Fit>;

/** Every element `sel` finds lies inside the side panel, whole, and the panel has no sideways scroll. */
async function expectInPanel(sel: string, what: string): Promise<void> {
  const f = await fit(sel);
  expect(f.items.length, `${what}: found nothing`).toBeGreaterThan(0);
  expect(f.panel.overflow, `${what}: the panel scrolls sideways`).toBeLessThanOrEqual(0);
  const outside = f.items.filter(
    (i) => i.left < f.panel.left - 0.5 || i.right > f.panel.right + 0.5 || i.cut,
  );
  expect(outside, `${what} at ${f.viewport} px (panel ${f.panel.left}–${f.panel.right})`).toEqual(
    [],
  );
}

/** `check` at 1440×900 and at 1024×700, back at 1440×900 after. */
async function atBothSizes(check: () => Promise<void>): Promise<void> {
  for (const size of [WIDE, SMALL]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(200);
    await check();
  }
  await page.setViewportSize(WIDE);
  await page.waitForTimeout(100);
}

describe.skipIf(!haveChromium)('rules view: a long error in a row, hover help on a fact', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1 });
    page = desk.page;
    original = await activeRulesText(desk);
    // Two past requests (data of 2024: stale at arrival) for What would change to replay.
    for (let i = 0; i < 2; i++) {
      const file = chainFile(desk.fixtures, `spx-quotedata-desk-export-${i}.csv`, 500 + i, {
        expiries: 2,
        strikesPerExpiry: 8,
      });
      const r = await desk.te.engine.handlers['ingest:submit']({ file, source: 'desk' });
      if (!r.ok) throw new Error(r.error.message);
    }
    await desk.te.engine.drain();
    await openRules(page);
  }, 180_000);

  afterAll(async () => {
    await desk?.close();
  });

  it('hover help on a fact named in a condition says what that fact is; other keys keep theirs', async () => {
    /** The hover shown over the `nth` token whose text is `token` (quotes included). */
    const hoverOver = async (token: string): Promise<string> => {
      await page.mouse.move(0, 0);
      await page.keyboard.press('Escape');
      const span = page
        .locator('.monaco-editor .view-line span > span')
        .filter({ hasText: new RegExp(`^${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
        .first();
      await span.hover();
      const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
      await hover.waitFor({ timeout: 5_000 });
      return (await hover.textContent()) ?? '';
    };
    // A level's policy, at the top of the file.
    expect(await hoverOver('"on_late"')).toContain('a job waiting longer is flagged late');
    // The rules, at the end: G3's bare values, G4's comparison and demotion.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.waitForTimeout(200);
    const reliability = await hoverOver('"source_reliability"');
    expect(reliability).toContain("The source's share of successful ingests (0..1, missing = 1)");
    expect(reliability).not.toContain('Comparisons that must all hold');
    await page.screenshot({ path: join(SHOTS, 'rules-hover-fact.png') });
    expect(await hoverOver('"freshness"')).toContain('stale < fresh < real-time');
    expect(await hoverOver('"demote"')).toContain('Steps towards LOW.');
    await page.mouse.move(0, 0);
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('rules-title').textContent()).toMatch(/^Version 1active$/);
  });

  it('dry run: an invalid As of wraps its error in the Before cell; the draft column stays in the panel', async () => {
    await page.getByRole('tab', { name: 'Dry run' }).click();
    await page.getByRole('button', { name: 'critical', exact: true }).click();
    await page.getByLabel('As of').fill('yesterday');
    const row = page.locator('.dry-run tbody tr', { hasText: 'critical' });
    await poll(() => row.textContent()).toContain('INVALID_FACT');
    // The whole message is there to read, not cut mid-sentence.
    expect(await row.getByTestId('error-line').first().textContent()).toMatch(
      /must be an ISO-8601 timestamp.*$/,
    );
    await atBothSizes(async () => {
      await expectInPanel('.dry-table, .dry-table th, .dry-table td', 'the dry run table');
      await expectInPanel('.dry-table .error-message', 'the error message');
    });
    // The other rows keep one line each: the error's row alone grows.
    const heights: number[] = [];
    for (const tr of await page.locator('.dry-table tbody tr').all())
      heights.push(Math.round((await tr.boundingBox())!.height));
    const others = heights.filter((_, i) => i !== 0);
    expect(Math.max(...others)).toBeLessThan(40);
    expect(heights[0]).toBeGreaterThan(Math.max(...others));
    await shot(page, 'rules-dry-run-long-error', row);
    await expectNoSerious(page, 'rules: dry run with a long error');
    await page.getByRole('button', { name: 'Reset examples' }).click();
    await poll(() => row.textContent()).not.toContain('INVALID');
  });

  it('what would change: a refused request’s error wraps; its file, rule and Trail button stay in the panel', async () => {
    // Ages measured the wrong way round: every past request is "in the future", refused.
    const swapped = original.replace(
      /"from": "as_of",(\s*)"to": "now"/,
      '"from": "now",$1"to": "as_of"',
    );
    expect(swapped).not.toBe(original);
    await setEditorText(page, swapped);
    await poll(check).toMatch(/^valid/);
    await page.getByRole('tab', { name: 'What would change' }).click();
    const group = page.locator('[data-testid=whatif-group][data-to=INVALID]');
    await group.waitFor({ timeout: 30_000 });
    await group.getByRole('button', { expanded: false }).click();
    const rows = page.getByTestId('whatif-request');
    await poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain('INVALID_FACT');
    await atBothSizes(async () => {
      await expectInPanel('.whatif-table', 'the what-if table');
      await expectInPanel('[data-testid=whatif-request] button', 'the Trail buttons');
      await expectInPanel('.whatif-table .error-message', 'the error message');
      // The file keeps room for more than its first letter.
      const file = (await rows.first().locator('.file-cell').boundingBox())!;
      expect(file.width).toBeGreaterThan(80);
    });
    await shot(page, 'rules-whatif-long-error', rows.first());
    await expectNoSerious(page, 'rules: what would change with a refused request');
    await page.getByRole('tab', { name: 'Dry run' }).click();
    await setEditorText(page, original);
    await poll(check).toMatch(/^valid/);
  });

  it('a Queue row’s error keeps one line, the message cut with an ellipsis (its rows have one height)', async () => {
    const name = 'not-a-chain-with-a-long-error.csv';
    await ingestText(desk, name, 'this is not,an option chain\nhello,world\n');
    await goTo(page, 'queue');
    await page.locator('[data-filter=failed]').click();
    const row = page.locator('[data-testid=job-row]', { hasText: name });
    const line = row.getByTestId('error-line');
    await line.waitFor();
    await atBothSizes(async () => {
      const whiteSpace = `getComputedStyle([...document.querySelectorAll('[data-testid=job-row]')]
        .find((r) => r.textContent.includes(${JSON.stringify(name)}))
        .querySelector('[data-testid=error-line]')).whiteSpace`;
      expect(await page.evaluate(whiteSpace)).toBe('nowrap');
      const box = (await line.boundingBox())!;
      const cell = (await row.locator('.c-outcome').boundingBox())!;
      expect(box.height).toBeLessThan(22);
      expect(box.x + box.width).toBeLessThanOrEqual(cell.x + cell.width + 0.5);
    });
    await shot(page, 'queue-row-long-error', row);
  });
});
