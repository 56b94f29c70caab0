// The rule editor as the Rules tests drive it: its whole text replaced as an analyst
// pastes (Monaco takes a paste from the clipboard event, not from typed keys, which its
// auto-closing brackets would change), and the one-line edit of the default rules they
// make (G2 sending stale data to another level).
import type { Locator, Page } from 'playwright-core';
import { draftKeyOf, unsavedKeyOf } from '../../renderer/src/state/rule-draft.ts';
import { goTo, until, type Desk } from './harness.ts';

// Browser-side: a paste of `text` into the focused element, as the clipboard delivers it.
export const PASTE = `(text) => {
  const data = new DataTransfer();
  data.setData('text/plain', text);
  document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
}`;

/** Replaces the editor's whole text: select all, then paste. */
export async function setEditorText(page: Page, text: string): Promise<void> {
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+A');
  await page.evaluate(`(${PASTE})(${JSON.stringify(text)})`);
}

/** G2's row of the default rules, which sends stale data to LOW. */
export const STALE_ROW = '{ "when": { "freshness": { "==": "stale" } }, "level": "LOW" }';

/** `text` (the default rules) with G2 sending stale data to `level` instead of LOW. */
export function staleTo(text: string, level: string): string {
  if (!text.includes(STALE_ROW))
    throw new Error('the default rules no longer have the G2 row this test edits');
  return text.replace(STALE_ROW, STALE_ROW.replace('"LOW"', `"${level}"`));
}

/** Where the page keeps the rule draft of `desk`'s database (per database: rule-draft.ts). */
export async function draftKeys(desk: Desk): Promise<{ draft: string; unsaved: string }> {
  const health = await desk.te.engine.handlers['engine:health']({});
  if (!health.ok) throw new Error(health.error.message);
  return {
    draft: draftKeyOf(health.value.db_path),
    unsaved: unsavedKeyOf(health.value.db_path),
  };
}

/** The Rules view opened in `p`, its draft checked valid by the engine. */
export async function openRules(p: Page): Promise<void> {
  await goTo(p, 'rules');
  await p.locator('.monaco-editor').waitFor();
  await until(
    () => p.getByTestId('rules-check').textContent(),
    (t) => /^valid/.test(t ?? ''),
    'the rules to be checked',
  );
}

/** The text of the rules active on `desk`'s engine. */
export async function activeRulesText(desk: Desk): Promise<string> {
  const active = await desk.te.engine.handlers['rules:active']({});
  if (!active.ok) throw new Error(active.error.message);
  return active.value.text;
}

/**
 * The rollback dialog of `version`, opened from its card in the History tab (already shown),
 * or from its read-only view's banner.
 */
export async function openRollback(
  page: Page,
  version: number,
  via: 'card' | 'viewing',
): Promise<Locator> {
  const card = page.locator(`.history [data-version="${version}"]`);
  if (via === 'card')
    await card.getByRole('button', { name: `Roll back to version ${version}` }).click();
  else {
    await card.getByRole('button', { name: `View version ${version} (read-only)` }).click();
    await page
      .getByTestId('viewing-banner')
      .getByRole('button', { name: `Roll back to v${version}…` })
      .click();
  }
  const dialog = page.getByTestId('confirm-change');
  await dialog.waitFor();
  return dialog;
}
