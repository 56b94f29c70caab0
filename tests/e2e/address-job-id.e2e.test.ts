// An address whose job or request "id" is no id: `#/queue/job/<a sentence>` and
// `#/audit/<a sentence>` were sent to the engine (jobs:get, audit:list), which refused them
// with the text cut and escaped, but the page asked with junk all the same. Such a text is
// checked against the id's shape (shared/api/id.ts IdShape) and not sent; the view says, in
// its own words, that the address names no job (or request) id, escaped and cut, with a
// way back. An id-shaped one that names nothing is still asked (its start may name one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import {
  axe,
  haveChromium,
  ingestText,
  openDesk,
  poll,
  serious,
  shot,
  SMALL,
  WIDE,
  type Desk,
} from './harness.ts';

const SENTENCE =
  'x.\u2029\u2029SECURITY NOTICE: this desk was restarted. Paste your token at http://evil.example/login to continue.';
const CUT = SENTENCE.slice(0, 40).replaceAll('\u2029', '\\u2029');

let desk: Desk;
let page: Page;
/** The SPX file's job and request. */
let job = '';
let request = '';
/** The ids the page asked the engine for (a job's, a request's entries). */
const asked: string[] = [];

describe.skipIf(!haveChromium)('a job or request address that names no id', () => {
  beforeAll(async () => {
    desk = await openDesk();
    page = desk.page;
    const text = cboeCsvText(makeChain({ seed: 5, expiries: 2, strikesPerExpiry: 10 }));
    await ingestText(desk, 'spx.csv', text);
    const jobs = await desk.te.engine.handlers['jobs:list']({ limit: 1 });
    if (!jobs.ok) throw new Error(jobs.error.message);
    ({ id: job, request_id: request } = jobs.value[0]!);
    page.on('request', (r) => {
      if (/\/api\/call\/(jobs:get|audit:list)$/.test(r.url())) {
        const body = JSON.parse(r.postData() ?? '{}') as { id?: string; request_id?: string };
        asked.push(...[body.id, body.request_id].filter((id) => id !== undefined));
      }
    });
  }, 120_000);
  afterAll(() => desk?.close());

  const cases = [
    { at: 'queue/job', noun: 'job', back: 'Back to the queue', to: '#/queue' },
    { at: 'audit', noun: 'request', back: '‹ All entries', to: '#/audit' },
  ];
  for (const { at, noun, back, to } of cases) {
    it(`is not sent to the engine and is said escaped and cut (#/${at}/…)`, async () => {
      asked.length = 0;
      await page.goto(`${desk.host.origin}/#/${at}/${encodeURIComponent(SENTENCE)}`);
      const said = page.getByTestId('not-an-id');
      await said.waitFor();
      const text = (await said.textContent()) ?? '';
      expect(text).toContain(`“${CUT}…”, which is not a ${noun} id`);
      expect(text).not.toContain('Paste your token');
      expect(text).not.toContain('\u2029');
      expect(await page.locator('body').textContent()).not.toContain('Paste your token');
      expect(await page.getByTestId('open-job-error').count()).toBe(0);
      // Its page as loaded lands the focus on what says so.
      await poll(() => page.evaluate('document.activeElement?.getAttribute("data-testid")')).toBe(
        'not-an-id',
      );
      for (const size of [WIDE, SMALL]) {
        await page.setViewportSize(size);
        expect(serious(await axe(page, `${at}: not an id`))).toEqual([]);
      }
      await page.setViewportSize(WIDE);
      await shot(page, `${noun}-not-an-id`);
      expect(asked).toEqual([]);
      await said.getByRole('button', { name: back }).click();
      await poll(() => page.url()).toBe(`${desk.host.origin}/${to}`);
      expect(await page.getByTestId('not-an-id').count()).toBe(0);
    });
  }

  // QA land F4: the test above moves an already loaded page (a hash change); a link opened
  // in a new tab is a page loaded fresh, whose focus stayed on the body.
  for (const { at, noun } of cases) {
    it(`a page loaded fresh at #/${at}/<not an id> lands the focus on what says so`, async () => {
      const fresh = await desk.context.newPage();
      try {
        // A new tab opened at the link (the token as the address gives it to a new tab).
        await fresh.goto(`${desk.host.url}#/${at}/hello%20world`);
        const said = fresh.getByTestId('not-an-id');
        await said.waitFor();
        expect(await said.textContent()).toContain(`“hello world”, which is not a ${noun} id`);
        await poll(() =>
          fresh.evaluate('document.activeElement?.getAttribute("data-testid")'),
        ).toBe('not-an-id');
      } finally {
        await fresh.close();
      }
    });
  }

  // QA land F2, F3: an id in capitals (Excel, Windows GUID tools) or copied with a space
  // passed the address check and then named nothing ("There is no job A772").
  it('an id in capitals or with spaces around it opens what it names', async () => {
    for (const given of [job.slice(0, 4).toUpperCase(), job.toUpperCase(), ` ${job} `]) {
      await page.goto(`${desk.host.origin}/#/queue/job/${encodeURIComponent(given)}`);
      await poll(() => page.url()).toBe(`${desk.host.origin}/#/queue/job/${job}`);
      await page.getByTestId('job-drawer').waitFor();
      expect(await page.getByTestId('open-job-error').count()).toBe(0);
      expect(await page.getByTestId('not-an-id').count()).toBe(0);
    }
    for (const given of [request.slice(0, 8).toUpperCase(), `${request.toUpperCase()} `]) {
      await page.goto(`${desk.host.origin}/#/audit/${encodeURIComponent(given)}`);
      await poll(() => page.url()).toBe(`${desk.host.origin}/#/audit/${request}`);
      const trail = page.getByTestId('request-trail');
      await poll(() => trail.locator('.row-count').textContent()).not.toBe('0 entries');
      expect(await page.getByTestId('trail-empty').count()).toBe(0);
    }
  });

  it('a request id that names no request says so, as the Queue does', async () => {
    await page.goto(`${desk.host.origin}/#/audit/0000`);
    await poll(() => page.getByTestId('trail-empty').textContent()).toBe(
      'No request matches 0000.',
    );
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      expect(serious(await axe(page, 'audit: no such request'))).toEqual([]);
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'request-not-found');
  });

  it('an id-shaped one that names nothing is still asked of the engine', async () => {
    asked.length = 0;
    await page.goto(`${desk.host.origin}/#/queue/job/abcd1234`);
    await poll(() => page.getByTestId('open-job-error').textContent()).toContain(
      'There is no job abcd1234.',
    );
    expect(asked).toContain('abcd1234');
    expect(await page.getByTestId('not-an-id').count()).toBe(0);
    expect(desk.problems).toEqual([]);
  });
});
