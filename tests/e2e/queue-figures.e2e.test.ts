// The Queue view's figures, in real Chromium against the real engine and browser host.
// QA qv F9: in a burst the CRITICAL card said "late 0" throughout while almost every
// CRITICAL job ended late — a job waiting for the read that decides its level is never
// flagged, and one flagged as it starts is late on the card only while it runs — and the
// latency past the target was not marked. The card now says how many of the window's jobs
// ended late, red, and tones a latency past the target as the oldest wait is.
// F8: a job that ended with no decision said Rule "deciding" in its row and its drawer
// (`jobs --json`: rule null), in a column that cut "deciding" and "unreadable". A job no
// rule has decided (yet, or ever) now shows "—" there, its reason in the tooltip; the
// drawer says "none" and why.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newYorkTime } from '../system/bursts/chains.ts';
import {
  chainFile,
  cutOff,
  expectNoSerious,
  goTo,
  haveChromium,
  jobRow,
  openDesk,
  pauseQueue,
  poll,
  resumeQueue,
  shot,
  type Desk,
} from './harness.ts';

let desk: Desk;
let page: Page;

const late = 'fig-critical-late.csv';
const headOnly = 'fig-head-only.csv';

describe.skipIf(!haveChromium)('the Queue view’s figures', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1 });
    page = desk.page;
    // CRITICAL's target 2 s, so that a job ends late in a test's time.
    const active = await desk.te.engine.handlers['rules:active']({});
    if (!active.ok) throw new Error(active.error.message);
    const text = active.value.text.replace(/("CRITICAL": \{ "target": )"30 s"/, '$1"2 s"');
    expect(text).not.toBe(active.value.text);
    const r = await desk.te.engine.handlers['rules:activate']({
      text,
      author: 'e2e',
      comment: 'CRITICAL target 2 s',
    });
    if (!r.ok) throw new Error(r.error.message);
    await goTo(page, 'queue');
    await page.locator('[data-filter=all]').click();
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('counts the CRITICAL jobs that ended late, red, with the latency past the target red', async () => {
    await page.getByTestId('target-CRITICAL').getByText('target 2 s').waitFor();
    await pauseQueue(page);
    const asOf = newYorkTime(Date.now()).wall;
    const file = chainFile(desk.fixtures, late, 51, { asOf, expiries: 2, strikesPerExpiry: 6 });
    const sub = await desk.te.engine.handlers['ingest:submit']({
      file,
      source: 'e2e',
      requested_priority: 'CRITICAL',
      justification: 'FOMC in a minute',
      author: 'e2e',
    });
    if (!sub.ok) throw new Error(sub.error.message);
    // Its header only: its facts read fails, the job ends never decided (F8).
    const head = chainFile(desk.fixtures, headOnly, 52, { asOf, expiries: 1, strikesPerExpiry: 2 });
    writeFileSync(head, readFileSync(head, 'utf8').split('\n').slice(0, 4).join('\n') + '\n');
    const h = await desk.te.engine.handlers['ingest:submit']({ file: head, source: 'e2e' });
    if (!h.ok) throw new Error(h.error.message);
    await poll(() => jobRow(page, headOnly).getAttribute('data-status')).toBe('deciding');
    // No rule has decided it yet: "—", not the stored placeholder "deciding" (cut: "decid…").
    const rule = jobRow(page, headOnly).locator('.c-rule');
    expect(await rule.innerText()).toBe('—');
    expect(await rule.getAttribute('title')).toBe(
      'No rule yet: its file waits for the read that decides its level',
    );
    expect(await cutOff(page, '[data-testid=job-row] .c-rule')).toEqual([]);
    await jobRow(page, headOnly).click();
    const drawer = page.getByTestId('job-drawer');
    await poll(() => drawer.getByTestId('drawer-rule').innerText()).toBe(
      'none yet: its file waits for the read that decides its level',
    );
    await drawer.getByRole('button', { name: 'Close' }).click();
    // Past the 2 s target while waiting paused (its level being decided: never flagged).
    await page.waitForTimeout(2_500);
    await resumeQueue(page);
    await desk.te.engine.drain();

    const card = page.getByTestId('level-CRITICAL');
    await poll(() => card.getByTestId('ended-late-CRITICAL').innerText()).toBe('1 ended late');
    // Nothing open is late: the card's "late" is 0, the window's count says it.
    expect(await card.getByTestId('late-CRITICAL').innerText()).toBe('0');
    expect(await card.getByTestId('ended-late-CRITICAL').getAttribute('class')).toMatch(/\bneg\b/);
    const p50 = card.getByTestId('latency-CRITICAL').locator('b').first();
    expect(await p50.getAttribute('class')).toMatch(/\bneg\b/);
    // Source text: this file is type-checked without the DOM library.
    const colour = (sel: string) =>
      page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(sel)})).color`);
    const red = await colour('[data-testid=latency-CRITICAL] b');
    const plain = await colour('[data-testid=latency-CRITICAL] .n');
    expect(red).toBeTruthy();
    expect(red).not.toBe(plain);
    // No other level missed a target.
    expect(await page.getByTestId('ended-late-LOW').innerText()).toBe('0 ended late');
    expect(await page.getByTestId('ended-late-LOW').getAttribute('class')).not.toMatch(/\bneg\b/);
    expect(await cutOff(page, '.card-latency > span:not(.sr-only)')).toEqual([]);
    await shot(page, 'queue-figures-ended-late', card);
    await expectNoSerious(page, 'queue: a level with jobs ended late');
  });

  it('says no rule for a job that ended never decided, in its row and its drawer', async () => {
    await poll(() => jobRow(page, headOnly).getAttribute('data-status')).toBe('failed');
    const rule = jobRow(page, headOnly).locator('.c-rule');
    expect(await rule.innerText()).toBe('—');
    expect(await rule.getAttribute('title')).toBe(
      'No rule: it ended before the read of its file decided its level',
    );
    // The decided one keeps its rule.
    expect(await jobRow(page, late).locator('.c-rule').innerText()).toBe('G1');
    await jobRow(page, headOnly).click();
    const drawer = page.getByTestId('job-drawer');
    await poll(() => drawer.locator('#drawer-title').textContent()).toBe(headOnly);
    expect(await drawer.getByTestId('drawer-rule').innerText()).toBe(
      'none: it ended before the read of its file decided its level',
    );
    expect(await drawer.getByTestId('drawer-rule').innerText()).not.toContain('deciding');
    await shot(page, 'queue-figures-undecided-drawer', drawer);
    await expectNoSerious(page, 'queue: the drawer of a job never decided');
    expect(desk.problems).toEqual([]);
  });
});
