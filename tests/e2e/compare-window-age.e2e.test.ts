// Two gaps QA found in the browser host. Compare's change charts of a sub-dollar chain
// whose strikes are far from spot (0.2 and 0.8 around a spot of 0.50): the cards said
// "Strikes changed 1" while both charts at spot ± 10 % were blank with no word; they now
// say no changed strike is in the window, name the nearest, and offer a wider one (as a
// snapshot's strike charts do). And the levels board's Age column cut "38 h 32 min" to
// "38 h 32 m…" at 1440 px while the As of column beside it had room to spare.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cutOff,
  expectNoSerious,
  haveChromium,
  ingestText,
  openDesk,
  poll,
  shot,
  SMALL,
  WIDE,
  type Desk,
} from './harness.ts';

let desk: Desk;
const HEAD = 'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv,gamma';

/** Submits a file and waits for its job to end; the snapshot's id. */
async function ingest(name: string, lines: string[]): Promise<string> {
  const id = await ingestText(desk, name, [HEAD, ...lines].join('\n') + '\n');
  if (!id) throw new Error(`${name} made no snapshot`);
  return id;
}

/** A chain observed `ageMs` ago, expiring a month later. */
function aged(underlying: string, ageMs: number, spot: number, rows: [number, string, number][]) {
  const at = new Date(Date.now() - ageMs);
  const expiry = new Date(at.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
  return rows.map(
    ([k, type, oi]) =>
      `${underlying},${at.toISOString()},${spot},${expiry},${k},${type},${oi},1,0.8,2.5`,
  );
}

const H = 3_600_000;
const MIN = 60_000;
let b: string;

describe.skipIf(!haveChromium)('compare window and levels age', () => {
  beforeAll(async () => {
    desk = await openDesk();
    // A and B of one underlying, spot 0.50, strikes 0.2 and 0.8: B adds 3 call OI at 0.8.
    await ingest(
      'cmp-a.csv',
      aged('CMPX', 2 * H, 0.5, [
        [0.2, 'P', 10],
        [0.8, 'C', 10],
      ]),
    );
    b = await ingest(
      'cmp-b.csv',
      aged('CMPX', 1 * H, 0.5, [
        [0.2, 'P', 10],
        [0.8, 'C', 13],
      ]),
    );
    // Ages of the board's longest usual text: "38 h 32 min", "47 h 58 min".
    await ingest('aged-a.csv', aged('AGEA', 38 * H + 32 * MIN + 10_000, 100, [[100, 'C', 50]]));
    await ingest('aged-b.csv', aged('AGEB', 47 * H + 58 * MIN + 10_000, 100, [[100, 'C', 50]]));
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
  }, 60_000);

  it('says no changed strike is in the window, and offers a wider one', async () => {
    const { page } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots/compare/${b}`);
    await poll(() => page.getByTestId('compare-strikes').textContent()).toBe('1');
    const empty = page.getByTestId('strike-window-empty');
    await poll(() => empty.textContent()).toMatch(
      /^No changed strike in the window spot ± 10 % \(0\.45 to 0\.55, spot 0\.50?\)\. Nearest changed strike: 0\.80? above\./,
    );
    // No blank charts in its place.
    expect(await page.getByTestId('chart-diff-gex').count()).toBe(0);
    expect(await page.getByTestId('chart-diff-oi').count()).toBe(0);
    await shot(page, 'compare-window-empty', empty);
    await expectNoSerious(page, 'compare: no changed strike in the window');

    const widen = page.getByTestId('strike-window-widen');
    expect(await widen.textContent()).toBe('Show all strikes');
    await widen.click();
    expect(await page.getByTestId('compare-window').inputValue()).toBe('0');
    await page.getByTestId('chart-diff-gex').waitFor();
    await page.getByTestId('chart-diff-oi').waitFor();
    expect(await empty.count()).toBe(0);
    await shot(page, 'compare-window-widened');
  });

  it('shows the levels board’s ages whole at 1440 and 1024 px', async () => {
    const { page } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots`);
    await page.getByTestId('levels-board').waitFor();
    const age = (u: string) =>
      page.locator(`[data-testid=levels-row][data-underlying=${u}] .td-age`);
    await poll(() => age('AGEA').textContent()).toBe('38 h 32 min');
    await poll(() => age('AGEB').textContent()).toBe('47 h 58 min');
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      await poll(() => cutOff(page, '.levels-row .td-age')).toEqual([]);
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'levels-age', page.getByTestId('levels-board'));
    await expectNoSerious(page, 'levels board ages');
  });
});
