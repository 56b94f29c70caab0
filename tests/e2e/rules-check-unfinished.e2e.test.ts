// The Rules view when a check does not finish, and what an edit costs (QA rl F1, F2, F4).
// After a check stopped past its budget the header said "checking…" (its live region),
// the dry run "Checking the draft…", forever, Activate disabled with no reason and no way
// to check again but an edit; the problems of the text before the edit stayed listed and
// underlined as if current, during a long check and after one that did not finish; and
// each valid edit was analysed three times in a row (the editor's check, then the dry
// run's re-checks of the draft and of the active set). Real Chromium against the real
// engine, its analysis budget short (2 s) so that a set of 40 heavy tables runs past it;
// screenshots and axe-core at 1440×900 and 1024×700.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { CALL_PATH } from '../../shared/channels.ts';
import { heavyRules } from '../rules/heavy-rules.ts';
import { activeRulesText, openRules, setEditorText, staleTo } from './rule-editor.ts';
import {
  expectNoSerious,
  haveChromium,
  openDesk,
  poll,
  shot,
  SMALL,
  WIDE,
  type Desk,
} from './harness.ts';

let desk: Desk;
let page: Page;
/** The analyses the engine started, in order. */
const started: string[] = [];

const check = () => page.getByTestId('rules-check').textContent();
const dryState = () => page.getByTestId('dry-run-state').textContent();
const underlines = () => page.locator('.monaco-editor .squiggly-error').count();

