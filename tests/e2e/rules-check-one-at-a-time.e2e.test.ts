// The Rules editor asks for one check at a time: a large rule set takes seconds to
// check, and each pause in typing (300 ms) asked for one more beside the one still
// running (QA F12), every one of them a thread taken from the scheduler's cores. Edits
// made while a check is answered ask again once it is, for the text then; the last
// answer is the last text's. Real Chromium against the real engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Request } from 'playwright-core';
import { CALL_PATH } from '../../shared/channels.ts';
import { heavyRules } from '../rules/heavy-rules.ts';
import { openRules, setEditorText } from './rule-editor.ts';
import { haveChromium, openDesk, until, type Desk } from './harness.ts';

let desk: Desk;

describe.skipIf(!haveChromium)(
  'the rule editor with a rule set that takes seconds to check',
  () => {
    beforeAll(async () => {
      desk = await openDesk();
    }, 120_000);
    afterAll(async () => {
      await desk?.close();
    });

    it('has one check in flight at a time, and its last answer is for the last text', async () => {
      const { page } = desk;
      await openRules(page);
      const isCheck = (r: Request) => r.url().includes(`${CALL_PATH}rules:check`);
      let inFlight = 0;
      let most = 0;
      const asked: string[] = [];
      const ended = (r: Request) => {
        if (isCheck(r)) inFlight--;
      };
      page.on('request', (r) => {
        if (!isCheck(r)) return;
        inFlight++;
        most = Math.max(most, inFlight);
        asked.push((JSON.parse(r.postData() ?? '{}') as { text: string }).text);
      });
      page.on('requestfinished', ended);
      page.on('requestfailed', ended);

      // Four edits, each after a pause longer than the editor's 300 ms, while the first
      // text's check is still running: 16 tables take about 1.4 s to check alone on a
      // quiet machine (6 took 0.5 s, which a quiet CI run finished between two pauses).
      const heavy = heavyRules(16);
      const texts = [1, 2, 3, 4].map((v) => heavy.replace('"title": "x0"', `"title": "x0 v${v}"`));
      for (const text of texts) {
        await setEditorText(page, text);
        await page.waitForTimeout(350);
      }
      await until(
        async () => (inFlight === 0 ? asked.at(-1) : undefined),
        (last) => last === texts.at(-1),
        'the last text to be checked',
        60_000,
      );
      expect(most).toBe(1);
      // Fewer checks than pauses: the edits made meanwhile were checked once, as one.
      expect(asked.length).toBeLessThan(texts.length);
      await until(
        () => page.getByTestId('rules-check').textContent(),
        (t) => /error/i.test(t ?? ''),
        'the check of the last text to be shown',
      );
    }, 120_000);
  },
);
