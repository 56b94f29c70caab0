// A snapshot's strike × expiry cells (`snapshots:cells`), from the store and from an
// attached export folder, against the independent computation (tests/pipeline/
// exposures-oracle.ts) run on each expiry's contracts alone: a cell is that expiry's
// figures at that strike.
// With a window (`window_share`), the answer is the full one's cells of the strikes within
// spot ± that share, on a generated SPX chain whose last expiry has none there.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Analytics } from '../../electron/engine/analytics/index.ts';
import { calls, strikeWindow, type SnapshotCells } from '../../shared/api.ts';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import { oracle } from '../pipeline/exposures-oracle.ts';
import { cleanupDirs, ingestChain, ingestFile, workstation } from './helpers.ts';

afterAll(cleanupDirs);

const NY = 'America/New_York';
const AS_OF = '2024-03-15T10:00:00-04:00';
const CHAIN = {
  underlying: 'SPX',
  asOf: AS_OF,
  spot: 5100,
  // 0DTE, a weekly, the April monthly.
  expiries: ['2024-03-15', '2024-03-22', '2024-04-19'],
  strikes: 11,
  seed: 5,
};

const close = (a: number, b: number) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b)));

function checkCells(cells: SnapshotCells, contracts: Parameters<typeof oracle>[0]): void {
  calls['snapshots:cells'].response.parse(cells);
  expect(cells.expiries).toEqual(CHAIN.expiries);
  let seen = 0;
  for (const expiry of CHAIN.expiries) {
    const want = oracle(
      contracts.filter((c) => c.expiry === expiry),
      CHAIN.spot,
      AS_OF,
    ).strikes;
    for (const w of want) {
      const i = cells.expiry_index.findIndex(
        (e, k) =>
          cells.expiries[e] === expiry && cells.strikes[cells.strike_index[k]!] === w.strike,
      );
      expect(i, `${expiry} ${w.strike}`).toBeGreaterThanOrEqual(0);
      seen++;
      close(cells.net_gex[i]!, w.net_gex);
      close(cells.call_gex[i]!, w.call_gex);
      close(cells.put_gex[i]!, w.put_gex);
      close(cells.dex![i]!, w.dex);
      close(cells.vex![i]!, w.vex);
      close(cells.cex![i]!, w.cex);
      expect(cells.call_open_interest[i]).toBe(w.call_open_interest);
      expect(cells.put_open_interest[i]).toBe(w.put_open_interest);
    }
  }
  expect(cells.net_gex).toHaveLength(seen);
}

describe('snapshots:cells', () => {
  it('gives every (expiry, strike) cell of a stored snapshot, and of an attached folder’s', async () => {
    const mine = await workstation();
    const theirs = await workstation();
    const own = await ingestChain(mine, 'spx', CHAIN);
    const other = await ingestChain(theirs, 'spx2', { ...CHAIN, seed: 6 });
    const analytics = new Analytics({ store: mine.store, attach: [theirs.dataDir], timeZone: NY });

    const local = await analytics.cells(own.id);
    if (!local.ok) throw new Error(local.error.message);
    checkCells(local.value, own.contracts);

    const attached = await analytics.cells(other.id);
    if (!attached.ok) throw new Error(attached.error.message);
    expect(attached.value.id).toBe(other.id);
    checkCells(attached.value, other.contracts);

    const missing = await analytics.cells('no-such-id');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.code).toBe('NOT_FOUND');
    await mine.store.close();
    await theirs.store.close();
  });
});

/** The full answer's cells of the strikes within [lo, hi], the axes indexed anew (expiries kept). */
function inWindow(full: SnapshotCells, lo: number, hi: number): Omit<SnapshotCells, 'window'> {
  const keep = full.strike_index.map((k) => full.strikes[k]! >= lo && full.strikes[k]! <= hi);
  const strikes = full.strikes.filter((s) => s >= lo && s <= hi);
  const at = new Map(strikes.map((s, i) => [s, i]));
  const pick = <T>(a: T[]) => a.filter((_, i) => keep[i]);
  return {
    id: full.id,
    expiries: full.expiries,
    strikes,
    expiry_index: pick(full.expiry_index),
    strike_index: pick(full.strike_index).map((k) => at.get(full.strikes[k]!)!),
    call_gex: pick(full.call_gex),
    put_gex: pick(full.put_gex),
    net_gex: pick(full.net_gex),
    dex: full.dex && pick(full.dex),
    vex: full.vex && pick(full.vex),
    cex: full.cex && pick(full.cex),
    call_open_interest: pick(full.call_open_interest),
    put_open_interest: pick(full.put_open_interest),
  };
}

describe('snapshots:cells in a window around spot', () => {
  it('holds exactly the cells of the strikes within spot ± the share, as the full answer filtered: stored and attached', async () => {
    const chain = makeChain({ seed: 31, expiries: 12, strikesPerExpiry: 120 });
    // The last expiry keeps only strikes beyond spot ± 3 %: it has no cell in the windows below.
    const last = chain.contracts.at(-1)!.expiry;
    chain.contracts = chain.contracts.filter(
      (c) => c.expiry !== last || Math.abs(c.strike / chain.spot - 1) > 0.03,
    );
    const mine = await workstation();
    const theirs = await workstation();
    const file = join(mine.dir, 'spx-window.csv');
    writeFileSync(file, cboeCsvText(chain));
    const own = await ingestFile(mine, file);
    const other = await ingestFile(theirs, file);
    const analytics = new Analytics({ store: mine.store, attach: [theirs.dataDir], timeZone: NY });
    const answer = async (id: string, share?: number) => {
      const r = await analytics.cells(id, share);
      if (!r.ok) throw new Error(r.error.message);
      return calls['snapshots:cells'].response.parse(r.value);
    };
    for (const id of [own.id, other.id]) {
      const detail = await analytics.snapshot(id);
      if (!detail.ok) throw new Error(detail.error.message);
      const spot = detail.value.snapshot.spot;
      const full = await answer(id);
      expect(full.window).toBeNull();
      expect(full.expiries).toContain(last);
      for (const share of [0.01, 0.025, 0.1, 1]) {
        const { lo, hi } = strikeWindow(spot, share);
        const win = await answer(id, share);
        expect(win.window).toEqual({ share, strike_min: lo, strike_max: hi });
        const { window: _, ...cells } = win;
        expect(cells, `share ${share}`).toEqual(inWindow(full, lo, hi));
        expect(win.strikes.every((s) => s >= lo && s <= hi)).toBe(true);
        if (share < 0.03) {
          // Some cells left out; every expiry still named, the last one with no cell.
          expect(win.net_gex.length).toBeGreaterThan(0);
          expect(win.net_gex.length).toBeLessThan(full.net_gex.length);
          expect(win.expiries).toEqual(full.expiries);
          expect(win.expiry_index).not.toContain(win.expiries.indexOf(last));
        }
      }
    }
    // The request: a share above 0 and at most 1; none asks for every cell, as before.
    const request = calls['snapshots:cells'].request;
    expect(request.safeParse({ id: own.id }).success).toBe(true);
    expect(request.safeParse({ id: own.id, window_share: 0.1 }).success).toBe(true);
    expect(request.safeParse({ id: own.id, window_share: 0 }).success).toBe(false);
    expect(request.safeParse({ id: own.id, window_share: 1.5 }).success).toBe(false);
    await mine.store.close();
    await theirs.store.close();
  });
});