describe.skipIf(!haveChromium)('the rule editor when a check does not finish', () => {
  beforeAll(async () => {
    desk = await openDesk({
      rulesAnalysis: { budgetMs: 2000, onStart: (name) => started.push(name) },
    });
    page = desk.page;
    await openRules(page);
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('analyses a valid edit once: the dry run re-checks neither the draft nor the active set', async () => {
    const original = await activeRulesText(desk);
    const dryRuns: string[] = [];
    const onRequest = (r: Request) => {
      if (r.url().includes(`${CALL_PATH}rules:dryRun`)) dryRuns.push(r.url());
    };
    page.on('request', onRequest);
    const before = started.length;
    await setEditorText(page, staleTo(original, 'MEDIUM'));
    await poll(check).toMatch(/^valid/);
    await poll(dryState).toMatch(/changes \d+ of \d+ decisions|decides every request/);
    page.off('request', onRequest);
    // The dry run ran (for the draft and for the active set), on the check's one analysis.
    expect(dryRuns.length).toBeGreaterThanOrEqual(2);
    expect(started.slice(before)).toEqual(['check']);
  }, 60_000);

  it('says the check did not finish and why, offers to check again, and marks the problems as earlier', async () => {
    const original = await activeRulesText(desk);
    // First a text with an error: listed and underlined.
    await setEditorText(page, staleTo(original, 'MEDIUMX'));
    await poll(check).toMatch(/^1 error/);
    await poll(underlines).toBeGreaterThan(0);
    const problems = page.getByRole('list', { name: 'Problems in the rules' });
    await problems.getByText('BAD_SHAPE').waitFor();

    // Then a set whose analysis runs past the budget: while it is checked, the earlier
    // problems are said to be from before the edit and no longer underlined.
    const checks: Request[] = [];
    const onRequest = (r: Request) => {
      if (r.url().includes(`${CALL_PATH}rules:check`)) checks.push(r);
    };
    page.on('request', onRequest);
    await setEditorText(page, heavyRules(40));
    await poll(() => page.getByTestId('diagnostics-earlier').textContent()).toBe(
      'From before your last edit; checking…',
    );
    const earlier = page.getByRole('list', { name: 'Problems in the rules before your last edit' });
    await earlier.getByText('BAD_SHAPE').waitFor();
    expect(await underlines()).toBe(0);
    expect(await check()).toBe('checking…');

    // The check stops: the header, the banner, the dry run and Activate say so.
    await expect
      .poll(check, { timeout: 60_000, interval: 100 })
      .toBe('not checked: the analysis ran past its time budget');
    const banner = page.getByTestId('check-failed');
    expect(await banner.textContent()).toContain('RULES_TOO_COMPLEX');
    expect(await banner.textContent()).toMatch(/ran for \d+(\.\d+)? s on this machine/);
    expect(await dryState()).toBe(
      'The dry run cannot run until the draft checks: its check did not finish (above).',
    );
    const activate = page.getByRole('button', { name: 'Activate…' });
    expect(await activate.isDisabled()).toBe(true);
    expect(await activate.getAttribute('title')).toMatch(/^The draft's check did not finish/);
    expect(await page.getByTestId('diagnostics-earlier').textContent()).toBe(
      'From before your last edit: the check of the text now did not finish.',
    );
    expect(await underlines()).toBe(0);
    // Nothing else is being asked meanwhile: the state stays.
    const asked = checks.length;
    await page.waitForTimeout(1500);
    expect(checks.length).toBe(asked);
    expect(await check()).toBe('not checked: the analysis ran past its time budget');

    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(200);
      const box = await banner.getByRole('button', { name: 'Check again' }).boundingBox();
      expect(box && box.x + box.width <= size.width && box.y + box.height <= size.height).toBe(
        true,
      );
      await expectNoSerious(page, `rules check not finished ${size.width}x${size.height}`);
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'rules-check-unfinished');

    // The banner is said as it appears (QA rl2 N1).
    expect(await banner.getAttribute('role')).toBe('alert');

    // Check again, from the keyboard: asked again, "checking…" meanwhile, the focus on
    // that status rather than on the page's body as the button goes (QA rl2 N1), and (the
    // same set) stopped again.
    await banner.getByRole('button', { name: 'Check again' }).focus();
    await page.keyboard.press('Enter');
    expect(await check()).toBe('checking…');
    await banner.waitFor({ state: 'hidden' });
    const focused = () => page.evaluate('document.activeElement?.dataset?.testid');
    expect(await focused()).toBe('rules-check');
    await poll(() => checks.length).toBe(asked + 1);
    await expect
      .poll(check, { timeout: 60_000, interval: 100 })
      .toBe('not checked: the analysis ran past its time budget');
    expect(await focused()).toBe('rules-check');

    // An edit undone at once (QA rl2 N5): the same text is checked again, and the header says
    // "checking…" (no Check again) until that check answers, never "not checked" meanwhile.
    const again = page.waitForResponse((r) => r.url().includes(`${CALL_PATH}rules:check`), {
      timeout: 60_000,
    });
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('x');
    await page.waitForTimeout(50);
    await page.keyboard.press('Control+z');
    const said: string[] = [];
    let answered = false;
    const watch = (async () => {
      while (!answered) {
        said.push(`${await check()} | banners ${await page.getByTestId('check-failed').count()}`);
        await page.waitForTimeout(50);
      }
    })();
    await again;
    answered = true;
    await watch;
    expect(checks.length).toBe(asked + 2);
    expect(said.length).toBeGreaterThan(10);
    // (The last look may have come as the answer did.)
    expect(said.slice(0, -1).filter((s) => s !== 'checking… | banners 0')).toEqual([]);
    await expect
      .poll(check, { timeout: 60_000, interval: 100 })
      .toBe('not checked: the analysis ran past its time budget');
    page.off('request', onRequest);

    // An edit to a text that checks: its own state, the earlier list gone.
    await setEditorText(page, staleTo(original, 'MEDIUM'));
    await poll(check).toMatch(/^valid/);
    expect(await page.getByTestId('check-failed').count()).toBe(0);
    expect(await page.getByTestId('diagnostics-earlier').count()).toBe(0);
    await poll(dryState).toMatch(/changes \d+ of \d+ decisions|decides every request/);
    await poll(() => activate.isEnabled()).toBe(true);
    expect(desk.problems).toEqual([]);
  }, 180_000);
});
