// Safe rule changes in real Chromium against the real engine (issue 14): the draft
// survives switching views and reloads, discarding it asks first, Activate and Roll
// back show the diff against the active version and need a comment, old versions
// open read-only, banners tell the present state only, the dry run shows before →
// after and never outlives its text, facts go in through a form or as JSON, and the
// editor says how to leave it with the keyboard. Screenshots at both sizes.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { writeLongCsv } from '../fixtures/option-chains.ts';
import { toJsonLines } from '../../renderer/src/views/rules/facts.ts';
import { activeRulesText, openRules, setEditorText, staleTo } from './rule-editor.ts';
import { goTo, haveChromium, openDesk, poll, shot, type Desk, expectNoSerious } from './harness.ts';

let desk: Desk;
let page: Page;
let original: string;

/** One request's facts (an SPX chain read 2 s before it arrived, as the examples' `critical`). */
const fact = (id: string) => {
  const now = Date.now();
  return {
    id,
    underlying: 'SPX',
    as_of: new Date(now - 2000).toISOString(),
    now: new Date(now).toISOString(),
    total_volume: 80000,
    total_open_interest: 300000,
    gex_change: 0.25,
  };
};

const title = () => page.getByTestId('rules-title').textContent();
const check = () => page.getByTestId('rules-check').textContent();

