// History, diff and levels over a real store (DuckDB) filled by the real pipeline, and over
// another workstation's export folder attached read-only. Expected values come from the
// inputs (the generated contracts, the instants of as_of), never from the engine's output.
import { afterAll, describe, expect, it } from 'vitest';
import { Analytics } from '../../electron/engine/analytics/index.ts';
import { UnreadableExport } from '../../electron/engine/analytics/export-folder.ts';
import { calls } from '../../shared/api.ts';
import { chainContracts, chainCsv, type GeneratedChain } from './chains.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import {
  cleanupDirs,
  ingestChain,
  ingestFile,
  pipeline,
  tempDir,
  tree,
  workstation,
  type Workstation,
} from './helpers.ts';
import { oracle } from '../pipeline/exposures-oracle.ts';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { exportFilesOf } from '../../electron/engine/export-layout.ts';
import { STALE_NOTE } from '../../electron/engine/store/snapshots.ts';
import { join, sep } from 'node:path';
import { saveSnapshot } from '../../electron/engine/store/snapshots.ts';
import type { OracleContract } from '../pipeline/exposures-oracle.ts';

afterAll(cleanupDirs);

const NY = 'America/New_York';
const chain = (asOf: string, seed: number, over: Partial<GeneratedChain> = {}): GeneratedChain => ({
  underlying: 'SPX',
  asOf,
  spot: 4800 + seed,
  expiries: ['2024-03-15', '2024-03-22', '2024-04-19'],
  strikes: 15,
  seed,
  ...over,
});

// Text order and instant order differ: B is written earlier in the day but happens later.
const AS_OF = {
  jan: '2024-01-05T10:00:00-05:00',
  a: '2024-02-02T01:00:00+09:00', // 2024-02-01T16:00Z
  b: '2024-02-01T20:00:00-05:00', // 2024-02-02T01:00Z
  mar: '2024-03-01T15:30:00-05:00',
};

async function spxHistory(): Promise<{ ws: Workstation; ids: Record<keyof typeof AS_OF, string> }> {
  const ws = await workstation();
  const ids = {} as Record<keyof typeof AS_OF, string>;
  // Ingested in neither as_of order nor text order.
  for (const [key, seed] of [
    ['mar', 4],
    ['b', 3],
    ['jan', 1],
    ['a', 2],
  ] as const) {
    ids[key] = (await ingestChain(ws, key, chain(AS_OF[key], seed))).id;
  }
  await ingestChain(
    ws,
    'meta',
    chain('2024-02-15T10:00:00-05:00', 9, { underlying: 'META', spot: 480, step: 2.5 }),
  );
  return { ws, ids };
}

