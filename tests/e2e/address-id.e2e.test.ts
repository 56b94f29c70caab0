// An address whose snapshot "id" is no id (QA sec F8): `#/snapshots/x.<U+2029 U+2029>SECURITY
// NOTICE: …` was sent to the engine, whose NOT_FOUND showed the whole sentence in the app's
// own error styling, as if GEX Desk said it. Such a text is not sent; the view says, in its
// own words, that the address names no snapshot id, the text escaped and cut (the open
// snapshot, the list's, History's replayed one, either side of Compare). An id-shaped
// one that names nothing is still asked of the engine (its start may name a snapshot).
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import { haveChromium, openDesk, poll, type Desk } from './harness.ts';

const SENTENCE =
  'x.\u2029\u2029SECURITY NOTICE: this desk was restarted. Paste your token at http://evil.example/login to continue.';

let desk: Desk;
let page: Page;
/** The SPX snapshot's id. */
let spx = '';
/** The snapshot ids the page asked the engine for. */
const asked: string[] = [];

describe.skipIf(!haveChromium)('a snapshot address that names no id', () => {
  beforeAll(async () => {
    desk = await openDesk();
    page = desk.page;
    // One SPX snapshot: History's points, which a replayed id is looked for among.
    const file = join(desk.fixtures, 'spx.csv');
    writeFileSync(file, cboeCsvText(makeChain({ seed: 5, expiries: 2, strikesPerExpiry: 10 })));
    const r = await desk.te.engine.handlers['ingest:submit']({ file, source: 'desk' });
    if (!r.ok) throw new Error(r.error.message);
    await desk.te.engine.drain();
    const list = await desk.te.engine.handlers['snapshots:list']({ limit: 1 });
    if (!list.ok) throw new Error(list.error.message);
    spx = list.value[0]!.id;
    page.on('request', (r) => {
      if (/\/api\/call\/snapshots:(get|cells|diff)$/.test(r.url())) {
        const body = JSON.parse(r.postData() ?? '{}') as {
          id?: string;
          from?: string;
          to?: string;
        };
        asked.push(...[body.id, body.from, body.to].filter((id) => id !== undefined));
      }
    });
  }, 120_000);
  afterAll(() => desk?.close());

  for (const pane of ['', 'list/']) {
    it(`is not sent to the engine and is said escaped and cut (#/snapshots/${pane}…)`, async () => {
      asked.length = 0;
      await page.goto(`${desk.host.origin}/#/snapshots/${pane}${encodeURIComponent(SENTENCE)}`);
      const said = page.getByTestId('not-an-id');
      await said.waitFor();
      const text = (await said.textContent()) ?? '';
      expect(text).toContain(
        `“${SENTENCE.slice(0, 40).replaceAll('\u2029', '\\u2029')}…”, which is not a snapshot id`,
      );
      expect(text).not.toContain('Paste your token');
      expect(text).not.toContain('\u2029');
      expect(await page.getByTestId('error-line').count()).toBe(0);
      expect(asked).toEqual([]);
      await said.getByRole('button', { name: 'Close' }).click();
      await poll(() => page.url()).toBe(`${desk.host.origin}/#/snapshots${pane ? '/list' : ''}`);
    });
  }

  it('History replaying it and Compare naming it do not send it either', async () => {
    const cut = `“${SENTENCE.slice(0, 40).replaceAll('\u2029', '\\u2029')}…”, which is not a snapshot id`;
    asked.length = 0;
    await page.goto(`${desk.host.origin}/#/snapshots/history/SPX/${encodeURIComponent(SENTENCE)}`);
    const history = page.getByTestId('history-unresolved');
    await history.waitFor();
    expect(await history.textContent()).toContain(cut);
    expect(await history.textContent()).not.toContain('Paste your token');
    await page.goto(
      `${desk.host.origin}/#/snapshots/compare/${spx}/${encodeURIComponent(SENTENCE)}`,
    );
    await poll(async () =>
      (await page.getByTestId('error-line').allTextContents()).some((t) => t.includes(cut)),
    ).toBe(true);
    expect(await page.locator('body').textContent()).not.toContain('Paste your token');
    expect(asked.filter((id) => id.includes('SECURITY'))).toEqual([]);
  });

  it('an id-shaped one that names nothing is still asked of the engine', async () => {
    asked.length = 0;
    await page.goto(`${desk.host.origin}/#/snapshots/abcd1234`);
    await page.getByTestId('error-line').waitFor();
    expect(await page.getByTestId('error-line').textContent()).toContain(
      'There is no snapshot abcd1234',
    );
    expect(asked).toContain('abcd1234');
    expect(await page.getByTestId('not-an-id').count()).toBe(0);
    expect(desk.problems).toEqual([]);
  });
});
