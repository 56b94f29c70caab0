// What QA found Compare and History saying of the snapshots they show (QA wb3 F1–F3, F5).
// Compare said "Nothing changed between A and B." over figures showing the flip moved (an
// IV-only re-send: the same open interest and file gamma); it now holds the sentence to
// the strikes and names the levels that moved, as the CLI's diff does. One snapshot was
// given two dates: History's slider read 19:00 in New York where its replayed chart's
// title, and Compare's choices and heading, read the file's 09:00 +09:00 of the next day,
// so the choices looked out of order and a forward A → B read backwards; all now read the
// exchange's clock. Two snapshots of one instant written in two offsets (10:00 −05:00,
// 15:00Z) were not told apart, in Compare nor in History's slider and readouts; both now
// carry "· spot … · id". And Compare's Total GEX figure now names its unit, as the
// snapshot panel's does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectNoSerious,
  haveChromium,
  ingestText,
  openDesk,
  poll,
  shot,
  type Desk,
} from './harness.ts';

let desk: Desk;
const HEAD = 'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv,gamma,delta';

/**
 * A QCK chain as of `asOf`: puts below spot, calls above, every contract at `iv`, its
 * open interest times `oi`; the file's gamma the same whatever the IV.
 */
async function ingest(name: string, asOf: string, spot: number, iv: number, oi = 1) {
  const rows: [number, 'C' | 'P', number, number][] = [
    [90, 'P', 3000, 0.02],
    [95, 'P', 2500, 0.03],
    [97.5, 'P', 500, 0.035],
    [97.5, 'C', 100, 0.035],
    [105, 'C', 2500, 0.03],
    [110, 'C', 3000, 0.02],
  ];
  const lines = rows.map(
    ([k, t, n, g]) =>
      `QCK,${asOf},${spot},2026-03-20,${k},${t},${n * oi},5,${iv},${g},${t === 'C' ? 0.5 : -0.5}`,
  );
  const id = await ingestText(desk, name, [HEAD, ...lines].join('\n') + '\n');
  if (!id) throw new Error(`${name} made no snapshot`);
  return id;
}

const ids: Record<string, string> = {};
const short = (k: string) => ids[k]!.slice(0, 8);
const optionTexts = (testId: string) =>
  desk.page.getByTestId(testId).locator('option').allTextContents();