describe('history', () => {
  it('lists an underlying in as_of order (the instant), not ingest order, with its figures', async () => {
    const { ws, ids } = await spxHistory();
    const analytics = new Analytics({ store: ws.store, timeZone: NY });
    const r = await analytics.history({ underlying: 'spx' });
    if (!r.ok) throw new Error(r.error.message);
    // The API's own response schema holds (what the UI receives).
    calls['snapshots:history'].response.parse(r.value);
    const byInstant = Object.entries(AS_OF).sort(([, x], [, y]) => Date.parse(x) - Date.parse(y));
    expect(r.value.rows.map((p) => p.id)).toEqual(
      byInstant.map(([k]) => ids[k as keyof typeof AS_OF]),
    );
    expect(r.value.rows.map((p) => p.as_of)).toEqual(byInstant.map(([, v]) => v));
    expect(r.value.rows.map((p) => p.spot)).toEqual([4801, 4802, 4803, 4804]);
    for (const p of r.value.rows) {
      expect(p.origin).toBe('local');
      expect(p.note).toBeNull();
      for (const k of ['dex', 'vex', 'cex'] as const) expect(Number.isFinite(p[k])).toBe(true);
    }
    await ws.store.close();
  });

  it('--from/--to bound as_of inclusively; a date is that day in the exchange time zone', async () => {
    const { ws, ids } = await spxHistory();
    const analytics = new Analytics({ store: ws.store, timeZone: NY });
    const listed = async (from?: string, to?: string) => {
      const r = await analytics.history({ underlying: 'SPX', from, to });
      if (!r.ok) throw new Error(r.error.message);
      return r.value.rows.map((p) => p.id);
    };
    expect(await listed(AS_OF.a, AS_OF.b)).toEqual([ids.a, ids.b]);
    expect(await listed(AS_OF.b)).toEqual([ids.b, ids.mar]);
    // 2024-02-01 in New York: 11:00 (a) and 20:00 (b) are in it; 2024-02-02 New York has neither.
    expect(await listed('2024-02-01', '2024-02-01')).toEqual([ids.a, ids.b]);
    expect(await listed('2024-02-02', '2024-02-29')).toEqual([]);
    // Without an offset a time is New York's: a is 11:00 there, b 20:00.
    expect(await listed('2024-02-01T11:00', '2024-02-01 20:00:00')).toEqual([ids.a, ids.b]);
    expect(await listed('2024-02-01T11:00:00.001', '2024-02-01T19:59')).toEqual([]);
    const bad = await analytics.history({
      underlying: 'SPX',
      from: '2024-03-01',
      to: '2024-01-01',
    });
    expect(bad.ok ? null : bad.error.code).toBe('VALIDATION');
    const unknown = await analytics.history({ underlying: 'NOPE' });
    expect(unknown.ok ? null : unknown.error).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('NOPE'),
    });
    await ws.store.close();
  });
});

