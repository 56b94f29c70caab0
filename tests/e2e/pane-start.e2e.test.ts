// History and Compare opened by an address that names nothing (`#/snapshots/history`,
// `#/snapshots/compare`: a reload, a bookmark, a new tab) start on the underlying of the
// newest snapshot stored, whichever of the board (`snapshots:levels`) and the list of
// stored snapshots (`snapshots:list`) answers first on a fresh page load. Before, the
// board answering first chose its first row (alphabetical: AAA, one snapshot, "a
// comparison needs two") and wrote it into the address in place, for good.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import { haveChromium, openDesk, poll, type Desk, api } from './harness.ts';

let desk: Desk;
let page: Page;
let origin = '';
/** ZZZ's two snapshots, oldest first: the newest stored is ZZZ's second. */
let zzz: string[] = [];

const CALLS = ['snapshots:list', 'snapshots:levels'] as const;
type Call = (typeof CALLS)[number];

/**
 * Loads the address afresh (a new document, not a change of its hash), `late`'s answer
 * held back until the other call's has arrived; then waits for `ready` and lets go.
 */
async function freshLoad(address: string, late: Call, ready: () => Promise<void>) {
  const first = CALLS.find((c) => c !== late)!;
  let answered = () => {};
  const firstAnswered = new Promise<void>((r) => (answered = r));
  const onFinished = (r: Request) => r.url().endsWith(`/api/call/${first}`) && answered();
  await page.goto('about:blank');
  page.on('requestfinished', onFinished);
  await page.route(`**/api/call/${late}`, async (route) => {
    await firstAnswered;
    await route.continue();
  });
  try {
    await page.goto(`${origin}/${address}`);
    await ready();
  } finally {
    page.off('requestfinished', onFinished);
    await page.unroute(`**/api/call/${late}`);
  }
}

describe.skipIf(!haveChromium)('History and Compare opened on no underlying', () => {
  beforeAll(async () => {
    desk = await openDesk();
    page = desk.page;
    origin = desk.host.origin;
    const h = desk.te.engine.handlers;
    // ZZZ: two snapshots, the newest stored; AAA: one, older, ingested last and first
    // on the board (alphabetical).
    const chains = [
      { underlying: 'ZZZ', asOf: '2024-03-05T15:00:00', spot: 120 },
      { underlying: 'ZZZ', asOf: '2024-03-05T15:30:00', spot: 121 },
      { underlying: 'AAA', asOf: '2024-03-04T15:00:00', spot: 80 },
    ];
    for (const [i, c] of chains.entries()) {
      const file = join(desk.fixtures, `chain_${i}.csv`);
      writeFileSync(
        file,
        cboeCsvText(makeChain({ seed: 20 + i, ...c, expiries: 2, strikesPerExpiry: 10 })),
      );
      await api(h['ingest:submit']({ file, source: 'desk' }));
    }
    await desk.te.engine.drain();
    zzz = (await api(h['snapshots:history']({ underlying: 'ZZZ' }))).rows.map((p) => p.id);
    expect(zzz).toHaveLength(2);
    const levels = await api(h['snapshots:levels']({}));
    expect(levels.rows.map((l) => l.underlying)).toEqual(['AAA', 'ZZZ']);
  }, 300_000);
  afterAll(async () => {
    await desk?.close();
  }, 60_000);

  for (const late of CALLS) {
    it(`opens Compare on the newest snapshot's underlying, ${late} answering last`, async () => {
      await freshLoad('#/snapshots/compare', late, async () => {
        await poll(() => page.url()).toBe(`${origin}/#/snapshots/compare/${zzz[0]}/${zzz[1]}`);
      });
      await poll(() => page.getByTestId('compare-underlying').inputValue()).toBe('ZZZ');
      expect(await page.getByTestId('compare-a').inputValue()).toBe(zzz[0]);
      expect(await page.getByTestId('compare-b').inputValue()).toBe(zzz[1]);
      expect(await page.getByTestId('compare-needs-two').count()).toBe(0);
      expect(desk.problems).toEqual([]);
    }, 60_000);

    it(`opens History on the newest snapshot's underlying, ${late} answering last`, async () => {
      await freshLoad('#/snapshots/history', late, async () => {
        await poll(() => page.url()).toBe(`${origin}/#/snapshots/history/ZZZ`);
      });
      await poll(() => page.getByTestId('history-underlying').inputValue()).toBe('ZZZ');
      await poll(() => page.getByTestId('history-at').textContent()).toMatch(/^2 \/ 2 · /);
      expect(desk.problems).toEqual([]);
    }, 60_000);
  }
});