describe.skipIf(!haveChromium)('compare and history: what changed, and on whose clock', () => {
  beforeAll(async () => {
    desk = await openDesk();
    // E, 20:00 in New York; D, ingested after it, 09:00 +09:00 the next day: 19:00 in New
    // York, an hour before E.
    ids.E = await ingest('qck_e.csv', '2026-03-02T20:00:00-05:00', 101, 0.25, 2);
    ids.D = await ingest('qck_d.csv', '2026-03-03T09:00:00+09:00', 100.5, 0.25, 3);
    // B and C: one instant, written in two offsets, with other figures.
    ids.B = await ingest('qck_b.csv', '2026-03-04T10:00:00-05:00', 102, 0.25, 4);
    ids.C = await ingest('qck_c.csv', '2026-03-04T15:00:00Z', 102.5, 0.25, 5);
    // Z, then the same chain 3 h later with only its IVs changed.
    ids.Z = await ingest('qck_z.csv', '2026-03-10T11:00:00-04:00', 100, 0.3);
    ids.V = await ingest('qck_v.csv', '2026-03-10T14:00:00-04:00', 100, 0.18);
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
  }, 60_000);

  it('says no strike changed but the flip moved, and gives Total GEX its unit', async () => {
    const { page } = desk;
    const diff = await desk.te.engine.handlers['snapshots:diff']({ from: ids.Z!, to: ids.V! });
    if (!diff.ok) throw new Error(diff.error.message);
    expect(diff.value.strikes).toHaveLength(0);
    expect(diff.value.zero_gamma_move).not.toBe(0);
    expect(diff.value.zero_gamma_move).not.toBeNull();
    await page.goto(`${desk.host.origin}/#/snapshots/compare/${ids.Z}/${ids.V}`);
    await poll(() => page.getByTestId('compare-strikes').textContent()).toBe('0');
    const flip = (await page.getByTestId('move-flip').locator('.kf-value').textContent())!;
    const [from, to] = (await page.getByTestId('move-flip').locator('.kf-sub').textContent())!
      .split(' → ')
      .map((s) => s.trim());
    const words = page.getByTestId('compare-no-strike');
    expect(await words.textContent()).toBe(
      `No strike’s net GEX or open interest changed, but levels moved: zero gamma (flip) ${flip} (${from} → ${to}). Unchanged: total GEX, call wall, put wall.`,
    );
    expect(await page.getByTestId('compare-view').textContent()).not.toContain('Nothing changed');
    // The unit, as the snapshot panel's Total GEX carries it.
    expect(await page.getByTestId('move-total').getAttribute('title')).toBe('$ per 1 % move');
    await shot(page, 'compare-no-strike-flip-moved', words);
    await expectNoSerious(page, 'compare: no strike changed');
    expect(desk.problems).toEqual([]);
  }, 120_000);

  it('reads every choice and the heading on the exchange’s clock, in order', async () => {
    const { page } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots/compare/${ids.D}/${ids.E}`);
    await poll(() => page.getByTestId('compare-sides').textContent()).toBe(
      'A 2026-03-02 19:00:00 UTC−5 → B 2026-03-02 20:00:00 UTC−5',
    );
    const choices = await optionTexts('compare-a');
    expect(choices.slice(0, 2)).toEqual(['2026-03-02 19:00:00 UTC−5', '2026-03-02 20:00:00 UTC−5']);
    // In instant order, and so they read: no file's own offset among them.
    expect(choices.join('|')).not.toMatch(/UTC\+9|UTC(?![−+])/);
    const times = choices.map((c) => c.slice(0, 19));
    expect(times).toEqual([...times].sort());
    expect(await optionTexts('compare-b')).toEqual(choices);
    await shot(page, 'compare-exchange-clock', page.getByTestId('compare-sides'));
    expect(desk.problems).toEqual([]);
  }, 120_000);

  it('tells two snapshots of one instant apart by spot and id, whatever offset each file wrote', async () => {
    const { page } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots/compare/${ids.B}/${ids.C}`);
    const b = `2026-03-04 10:00:00 UTC−5 · spot 102.00 · ${short('B')}`;
    const c = `2026-03-04 10:00:00 UTC−5 · spot 102.50 · ${short('C')}`;
    await poll(() => page.getByTestId('compare-sides').textContent()).toBe(`A ${b} → B ${c}`);
    const choices = await optionTexts('compare-a');
    expect(choices).toContain(b);
    expect(choices).toContain(c);
    // A snapshot alone at its instant is named by its time alone.
    expect(choices).toContain('2026-03-02 19:00:00 UTC−5');
    await shot(page, 'compare-same-instant', page.getByTestId('compare-sides'));
    await expectNoSerious(page, 'compare: one instant');
    expect(desk.problems).toEqual([]);
  }, 120_000);

  it('gives History’s slider, readouts and replayed chart one time, the exchange’s, and tells one instant’s snapshots apart', async () => {
    const { page } = desk;
    const at = () => page.getByTestId('history-at').textContent();
    const replayTitle = () =>
      page.locator('.history-view [data-testid=chart-strikes] .chart-title').textContent();
    await page.goto(`${desk.host.origin}/#/snapshots/history/QCK/${ids.D}`);
    await poll(at).toBe('1 / 6 · 2026-03-02 19:00:00 UTC−5');
    await poll(replayTitle).toMatch(/^QCK 2026-03-02 19:00:00 UTC−5 /);
    expect(await replayTitle()).not.toContain('UTC+9');
    await shot(page, 'history-exchange-clock-replay', page.getByTestId('history-slider'));

    await page.goto(`${desk.host.origin}/#/snapshots/history/QCK/${ids.B}`);
    const b = `2026-03-04 10:00:00 UTC−5 · spot 102.00 · ${short('B')}`;
    const c = `2026-03-04 10:00:00 UTC−5 · spot 102.50 · ${short('C')}`;
    await poll(at).toBe(`3 / 6 · ${b}`);
    // The replayed chart's title (and so its PNG's) tells it from C, of its instant.
    await poll(replayTitle).toContain(`QCK ${b} `);
    const slider = page.getByTestId('history-slider');
    expect(await slider.getAttribute('aria-valuetext')).toBe(b);
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await poll(at).toBe(`4 / 6 · ${c}`);
    expect(await slider.getAttribute('aria-valuetext')).toBe(c);
    await poll(replayTitle).toContain(`QCK ${c} `);

    // The keyboard readouts: each of the two points by its own label.
    const canvas = page.locator('[data-testid=chart-history-totals] canvas');
    const readout = page.getByTestId('chart-history-totals-readout');
    await canvas.focus();
    const seen = new Set<string>();
    await page.keyboard.press('Home');
    for (let i = 0; i < 6; i++) {
      seen.add((await readout.textContent())!);
      await page.keyboard.press('ArrowRight');
    }
    const labels = [...seen].map((r) => r.slice(0, r.indexOf(': ')));
    expect(labels).toContain(`As of ${b}`);
    expect(labels).toContain(`As of ${c}`);
    expect(labels).toContain('As of 2026-03-02 19:00:00 UTC−5');
    await shot(page, 'history-same-instant', slider);
    await expectNoSerious(page, 'history: one instant');
    expect(desk.problems).toEqual([]);
  }, 120_000);
});