describe('diff', () => {
  it('lists exactly the strikes whose net GEX or open interest changed, with the changes', async () => {
    const ws = await workstation();
    const g = chain('2024-03-01T10:00:00-05:00', 5, { strikes: 11 });
    const a = chainContracts(g);
    // B: the same chain an hour later, with OI moved at two strikes, one strike gone, one new.
    const b: OracleContract[] = a
      .filter((c) => !(c.strike === 4780 && c.expiry === '2024-03-22'))
      .map((c) =>
        c.strike === 4805 && c.type === 'C'
          ? { ...c, open_interest: c.open_interest + 700 }
          : c.strike === 4795 && c.expiry === '2024-04-19' && c.type === 'P'
            ? { ...c, open_interest: c.open_interest * 2 }
            : c,
      );
    b.push({
      line: 0,
      expiry: '2024-03-15',
      strike: 4900,
      type: 'C',
      open_interest: 1234,
      volume: 5,
      iv: 0.2,
      gamma: 0.0011,
      delta: null,
    });
    b.push({
      line: 0,
      expiry: '2024-03-15',
      strike: 4905,
      type: 'C',
      open_interest: 0,
      volume: 0,
      iv: 0.2,
      gamma: 0.001,
      delta: null,
    });
    const gb = { ...g, asOf: '2024-03-01T11:00:00-05:00' };
    const fileA = join(ws.dir, 'a.csv');
    const fileB = join(ws.dir, 'b.csv');
    writeFileSync(fileA, chainCsv(g, a));
    writeFileSync(fileB, chainCsv(gb, b));
    const outA = await pipeline(ws, fileA, 'snap-a');
    const outB = await pipeline(ws, fileB, 'snap-b');
    await saveSnapshot(ws.store, outA, { request_id: null, job_id: null });
    await saveSnapshot(ws.store, outB, { request_id: null, job_id: null });
    const r = await new Analytics({ store: ws.store, timeZone: NY }).diff('snap-a', 'snap-b');
    if (!r.ok) throw new Error(r.error.message);
    calls['snapshots:diff'].response.parse(r.value);
    // Expected from the contracts alone.
    const wa = oracle(a, g.spot, g.asOf);
    const wb = oracle(b, gb.spot, gb.asOf);
    const before = new Map(wa.strikes.map((s) => [s.strike, s]));
    const after = new Map(wb.strikes.map((s) => [s.strike, s]));
    const want = [...new Set([...before.keys(), ...after.keys()])]
      .sort((x, y) => x - y)
      .flatMap((strike) => {
        const x = before.get(strike);
        const y = after.get(strike);
        const change = {
          strike,
          net_gex_change: (y?.net_gex ?? 0) - (x?.net_gex ?? 0),
          call_open_interest_change: (y?.call_open_interest ?? 0) - (x?.call_open_interest ?? 0),
          put_open_interest_change: (y?.put_open_interest ?? 0) - (x?.put_open_interest ?? 0),
        };
        return change.call_open_interest_change !== 0 ||
          change.put_open_interest_change !== 0 ||
          Math.abs(change.net_gex_change) > 1e-6
          ? [change]
          : [];
      });
    expect(want.map((s) => s.strike)).toEqual([4780, 4795, 4805, 4900]);
    expect(r.value.strikes.map((s) => s.strike)).toEqual(want.map((s) => s.strike));
    r.value.strikes.forEach((s, i) => {
      const w = want[i]!;
      expect(Math.abs(s.net_gex_change - w.net_gex_change)).toBeLessThanOrEqual(
        1e-6 * Math.abs(w.net_gex_change),
      );
      expect([s.call_open_interest_change, s.put_open_interest_change]).toEqual([
        w.call_open_interest_change,
        w.put_open_interest_change,
      ]);
    });
    expect(r.value).toMatchObject({
      from: 'snap-a',
      to: 'snap-b',
      total_gex_change: Math.round((outB.snapshot.total_gex - outA.snapshot.total_gex) * 100) / 100,
      call_wall_move: wb.call_wall! - wa.call_wall!,
      put_wall_move: wb.put_wall! - wa.put_wall!,
    });
    const [za, zb] = [outA.snapshot.zero_gamma, outB.snapshot.zero_gamma];
    expect(r.value.zero_gamma_move).toBe(
      za === null || zb === null ? null : Math.round((zb - za) * 100) / 100,
    );
    const same = await new Analytics({ store: ws.store, timeZone: NY }).diff('snap-a', 'snap-a');
    expect(same.ok && same.value).toMatchObject({
      strikes: [],
      total_gex_change: 0,
      zero_gamma_move: outA.snapshot.zero_gamma === null ? null : 0,
      call_wall_move: 0,
    });
    const missing = await new Analytics({ store: ws.store, timeZone: NY }).diff('snap-a', 'nope');
    expect(missing.ok ? null : missing.error).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('nope'),
    });
    // The start of an id names the one snapshot it begins; the start of two names neither.
    const analytics = new Analytics({ store: ws.store, timeZone: NY });
    const byStart = await analytics.diff('snap-', 'snap-b');
    expect(byStart.ok ? null : byStart.error).toMatchObject({
      code: 'VALIDATION',
      field: 'id',
      message: 'snap- begins the ids of 2 snapshots (snap-a, snap-b); give more of the id.',
    });
    const short = await analytics.snapshot('sna');
    expect(short.ok ? null : short.error.code).toBe('NOT_FOUND');
    // A ticker typed where an id goes is told apart from an id that is not there.
    const ticker = await analytics.snapshot(outA.snapshot.underlying.toLowerCase());
    expect(ticker.ok ? null : ticker.error).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(
        `${outA.snapshot.underlying} is an underlying, not a snapshot id: its history lists its snapshots`,
      ),
    });
    expect(short.ok ? null : short.error.message).not.toMatch(/underlying/);
    await ws.store.close();
  });
});

