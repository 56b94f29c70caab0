// A snapshot's strike × expiry cells (`snapshots:cells`), from the store and from an
// attached export folder, against the independent computation (tests/pipeline/
// exposures-oracle.ts) run on each expiry's contracts alone: a cell is that expiry's
// figures at that strike.
import { afterAll, describe, expect, it } from 'vitest';
import { Analytics } from '../../electron/engine/analytics/index.ts';
import { calls, type SnapshotCells } from '../../shared/api.ts';
import { oracle } from '../pipeline/exposures-oracle.ts';
import { cleanupDirs, ingestChain, workstation } from './helpers.ts';

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
