// The Audit trail's kind chips at 1024×700: with a chip for each of the 17 kinds (18 with `inbox`) the row
// took two lines (and the filter box a third). The kinds seldom looked for alone are now
// under "more" (a disclosure button, its chips always in the page): the row is one line at
// 1024 and 1440 px, nothing in it cut, every kind still has its chip, and "more" is worked
// from the keyboard (Enter opens it, Tab reaches its kinds, Space chooses one, which "more"
// then counts, Escape closes it and gives the focus back), with no serious axe finding.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { AuditKind } from '../../shared/api/audit.ts';
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

/** The tops of the chips shown in the row (the row's lines: one top per line). */
const rowTops = () =>
  page.evaluate(`[...new Set([...document.querySelectorAll('.chips[aria-label=Kinds] .chip')]
    .filter((el) => el.getClientRects().length > 0 && !el.closest('.more-kinds-panel'))
    .map((el) => Math.round(el.getBoundingClientRect().top)))]`) as Promise<number[]>;

const focusedKind = () =>
  page.evaluate(
    `document.activeElement?.getAttribute('data-kind') ?? document.activeElement?.getAttribute('data-testid')`,
  );

describe.skipIf(!haveChromium)('the Audit trail’s kind chips', () => {
  beforeAll(async () => {
    desk = await openDesk();
    page = desk.page;
    const file = join(desk.fixtures, 'spx.csv');
    writeFileSync(file, cboeCsvText(makeChain({ seed: 5, expiries: 2, strikesPerExpiry: 10 })));
    const r = await desk.te.engine.handlers['ingest:submit']({ file, source: 'desk' });
    if (!r.ok) throw new Error(r.error.message);
    await desk.te.engine.drain();
    await goTo(page, 'audit');
    await page.locator('.audit-row').first().waitFor();
  }, 120_000);
  afterAll(() => desk?.close());

  it('fit one line at 1024 and 1440 px, every kind still a chip', async () => {
    const chips = (await page.evaluate(
      `[...document.querySelectorAll('.chips[aria-label=Kinds] [data-kind]')].map((el) => el.getAttribute('data-kind'))`,
    )) as string[];
    expect([...chips].sort()).toEqual([...AuditKind.options].sort());
    // A file the inbox set aside in failed/ (kind `inbox`): seldom looked for alone, under "more".
    const inbox = page.locator('.more-kinds-panel [data-kind=inbox]');
    expect(await inbox.count()).toBe(1);
    expect(await inbox.getAttribute('title')).toBe(
      'The inbox moved the file to failed/: changed after it was taken, or refused at its door',
    );
    for (const size of [SMALL, WIDE]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(150);
      expect([size.width, (await rowTops()).length]).toEqual([size.width, 1]);
      expect(
        await cutOff(page, '.chips[aria-label=Kinds], .chips[aria-label=Kinds] .chip'),
      ).toEqual([]);
      expect(serious(await axe(page, `audit chips at ${size.width}`))).toEqual([]);
    }
    await shot(page, 'audit-kind-chips');
  });

  it('"more" is worked from the keyboard and counts its kinds chosen', async () => {
    await page.setViewportSize(SMALL);
    const more = page.getByTestId('more-kinds');
    await more.focus();
    await page.keyboard.press('Enter');
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    await page.locator('.more-kinds-panel [data-kind=arrival]').waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedKind()).toBe('arrival');
    await page.keyboard.press('Space');
    await poll(() =>
      page.locator('.more-kinds-panel [data-kind=arrival]').getAttribute('aria-pressed'),
    ).toBe('true');
    await poll(() => more.textContent()).toContain('1 on');
    await poll(() =>
      page.evaluate(
        `[...new Set([...document.querySelectorAll('.audit-row')].map((x) => x.getAttribute('data-kind')))].join()`,
      ),
    ).toBe('arrival');
    // The panel over the table, at both widths: nothing cut, nothing serious.
    expect(await cutOff(page, '.more-kinds-panel .chip')).toEqual([]);
    expect(serious(await axe(page, 'audit more kinds open at 1024'))).toEqual([]);
    await page.setViewportSize(WIDE);
    expect(serious(await axe(page, 'audit more kinds open at 1440'))).toEqual([]);
    await shot(page, 'audit-more-kinds');
    await page.keyboard.press('Escape');
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('.more-kinds-panel').isVisible()).toBe(false);
    expect(await focusedKind()).toBe('more-kinds');
    // Chosen and closed: the row stays one line, "more" still says so.
    await page.setViewportSize(SMALL);
    await page.waitForTimeout(150);
    expect((await rowTops()).length).toBe(1);
    expect(await more.textContent()).toContain('1 on');
    // Opened again and a click elsewhere closes it; the kind chosen again is undone.
    await more.click();
    await page.locator('.more-kinds-panel [data-kind=arrival]').click();
    await poll(() => more.textContent()).not.toContain('on');
    await page.getByLabel('Filter entries by file, underlying, request or analyst').click();
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    expect(desk.problems).toEqual([]);
  });
});