describe('levels', () => {
  it("shows each underlying's latest snapshot by as_of, with its age", async () => {
    const { ws, ids } = await spxHistory();
    const now = Date.parse('2024-03-01T21:00:00Z');
    const r = await new Analytics({ store: ws.store, timeZone: NY, now: () => now }).levels();
    if (!r.ok) throw new Error(r.error.message);
    calls['snapshots:levels'].response.parse(r.value);
    expect(r.value.rows.map((l) => [l.underlying, l.origin])).toEqual([
      ['META', 'local'],
      ['SPX', 'local'],
    ]);
    const spx = r.value.rows[1]!;
    expect(spx.id).toBe(ids.mar);
    expect(spx.age_s).toBe((now - Date.parse(AS_OF.mar)) / 1000);
    expect(spx.absolute_gamma_strike).not.toBeNull();
    // Whole seconds gone by, rounded down: 299.6 s is 299, not the 300 of "stale".
    const justUnder = Date.parse(AS_OF.mar) + 299_600;
    const under = await new Analytics({
      store: ws.store,
      timeZone: NY,
      now: () => justUnder,
    }).levels();
    expect(under.ok && under.value.rows[1]!.age_s).toBe(299);
    await ws.store.close();
  });
});

describe('an attached export folder', () => {
  it("adds another workstation's snapshots to history and levels, marked with their origin, and writes nothing there", async () => {
    const mine = await workstation();
    const theirs = await workstation();
    const jan = await ingestChain(mine, 'jan', chain(AS_OF.jan, 1));
    const mar = await ingestChain(mine, 'mar', chain(AS_OF.mar, 4));
    const feb = await ingestChain(theirs, 'feb', chain(AS_OF.b, 3));
    const ndx = await ingestChain(
      theirs,
      'ndx',
      chain('2024-03-04T10:00:00-05:00', 7, { underlying: 'NDX', spot: 18000 }),
    );
    // The same content on both: listed once, from this workstation.
    const dup = await ingestChain(theirs, 'jan-again', chain(AS_OF.jan, 1));
    expect(dup.id).not.toBe(jan.id);
    const before = tree(theirs.dataDir);
    const analytics = new Analytics({
      store: mine.store,
      attach: [theirs.dataDir],
      timeZone: NY,
      now: () => Date.parse('2024-03-05T00:00:00Z'),
    });

    const history = await analytics.history({ underlying: 'SPX' });
    if (!history.ok) throw new Error(history.error.message);
    expect(history.value.rows.map((p) => [p.id, p.origin])).toEqual([
      [jan.id, 'local'],
      [feb.id, theirs.dataDir],
      [mar.id, 'local'],
    ]);
    expect(history.value.rows[1]).toMatchObject({
      as_of: AS_OF.b,
      spot: 4803,
      total_gex: feb.output.snapshot.total_gex,
      dex: feb.output.measures.exposures.dex,
    });

    const levels = await analytics.levels();
    if (!levels.ok) throw new Error(levels.error.message);
    expect(levels.value.rows.map((l) => [l.underlying, l.id, l.origin])).toEqual([
      ['NDX', ndx.id, theirs.dataDir],
      ['SPX', mar.id, 'local'],
    ]);
    expect(levels.value.rows[0]!.age_s).toBe(
      Math.floor(
        (Date.parse('2024-03-05T00:00:00Z') - Date.parse('2024-03-04T10:00:00-05:00')) / 1000,
      ),
    );

    // One attached snapshot in full: the same as that workstation's own store shows it.
    const got = await analytics.snapshot(feb.id);
    const own = await new Analytics({ store: theirs.store, timeZone: NY }).snapshot(feb.id);
    if (!got.ok || !own.ok) throw new Error('snapshot');
    expect(got.value.origin).toBe(theirs.dataDir);
    calls['snapshots:get'].response.parse(got.value);
    const { created_at: _a, request_id: _b, job_id: _c, ...gotSnapshot } = got.value.snapshot;
    const { created_at: _d, request_id: _e, job_id: _f, ...ownSnapshot } = own.value.snapshot;
    expect(gotSnapshot).toEqual(ownSnapshot);
    for (const k of [
      'exposures',
      'absolute_gamma_strike',
      'buckets',
      'expiries',
      'profile',
      'measures_version',
    ] as const)
      expect(got.value[k], k).toEqual(own.value[k]);
    expect(got.value.strikes).toEqual(own.value.strikes);

    // A diff across origins, by whole ids and by their first characters.
    for (const [from, to] of [
      [jan.id, feb.id],
      [jan.id.slice(0, 8), feb.id.slice(0, 6)],
    ]) {
      const diff = await analytics.diff(from!, to!);
      expect(diff.ok && diff.value).toMatchObject({
        from: jan.id,
        to: feb.id,
        total_gex_change:
          Math.round((feb.output.snapshot.total_gex - jan.output.snapshot.total_gex) * 100) / 100,
      });
    }
    // The start of an id, in the store or the attached folder, reads that snapshot.
    for (const whole of [feb.id, mar.id]) {
      const got = await analytics.snapshot(whole.slice(0, 8));
      expect(got.ok && got.value.snapshot.id).toBe(whole);
      const cells = await analytics.cells(whole.slice(0, 5));
      const own = await analytics.cells(whole);
      expect(cells.ok && own.ok && cells.value).toEqual(own.ok && own.value);
    }

    expect(tree(theirs.dataDir)).toEqual(before);
    await mine.store.close();
    await theirs.store.close();
  });

  it("reads a snapshot's strikes to the bit as the workstation that stored it does", async () => {
    // An ordinary CBOE chain of several expiries: a strike's figures are sums of its
    // expiries' cells, which differ in their last bits when summed in another order.
    const theirs = await workstation();
    const file = join(theirs.dir, 'spx.csv');
    writeCboeCsv(file, { seed: 11, expiries: 12, strikesPerExpiry: 40 });
    const { id } = await ingestFile(theirs, file);
    const mine = await workstation();
    const own = await new Analytics({ store: theirs.store, timeZone: NY }).snapshot(id);
    const attached = new Analytics({ store: mine.store, attach: [theirs.dataDir], timeZone: NY });
    const got = await attached.snapshot(id);
    const cells = await attached.cells(id);
    if (!own.ok || !got.ok || !cells.ok) throw new Error('snapshot');
    expect(got.value.origin).toBe(theirs.dataDir);

    // A strike's figures are its cells summed from 0 by expiry ascending (the cells come
    // by expiry). By expiry descending, some net GEX reads otherwise in its last bits.
    const sums = (figure: 'net_gex' | 'dex' | 'vex' | 'cex', descending = false) => {
      const s = cells.value.strikes.map(() => 0);
      const order = [...cells.value.net_gex.keys()];
      for (const i of descending ? order.reverse() : order)
        s[cells.value.strike_index[i]!]! += cells.value[figure]![i]!;
      return s;
    };
    expect(sums('net_gex', true)).not.toEqual(sums('net_gex'));
    for (const figure of ['net_gex', 'dex', 'vex', 'cex'] as const)
      expect(
        own.value.strikes.map((s) => s[figure]),
        figure,
      ).toEqual(sums(figure));
    expect(got.value.strikes).toEqual(own.value.strikes);
    await mine.store.close();
    await theirs.store.close();
  });

  it('diffs the same positions, stored here and read from the folder, as unchanged', async () => {
    // Each side sums a strike's cells (the store in DuckDB, the folder's reader in JS) in
    // the same order: in another, the same figures would differ in their last bits.
    const mine = await workstation();
    const theirs = await workstation();
    const wide = {
      expiries: Array.from({ length: 12 }, (_, i) => `2024-0${4 + (i % 6)}-${10 + i}`),
      strikes: 40,
    };
    const here = await ingestChain(mine, 'here', chain(AS_OF.jan, 9, wide));
    const there = await ingestChain(theirs, 'there', chain(AS_OF.mar, 9, wide));
    const analytics = new Analytics({ store: mine.store, attach: [theirs.dataDir], timeZone: NY });
    const diff = await analytics.diff(here.id, there.id);
    if (!diff.ok) throw new Error(diff.error.message);
    expect(diff.value).toMatchObject({
      total_gex_change: 0,
      call_wall_move: 0,
      put_wall_move: 0,
      strikes: [],
    });
    await mine.store.close();
    await theirs.store.close();
  });

  it('a file that cannot be read hides only its own snapshot from history and levels, and is named', async () => {
    const mine = await workstation();
    const theirs = await workstation();
    const jan = await ingestChain(mine, 'jan', chain(AS_OF.jan, 1));
    const feb = await ingestChain(theirs, 'feb', chain(AS_OF.b, 3));
    const mar = await ingestChain(theirs, 'mar', chain(AS_OF.mar, 4));
    const ndx = await ingestChain(
      theirs,
      'ndx',
      chain('2024-03-04T10:00:00-05:00', 7, { underlying: 'NDX', spot: 18000 }),
    );
    // SPX's newest snapshot there still arriving: its row file half written.
    const rowFile = exportFilesOf(mar.output.strikesParquet).snapshot;
    const whole = readFileSync(rowFile);
    writeFileSync(rowFile, whole.subarray(0, whole.length >> 1));
    const analytics = new Analytics({
      store: mine.store,
      attach: [theirs.dataDir],
      timeZone: NY,
      now: () => Date.parse('2024-03-05T00:00:00Z'),
    });
    const named = [
      {
        path: rowFile,
        message: expect.stringMatching(
          /^cannot be read as Parquet \(copied only in part, or damaged\): copy it again, or remove it \(.*PAR1/,
        ),
      },
    ];

    // Asked twice: the second time the readable files' rows are kept, the other tried again.
    for (const _ of [1, 2]) {
      const levels = await analytics.levels();
      if (!levels.ok) throw new Error(levels.error.message);
      calls['snapshots:levels'].response.parse(levels.value);
      expect(levels.value.rows.map((l) => [l.underlying, l.id, l.origin])).toEqual([
        ['NDX', ndx.id, theirs.dataDir],
        ['SPX', feb.id, theirs.dataDir],
      ]);
      expect(levels.value.unreadable).toEqual(named);

      const history = await analytics.history({ underlying: 'SPX' });
      if (!history.ok) throw new Error(history.error.message);
      calls['snapshots:history'].response.parse(history.value);
      expect(history.value.rows.map((p) => [p.id, p.origin])).toEqual([
        [jan.id, 'local'],
        [feb.id, theirs.dataDir],
      ]);
      expect(history.value.unreadable).toEqual(named);
    }
    // Another underlying's history reads none of SPX's files: nothing to name.
    const ndxHistory = await analytics.history({ underlying: 'NDX' });
    expect(ndxHistory.ok && ndxHistory.value).toEqual({
      rows: [expect.objectContaining({ id: ndx.id })],
      unreadable: [],
      not_exports: [],
      attached: [theirs.dataDir],
    });
    // Compare's snapshots that can be read still compare; the unreadable one is an error naming it.
    const diff = await analytics.diff(jan.id, feb.id);
    expect(diff.ok && diff.value.to).toBe(feb.id);
    const broken = await analytics.diff(feb.id, mar.id);
    expect(broken.ok ? null : broken.error).toMatchObject({ code: 'BAD_SHAPE', file: rowFile });

    // Copied again in full: listed, and nothing named.
    writeFileSync(rowFile, whole);
    const levels = await analytics.levels();
    expect(levels.ok && levels.value.rows.map((l) => l.id)).toEqual([ndx.id, mar.id]);
    expect(levels.ok && levels.value.unreadable).toEqual([]);
    await mine.store.close();
    await theirs.store.close();
  });

  it('a file this user may not read is said to be so, not damaged', () => {
    // As root (CI) every file can be read: the cause is what Polars says of EACCES.
    const file = join(tempDir(), 'x.parquet');
    writeFileSync(file, 'PAR1');
    const denied = new UnreadableExport(file, new Error('Permission denied (os error 13)'));
    expect(denied.unreadable).toEqual({
      path: file,
      message:
        'cannot be read: permission denied (this user may not read it): let this user read it, or remove it (Permission denied (os error 13))',
    });
    expect(denied.message).toBe(`${file}, in an attached export folder, ${denied.reason}`);
  });

  it('a file of the snapshot asked for copied only in part is an error that names it', async () => {
    const mine = await workstation();
    const theirs = await workstation();
    const feb = await ingestChain(theirs, 'feb', chain(AS_OF.b, 3));
    const analytics = new Analytics({ store: mine.store, attach: [theirs.dataDir], timeZone: NY });
    const files = readdirSync(theirs.dataDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith(`${feb.id}.parquet`))
      .map((f) => join(theirs.dataDir, f));
    const rowFile = files.find((f) => f.includes(`${sep}snapshots${sep}`))!;
    const strikesFile = files.find((f) => f.startsWith(join(theirs.dataDir, 'underlying=')))!;
    const unreadable = (file: string) => ({
      ok: false,
      error: {
        code: 'BAD_SHAPE',
        file,
        message: expect.stringMatching(
          new RegExp(
            `^${file}, in an attached export folder, cannot be read as Parquet \\(copied only in part, or damaged\\): copy it again, or remove it \\(`,
          ),
        ),
      },
    });
    const whole = readFileSync(rowFile);
    writeFileSync(rowFile, whole.subarray(0, whole.length >> 1)); // a copy still arriving
    expect(await analytics.snapshot(feb.id)).toEqual(unreadable(rowFile));
    expect(await analytics.diff(feb.id, feb.id)).toEqual(unreadable(rowFile));
    writeFileSync(rowFile, whole);
    expect((await analytics.snapshot(feb.id)).ok).toBe(true);
    writeFileSync(strikesFile, 'not parquet');
    expect(await analytics.snapshot(feb.id)).toEqual(unreadable(strikesFile));
    expect(await analytics.cells(feb.id)).toEqual(unreadable(strikesFile));
    expect(await analytics.diff(feb.id, feb.id)).toEqual(unreadable(strikesFile));
    await mine.store.close();
    await theirs.store.close();
  });

  it('a snapshot whose expiries file is missing is an error that names it, unless it predates expiries', async () => {
    const mine = await workstation();
    const theirs = await workstation();
    const feb = await ingestChain(theirs, 'feb', chain(AS_OF.b, 3));
    const analytics = new Analytics({ store: mine.store, attach: [theirs.dataDir], timeZone: NY });
    const { expiries: expiryFile, snapshot: rowFile } = exportFilesOf(feb.output.strikesParquet);
    const missing = (file: string) => ({
      ok: false,
      error: {
        code: 'BAD_SHAPE',
        file,
        message: `${file}, in an attached export folder, is missing (not copied yet, or removed): copy the snapshot's files again, or remove the others`,
      },
    });
    const whole = readFileSync(expiryFile);
    rmSync(expiryFile);
    expect(await analytics.snapshot(feb.id)).toEqual(missing(expiryFile));
    expect(await analytics.snapshot(feb.id.slice(0, 8))).toEqual(missing(expiryFile));
    // The strike file missing is said the same way.
    writeFileSync(expiryFile, whole);
    const strikes = readFileSync(feb.output.strikesParquet);
    rmSync(feb.output.strikesParquet);
    expect(await analytics.snapshot(feb.id)).toEqual(missing(feb.output.strikesParquet));
    writeFileSync(feb.output.strikesParquet, strikes);
    expect((await analytics.snapshot(feb.id)).ok).toBe(true);

    // A row without measures (a snapshot from before expiries were computed) has none to miss.
    const con = await (await DuckDBInstance.create(':memory:')).connect();
    const q = (p: string) => `'${p.replaceAll("'", "''")}'`;
    await con.run(
      `COPY (SELECT * REPLACE (NULL::INTEGER AS measures_version) FROM read_parquet(${q(rowFile)})) TO ${q(`${rowFile}.old`)} (FORMAT parquet)`,
    );
    con.closeSync();
    renameSync(`${rowFile}.old`, rowFile);
    rmSync(expiryFile);
    const old = await analytics.snapshot(feb.id);
    expect(old.ok && [old.value.expiries, old.value.note]).toEqual([[], STALE_NOTE]);
    await mine.store.close();
    await theirs.store.close();
  });
  // A folder that is gone: missing-folder.test.ts.
});