describe.skipIf(!haveChromium)('safe rule changes', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1 });
    page = desk.page;
    original = await activeRulesText(desk);
    await openRules(page);
  }, 180_000);

  afterAll(async () => {
    await desk?.close();
  });

  it('dry-runs the examples before → after, all unchanged while the draft is the active text', async () => {
    const table = page.locator('.dry-run table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(6);
    expect(await table.locator('tbody tr').first().textContent()).toContain('CRITICAL');
    expect(await page.getByTestId('dry-run-state').textContent()).toBe(
      'Your draft decides every request as the active rules do.',
    );
    expect(await title()).toMatch(/^Version 1active$/);
    expect(await page.getByRole('button', { name: 'Activate…' }).isDisabled()).toBe(true);
    await shot(page, 'rules');
    await expectNoSerious(page, 'rules: the active version');
  });

  it('shows what an edit changes, and keeps it as a draft across views and reloads', async () => {
    await setEditorText(page, staleTo(original, 'MEDIUM'));
    await poll(title).toMatch(/^Your draft/);
    await poll(check).toMatch(/^valid/);
    await poll(() => page.getByTestId('dry-run-state').textContent()).toBe(
      'Your draft changes 1 of 6 decisions.',
    );
    const changed = page.locator('.dry-run tr[data-changed=true]');
    expect(await changed.count()).toBe(1);
    expect(await changed.textContent()).toMatch(/^stale.*LOW.*→.*MEDIUM/);
    await shot(page, 'rules-dry-run-changed');

    await goTo(page, 'queue');
    await goTo(page, 'rules');
    await poll(title).toMatch(/^Your draft/);
    await page.reload();
    await page.locator('.monaco-editor').waitFor();
    await poll(title).toMatch(/^Your draft/);
    await page.getByTestId('draft-banner').waitFor();
    expect(await page.getByTestId('draft-banner').textContent()).toMatch(
      /Your unsaved draft from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+ is back\./,
    );
    await poll(() => page.getByTestId('dry-run-state').textContent()).toBe(
      'Your draft changes 1 of 6 decisions.',
    );
    await shot(page, 'rules-draft-restored');
  });

  it('shows no stale results or banners while the draft is broken', async () => {
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' oops');
    await poll(check).toMatch(/^[1-9]\d* errors?/);
    await page.locator('.diagnostics li.error').first().waitFor();
    expect(await page.locator('.diagnostics li.error').first().textContent()).toMatch(/^\d+:\d+/);
    expect(await page.getByRole('button', { name: 'Activate…' }).isDisabled()).toBe(true);
    await poll(() => page.locator('.dry-run table').count()).toBe(0);
    expect(await page.getByTestId('dry-run-state').textContent()).toBe(
      'Fix the errors in the draft to run it.',
    );
    // The marker covers the engine's whole range for the problem.
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'attached' });
    await shot(page, 'rules-diagnostics');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Backspace');
    await poll(check).toMatch(/^valid/);
    await poll(() => page.getByTestId('dry-run-state').textContent()).toBe(
      'Your draft changes 1 of 6 decisions.',
    );
  });

  it('asks before discarding the draft', async () => {
    await page.getByRole('button', { name: 'Discard draft…' }).click();
    const dialog = page.getByTestId('discard-dialog');
    await dialog.waitFor();
    await shot(page, 'rules-discard-dialog');
    await expectNoSerious(page, 'rules: discard dialog');
    await dialog.getByRole('button', { name: 'Keep the draft' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await title()).toMatch(/^Your draft/);
  });

  it('activates only after the diff, a comment and a confirmation', async () => {
    // Two requests wait, paused, for the read of their file that decides their level.
    const { engine } = desk.te;
    await engine.handlers['queue:pause']({});
    const asOf = new Date(Date.now() - 200_000).toISOString().slice(0, 19);
    const waiting = await Promise.all(
      [0, 1].map(async (i) => {
        const file = join(desk.fixtures, `deciding-${i}.csv`);
        writeLongCsv(file, { seed: 40 + i, underlying: `D${i}`, asOf, offset: '+00:00' });
        const ack = await engine.handlers['ingest:submit']({ file, source: 'vendor' });
        if (!ack.ok) throw new Error(ack.error.message);
        expect(ack.value.status).toBe('deciding');
        return ack.value.job_id!;
      }),
    );
    await page.getByRole('button', { name: 'Activate…' }).click();
    const dialog = page.getByTestId('confirm-change');
    await dialog.waitFor();
    await poll(() => dialog.getByTestId('change-effect').textContent()).toMatch(
      /queued and running jobs keep their level, and the 2 requests still being decided keep the rules of their arrival\.$/,
    );
    await poll(() => dialog.getByTestId('diff-stats').textContent()).toBe('+1 line · −1 line');
    // The changed line, removed and added, with context; the rest folded.
    expect(await dialog.locator('.diff-line.del').textContent()).toMatch(
      /"freshness".*"level": "LOW"/,
    );
    expect(await dialog.locator('.diff-line.add').textContent()).toMatch(
      /"freshness".*"level": "MEDIUM"/,
    );
    expect(await dialog.locator('.diff-skip').first().textContent()).toMatch(/unchanged lines$/);
    const confirm = dialog.getByTestId('confirm-change-button');
    await dialog.getByLabel('Your name').fill('e2e analyst');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Why').fill('stale data is still worth a MEDIUM');
    await shot(page, 'rules-activate-dialog');
    await expectNoSerious(page, 'rules: activate dialog');
    await confirm.click();
    await dialog.waitFor({ state: 'detached' });
    await poll(() => page.getByTestId('activated-banner').textContent()).toBe(
      'Version 2 is now active.',
    );
    await poll(title).toMatch(/^Version 2active$/);
    // Decided after the activation, by the rules of their arrival.
    await engine.handlers['queue:resume']({});
    await engine.drain();
    const jobs = await engine.handlers['jobs:list']({ limit: 10 });
    if (!jobs.ok) throw new Error(jobs.error.message);
    expect(
      jobs.value.filter((j) => waiting.includes(j.id)).map((j) => [j.status, j.rule_version]),
    ).toEqual([
      ['completed', 1],
      ['completed', 1],
    ]);
    await poll(() => page.getByTestId('dry-run-state').textContent()).toBe(
      'Your draft decides every request as the active rules do.',
    );
    // The banner is the present state: an edit takes it away.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' ');
    await page.getByTestId('activated-banner').waitFor({ state: 'detached' });
    await page.keyboard.press('Backspace');
    await poll(title).toMatch(/^Version 2active$/);
  });

  it('opens an old version read-only, and rolls back to it through the same confirmation', async () => {
    await page.getByRole('tab', { name: /^History/ }).click();
    const v1 = page.locator('.history [data-version="1"]');
    await v1.getByRole('button', { name: 'View version 1 (read-only)' }).click();
    await page.getByTestId('viewing-banner').waitFor();
    await poll(title).toMatch(/^Version 1read-only/);
    expect(await page.getByRole('button', { name: 'Activate…' }).isDisabled()).toBe(true);
    // The side panel decides with the text on screen, not the draft: version 1 (stale data
    // LOW) against the active version 2 (stale data MEDIUM).
    await page.getByRole('tab', { name: 'Dry run' }).click();
    await poll(() => page.getByTestId('dry-run-state').textContent()).toBe(
      'Version 1 changes 1 of 6 decisions.',
    );
    expect(await page.locator('.dry-run thead').textContent()).toContain('After (v1)');
    expect(await page.locator('.dry-run tr[data-changed=true]').textContent()).toMatch(
      /^stale.*MEDIUM.*→.*LOW/,
    );
    await page.getByRole('tab', { name: 'What would change' }).click();
    await poll(() => page.getByTestId('whatif-state').textContent()).toMatch(/^Version 1 decides /);
    await page.getByRole('tab', { name: /^History/ }).click();
    // Typing changes nothing.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.type('xyz');
    expect(await page.locator('.monaco-editor .view-lines').first().textContent()).not.toContain(
      'xyz',
    );
    await shot(page, 'rules-read-only');
    await expectNoSerious(page, 'rules: an old version, read-only');

    await page
      .getByTestId('viewing-banner')
      .getByRole('button', { name: 'Roll back to v1…' })
      .click();
    const dialog = page.getByTestId('confirm-change');
    await dialog.waitFor();
    expect(await dialog.locator('h2').textContent()).toBe('Roll back to version 1');
    await poll(() => dialog.getByTestId('diff-stats').textContent()).toBe('+1 line · −1 line');
    expect(await dialog.getByTestId('confirm-change-button').isDisabled()).toBe(true);
    await dialog.getByLabel('Why').fill('back to the guidelines');
    await shot(page, 'rules-rollback-dialog');
    await dialog.getByTestId('confirm-change-button').click();
    await dialog.waitFor({ state: 'detached' });
    await poll(() => page.getByTestId('activated-banner').textContent()).toBe(
      'Version 3 is now active.',
    );
    const newest = page.locator('.history > li').first();
    await poll(() => newest.textContent()).toContain(
      'rollback to version 1: back to the guidelines',
    );
    expect(await newest.textContent()).toMatch(/^v3active.*e2e analyst/);
    expect(await page.getByTestId('viewing-banner').count()).toBe(0);
    await shot(page, 'rules-history');
  });

  it('takes facts from a small form as well as JSON', async () => {
    await page.getByRole('tab', { name: 'Dry run' }).click();
    await page.getByRole('button', { name: 'stale', exact: true }).click();
    await page.getByLabel('Manual level').selectOption('CRITICAL');
    await page.getByLabel('Justification').fill('FOMC');
    await poll(() => page.locator('.dry-run tbody tr', { hasText: 'stale' }).textContent()).toMatch(
      /CRITICAL\s*G1.*CRITICAL\s*G1/,
    );
    await shot(page, 'rules-facts-form');
    await page.getByRole('button', { name: 'JSON Lines' }).click();
    const json = await page.locator('#facts-json').inputValue();
    expect(json.split('\n')[4]).toMatch(
      /"id":"stale".*"requested_priority":"CRITICAL","justification":"FOMC"/,
    );
    await page.locator('#facts-json').fill('{"id": "x"}\n{broken');
    await poll(() => page.locator('.dry-run .field-error').textContent()).toBe(
      "Facts: line 2, column 2: expected property name or '}'",
    );
    await expectNoSerious(page, 'rules: facts as JSON');
  });

  it('shows no results while the facts do not parse or are none, and says why (QA F3, F4)', async () => {
    await page.getByRole('tab', { name: 'Dry run' }).click();
    await page.getByRole('button', { name: 'JSON Lines' }).click();
    const box = page.locator('#facts-json');
    const table = page.locator('.dry-run table');
    const state = () => page.getByTestId('dry-run-state').textContent();
    await box.fill(toJsonLines([fact('first')]));
    await poll(() => table.locator('tbody tr').count()).toBe(1);
    // A second line still being typed: the one row's results are not the box's any more.
    await box.fill(`${toJsonLines([fact('first')])}\n{"id":"second","underlying":"SPX",`);
    await poll(() => table.count()).toBe(0);
    expect(await state()).toBe('The facts do not parse: nothing is run until they do.');
    const error = page.locator('.dry-run .field-error');
    // The box's line and the column in it, without V8's own place in the one line it read.
    expect(await error.textContent()).toBe(
      'Facts: line 2, column 35: expected double-quoted property name',
    );
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    expect(await box.getAttribute('aria-describedby')).toBe(await error.getAttribute('id'));
    expect(await page.getByRole('button', { name: 'Run', exact: true }).isDisabled()).toBe(true);
    await shot(page, 'rules-facts-broken');
    await expectNoSerious(page, 'rules: facts that do not parse');

    // No facts at all: nothing runs, and it says what to do.
    await box.fill('  \n ');
    await poll(state).toBe("Enter at least one request's facts to run them.");
    expect(await table.count()).toBe(0);
    expect(await error.count()).toBe(0);
    expect(await box.getAttribute('aria-invalid')).toBe('false');
    expect(await page.getByRole('button', { name: 'Run', exact: true }).isDisabled()).toBe(true);
    await shot(page, 'rules-facts-empty');

    await box.fill(toJsonLines([fact('first'), fact('second')]));
    await poll(() => table.locator('tbody tr').count()).toBe(2);
    expect(await state()).toBe('Your draft decides every request as the active rules do.');
  });

  it('keeps the facts typed across side tabs, views and a reload (QA F2)', async () => {
    await page.getByRole('tab', { name: 'Dry run' }).click();
    await page.getByRole('button', { name: 'JSON Lines' }).click();
    const box = page.locator('#facts-json');
    const typed = toJsonLines([fact('kept-1'), fact('kept-2')]);
    await box.fill(typed);
    const rows = page.locator('.dry-run tbody tr');
    await poll(() => rows.count()).toBe(2);
    const jsonShown = async () => {
      await page.getByTestId('dry-run').waitFor();
      expect(
        await page.getByRole('button', { name: 'JSON Lines' }).getAttribute('aria-pressed'),
      ).toBe('true');
      expect(await box.inputValue()).toBe(typed);
      await poll(() => rows.count()).toBe(2);
      expect(await rows.first().textContent()).toMatch(/^kept-1/);
    };
    await page.getByRole('tab', { name: /^History/ }).click();
    await page.getByRole('tab', { name: 'Dry run' }).click();
    await jsonShown();
    await page.getByRole('tab', { name: 'What would change' }).click();
    await page.getByRole('tab', { name: 'Dry run' }).click();
    await jsonShown();
    await goTo(page, 'queue');
    await goTo(page, 'rules');
    await jsonShown();

    // The form's rows too, and a reload keeps them as it keeps the draft.
    await page.getByRole('button', { name: 'Form' }).click();
    await page.getByRole('button', { name: 'kept-2', exact: true }).click();
    await page.getByLabel('Underlying').fill('NDX');
    await page.getByLabel('Volume').fill('5');
    const formShown = async () => {
      await page.getByTestId('dry-run').waitFor();
      expect(await page.getByRole('button', { name: 'Form' }).getAttribute('aria-pressed')).toBe(
        'true',
      );
      expect(
        await page
          .getByRole('button', { name: 'kept-2', exact: true })
          .getAttribute('aria-pressed'),
      ).toBe('true');
      expect(await page.getByLabel('Underlying').inputValue()).toBe('NDX');
      expect(await page.getByLabel('Volume').inputValue()).toBe('5');
      await poll(() => rows.count()).toBe(2);
    };
    await page.getByRole('tab', { name: /^History/ }).click();
    await page.getByRole('tab', { name: 'Dry run' }).click();
    await formShown();
    await page.reload();
    await page.locator('.monaco-editor').waitFor();
    await formShown();
    await shot(page, 'rules-facts-kept');

    // Reset examples forgets them, after a reload too.
    await page.getByRole('button', { name: 'Reset examples' }).click();
    await poll(() => rows.count()).toBe(6);
    await page.reload();
    await page.locator('.monaco-editor').waitFor();
    await poll(() => rows.count()).toBe(6);
    expect(await rows.first().textContent()).toMatch(/^critical/);
  });

  it('says how to leave the editor with the keyboard, and Ctrl+M switches what Tab does', async () => {
    const hint = page.getByTestId('tab-hint');
    expect(await hint.textContent()).toContain('Press Ctrl+M');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+M');
    await poll(() => hint.textContent()).toContain('Tab moves the focus out of the editor');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.closest(".monaco-editor") === null')).toBe(
      true,
    );
    expect(desk.problems).toEqual([]);
  });
});
