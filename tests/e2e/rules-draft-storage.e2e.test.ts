// The rule draft in the browser's storage (QA rl F7, F3). Every key wrote the whole draft
// to localStorage (and read it twice): at 1 MB a key was 100 ms late. It is written once
// typing pauses, and when the page goes (a reload right after typing keeps it). A draft
// past the browser's quota (Chromium keeps about 5 million characters per origin) threw
// out of the change handler before its check was asked: "checking…" forever, nothing said;
// it is checked, and the view says that it would be lost with the window. Real Chromium
// against the real engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeRulesText, draftKeys, openRules, setEditorText } from './rule-editor.ts';
import {
  cutOff,
  expectNoSerious,
  goTo,
  haveChromium,
  openDesk,
  shot,
  until,
  type Desk,
} from './harness.ts';

let desk: Desk;
let key: string;

// Browser-side, before the page's own scripts: counts the writes of the rule draft.
const COUNT_WRITES = `(() => {
  const set = Storage.prototype.setItem;
  window.__draftWrites = 0;
  Storage.prototype.setItem = function (k, v) {
    if (String(k).startsWith('gex-desk.rules-draft@')) window.__draftWrites++;
    return set.call(this, k, v);
  };
})()`;

const writes = () => desk.page.evaluate('window.__draftWrites') as Promise<number>;
const storedText = async (): Promise<string | null> => {
  const raw = (await desk.page.evaluate(`localStorage.getItem(${JSON.stringify(key)})`)) as
    string | null;
  return raw ? ((JSON.parse(raw) as { text?: string }).text ?? null) : null;
};

describe.skipIf(!haveChromium)('the rule draft kept in the browser', () => {
  beforeAll(async () => {
    desk = await openDesk();
    key = (await draftKeys(desk)).draft;
    await desk.page.addInitScript(COUNT_WRITES);
    await desk.page.reload();
    await desk.page.getByTestId('engine-state').getByText('engine ok').waitFor();
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('is written a few times for a burst of keys, and a reload right after typing keeps it', async () => {
    const { page } = desk;
    await openRules(page);
    await page.evaluate('window.__draftWrites = 0');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('End');
    // 24 keys, 40 ms apart (an analyst typing): the draft is kept once they pause.
    await page.keyboard.type('abcdefghijklmnopqrstuvwx', { delay: 40 });
    await page.waitForTimeout(1000);
    const n = await writes();
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(3);
    expect(await storedText()).toMatch(/^\{abcdefghijklmnopqrstuvwx\n/);

    // Typed, then reloaded at once (before the pause that keeps it): kept as the page went.
    await page.keyboard.type('XYZ');
    await page.reload();
    await page.getByTestId('engine-state').getByText('engine ok').waitFor();
    expect(await storedText()).toMatch(/^\{abcdefghijklmnopqrstuvwxXYZ\n/);
    await goTo(page, 'rules');
    await page.getByTestId('draft-banner').waitFor();
    expect(await page.locator('.monaco-editor .view-lines').first().textContent()).toContain(
      'abcdefghijklmnopqrstuvwxXYZ',
    );
  }, 60_000);

  it('past the quota is still checked, and the view says it is not kept', async () => {
    const { page } = desk;
    const rules = JSON.parse(await activeRulesText(desk)) as { description?: string };
    // 5.8 million characters, valid: its check is quick, only its size matters here.
    rules.description = 'Padding. '.repeat(640_000);
    const big = JSON.stringify(rules, null, 2);
    await setEditorText(page, big);
    await until(
      () => page.getByTestId('rules-check').textContent(),
      (t) => /^valid/.test(t ?? ''),
      'the large draft to be checked',
      60_000,
    );
    const banner = page.getByTestId('draft-not-kept');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(
      /^Not kept if the window closes\. This draft \(5\.8 million characters\) is too large to be kept by the browser, which keeps about 5 million: a reload or closing the window loses it, and brings back the draft kept at .+\. It is checked and can be activated as usual; to keep it, copy it into a file or activate it\.$/,
    );
    expect(await storedText()).toMatch(/^\{abcdefghijklmnopqrstuvwxXYZ\n/);
    expect(desk.problems.filter((p) => /quota/i.test(p))).toEqual([]);
    await shot(page, 'rules-draft-not-kept');
    expect(await cutOff(page, '[data-testid=draft-not-kept]')).toEqual([]);
    await page.setViewportSize({ width: 1024, height: 700 });
    expect(await cutOff(page, '[data-testid=draft-not-kept]')).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });
    await expectNoSerious(page, 'rules: a draft too large to keep');

    // Small again: kept, and the notice goes.
    const small = await activeRulesText(desk);
    await setEditorText(page, small.replace('{', '{"x": 1,'));
    await banner.waitFor({ state: 'detached' });
    expect(await storedText()).toMatch(/^\{"x": 1,/);
  }, 120_000);
});
