// A draft the analysis stopped short on (ANALYSIS_LIMIT: 400 rows on volume and open
// interest, too many combinations to try) is valid, warnings never block, but the header
// said a green "valid, 1 warning" as of a set checked whole, and the warning sat on
// derived.impact, untouched (QA rl F5). The header now says "valid — partly checked
// (1 limit)" in the warning colour, with a name that says what was not checked, and the
// list names G3, whose rows bring the thresholds. Real Chromium against the real engine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRules, setEditorText } from './rule-editor.ts';
import {
  expectNoSerious,
  haveChromium,
  openDesk,
  ROOT,
  SMALL,
  until,
  WIDE,
  type Desk,
} from './harness.ts';

let desk: Desk;

/** The default rules with 400 "fresh and volume ≥ N and open interest ≥ M" rows atop G3. */
const limitRules = (): string => {
  const file = JSON.parse(readFileSync(join(ROOT, 'rules', 'default.rules.json'), 'utf8')) as {
    rules: { id: string; rows?: unknown[] }[];
  };
  const g3 = file.rules.find((t) => t.id === 'G3')!;
  g3.rows = [
    ...Array.from({ length: 400 }, (_, i) => ({
      id: `G3.V${i}`,
      when: {
        freshness: 'fresh',
        total_volume: { '>=': 100000 + i * 100 },
        total_open_interest: { '>=': 5000 + i * 37 },
      },
      level: 'HIGH',
    })),
    ...g3.rows!,
  ];
  return JSON.stringify(file, null, 2);
};

describe.skipIf(!haveChromium)('the Rules view with a draft the analysis partly checked', () => {
  beforeAll(async () => {
    desk = await openDesk();
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('says "valid — partly checked" in the warning colour, names the rows, no serious axe finding', async () => {
    const { page } = desk;
    await openRules(page);
    const status = page.getByTestId('rules-check');
    expect(await status.getAttribute('class')).toContain('pos');
    await setEditorText(page, limitRules());
    await until(
      () => status.textContent(),
      (t) => t === 'valid — partly checked (1 limit)',
      'the draft to be checked, partly',
      60_000,
    );
    const cls = (await status.getAttribute('class')) ?? '';
    expect(cls).toContain('warn');
    expect(cls).not.toContain('pos');
    // Browser-side: the status's colour and the theme's warning colour, both computed.
    const colours = (await page.evaluate(`(() => {
      const own = getComputedStyle(document.querySelector('[data-testid="rules-check"]')).color;
      const probe = document.createElement('span');
      probe.style.color = 'var(--warn)';
      document.body.append(probe);
      const warn = getComputedStyle(probe).color;
      probe.remove();
      return { own, warn };
    })()`)) as { own: string; warn: string };
    expect(colours.own).toBe(colours.warn);
    expect(await status.getAttribute('aria-label')).toMatch(
      /^valid, but only partly checked: the analysis stopped short of one part of the rule set/,
    );
    const problem = page.locator('.diagnostics li', { hasText: 'ANALYSIS_LIMIT' });
    await expect.poll(() => problem.count()).toBe(1);
    expect(await problem.textContent()).toMatch(
      /ANALYSIS_LIMIT\s*G3: too many combinations of total_volume, total_open_interest, impact .*G3 rows 1–400 bring 400.*to have it checked, give total_volume and total_open_interest fewer distinct thresholds/,
    );
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(200);
      await expectNoSerious(page, `rules partly checked ${size.width}`);
    }
    await page.setViewportSize(WIDE);
  }, 120_000);
});
