// `gex-desk snapshot`, `history`, `diff`, `levels` and `export` as ANALYTICS.md describes
// them, run as the real command on real files: JSON shapes, as_of order, exit codes, the
// measures against the independent computation, a version-2 database brought forward,
// and another workstation's export folder attached read-only.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { writeChain, writeTinyChain, type GeneratedChain } from '../analytics/chains.ts';
import {
  ingestChain,
  ingestFile,
  ingestTiny,
  pipeline,
  saveAsVersion2,
  tree,
  workstation,
} from '../analytics/helpers.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { MIGRATIONS } from '../../electron/engine/store/migrations.ts';
import { exportFilesOf } from '../../electron/engine/export-layout.ts';
import { DEFAULT_ORACLE, oracle } from '../pipeline/exposures-oracle.ts';
import { cliHome, cliStore, runCli } from './run-cli.ts';
import { Store } from '../../electron/engine/store/db.ts';

const spx = (asOf: string, seed: number): GeneratedChain => ({
  underlying: 'SPX',
  asOf,
  spot: 4790 + seed,
  expiries: ['2024-03-01', '2024-03-08', '2024-03-15', '2024-04-19'],
  strikes: 17,
  seed,
  missingGammaShare: 0.2,
  zeroIvShare: 0.05,
});
const AS_OF = {
  jan: '2024-01-31T10:00:00-05:00',
  feb: '2024-02-29T16:15:00-05:00',
  mar: '2024-03-01T09:45:00-05:00',
};
const rel = (a: number, b: number, scale = 0) =>
  Math.abs(a - b) / Math.max(Math.abs(b), scale, 1e-12);

describe('gex-desk analytics commands', () => {
  it('history in as_of order, levels, snapshot (against the independent computation), diff, export', async () => {
    const { dir, args } = cliHome();
    const files = {
      mar: join(dir, 'mar.csv'),
      jan: join(dir, 'jan.csv'),
      feb: join(dir, 'feb.csv'),
      meta: join(dir, 'meta.csv'),
    };
    const contracts = {
      mar: writeChain(files.mar, spx(AS_OF.mar, 3)),
      jan: writeChain(files.jan, spx(AS_OF.jan, 1)),
      feb: writeChain(files.feb, spx(AS_OF.feb, 2)),
    };
    writeChain(files.meta, {
      ...spx('2024-02-15T11:00:00-05:00', 4),
      underlying: 'META',
      spot: 480,
      step: 2.5,
    });
    const ingest = await runCli([
      'ingest',
      files.mar,
      files.jan,
      files.feb,
      files.meta,
      '--json',
      ...args,
    ]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const ids = Object.fromEntries(
      ['mar', 'jan', 'feb', 'meta'].map((k, i) => [
        k,
        (ingest.lines[i]!.snapshot as { id: string }).id,
      ]),
    );

    // The tables for people end with each snapshot's id, which the next command takes.
    const lastColumn = (stdout: string) =>
      stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s+/).at(-1));
    const tables = {
      snapshots: await runCli(['snapshots', ...args]),
      levels: await runCli(['levels', ...args]),
      history: await runCli(['history', 'SPX', ...args]),
    };
    expect(tables.snapshots.stdout.split('\n')[0]).toMatch(/\sid$/);
    expect(lastColumn(tables.snapshots.stdout).sort()).toEqual(Object.values(ids).sort());
    expect(lastColumn(tables.levels.stdout).sort()).toEqual([ids.mar, ids.meta].sort());
    expect(lastColumn(tables.history.stdout)).toEqual([ids.jan, ids.feb, ids.mar]);
    const taken = await runCli(['snapshot', lastColumn(tables.levels.stdout)[0]!, ...args]);
    expect(taken.code, taken.stderr).toBe(0);
    // Every exposure is named with its unit (ANALYTICS.md), in every table for people.
    for (const t of [tables.snapshots, tables.levels, tables.history])
      expect(t.stdout.split('\n')[0]).toContain('total GEX USD/1%');
    expect(tables.history.stdout.split('\n')[0]).toMatch(
      /DEX USD .*VEX USD\/vol pt .*CEX USD\/day/,
    );
    expect(taken.stdout).toContain(' USD per 1% move;');
    expect(taken.stdout).toMatch(/net GEX USD\/1% +DEX USD +VEX USD\/vol pt +CEX USD\/day/);

    const history = await runCli(['history', 'SPX', '--json', ...args]);
    expect(history.code, history.stderr).toBe(0);
    expect(history.lines.map((l) => l.id)).toEqual([ids.jan, ids.feb, ids.mar]);
    // The underlying as vendors and the CBOE files' roots write it is the same one.
    for (const written of ['^SPX', '$spx', 'SPXW']) {
      const again = await runCli(['history', written, '--json', ...args]);
      expect(
        again.lines.map((l) => l.id),
        written,
      ).toEqual([ids.jan, ids.feb, ids.mar]);
      const listed = await runCli(['snapshots', '--underlying', written, '--json', ...args]);
      expect(listed.lines, written).toHaveLength(3);
    }
    expect(Object.keys(history.lines[0]!)).toEqual([
      'id',
      'as_of',
      'spot',
      'total_gex',
      'zero_gamma',
      'call_wall',
      'put_wall',
      'dex',
      'vex',
      'cex',
      'origin',
      'conventions',
    ]);
    expect(history.lines.map((l) => [l.as_of, l.spot, l.origin])).toEqual([
      [AS_OF.jan, 4791, 'local'],
      [AS_OF.feb, 4792, 'local'],
      [AS_OF.mar, 4793, 'local'],
    ]);
    const ranged = await runCli([
      'history',
      'spx',
      '--from',
      '2024-02-29',
      '--to',
      AS_OF.mar,
      '--json',
      ...args,
    ]);
    expect(ranged.lines.map((l) => l.id)).toEqual([ids.feb, ids.mar]);
    // A time without an offset is exchange time, as in the files: feb is at 16:15 New York.
    const wall = await runCli([
      'history',
      'SPX',
      '--from',
      '2024-02-29T16:15',
      '--to',
      '2024-03-01 09:44:59',
      '--json',
      ...args,
    ]);
    expect(wall.code, wall.stderr).toBe(0);
    expect(wall.lines.map((l) => l.id)).toEqual([ids.feb]);
    // Nothing in the range: nothing for a script; a line that says so for a person.
    const none = ['history', 'SPX', '--from', '2025-01-01', '--to', '2025-01-02'];
    const noneJson = await runCli([...none, '--json', ...args]);
    expect([noneJson.code, noneJson.stdout]).toEqual([0, '']);
    const noneText = await runCli([...none, ...args]);
    expect([noneText.code, noneText.stdout]).toEqual([
      0,
      'no snapshot of SPX from 2025-01-01 to 2025-01-02\n',
    ]);

    const logFile = join(dir, 'data', 'logs', 'gex-desk.log');
    const enginesStarted = () =>
      readFileSync(logFile, 'utf8')
        .trim()
        .split('\n')
        .filter((l) => JSON.parse(l).event === 'engine.started').length;
    const startedBefore = enginesStarted();
    const levels = await runCli(['levels', '--json', ...args]);
    expect(levels.code, levels.stderr).toBe(0);
    expect(levels.lines.map((l) => [l.underlying, l.id])).toEqual([
      ['META', ids.meta],
      ['SPX', ids.mar],
    ]);
    expect(Object.keys(levels.lines[1]!)).toEqual([
      'underlying',
      'id',
      'as_of',
      'spot',
      'total_gex',
      'zero_gamma',
      'call_wall',
      'put_wall',
      'absolute_gamma_strike',
      'age_s',
      'origin',
      'conventions',
    ]);
    const age = levels.lines[1]!.age_s as number;
    expect(Math.abs(age - (Date.now() - Date.parse(AS_OF.mar)) / 1000)).toBeLessThan(120);
    // Read-only: no engine (and so no worker) was started for it, only the store read.
    expect(enginesStarted()).toBe(startedBefore);

    // snapshot --json against the independent computation of the file's contracts.
    const snap = await runCli(['snapshot', ids.feb!, '--json', ...args]);
    expect(snap.code, snap.stderr).toBe(0);
    const s = snap.lines[0] as Record<string, unknown> & {
      exposures: Record<'gex' | 'dex' | 'vex' | 'cex', number>;
      buckets: { bucket: string; net_gex: number; call_wall: number; put_wall: number }[];
      expiries: Record<string, number | string | null>[];
      strikes: Record<string, number>[];
    };
    for (const k of [
      'id',
      'underlying',
      'as_of',
      'spot',
      'total_gex',
      'zero_gamma',
      'call_wall',
      'put_wall',
      'parquet',
      'quality',
      'request_id',
      'job_id',
      'exposures',
      'absolute_gamma_strike',
      'buckets',
      'expiries',
      'strikes',
    ])
      expect(s, k).toHaveProperty(k);
    expect(s).not.toHaveProperty('note');
    const want = oracle(contracts.feb, 4792, AS_OF.feb, DEFAULT_ORACLE);
    for (const k of ['gex', 'dex', 'vex', 'cex'] as const)
      expect(rel(s.exposures[k], want.exposures[k]), k).toBeLessThan(1e-6);
    expect(s.absolute_gamma_strike).toBe(want.absolute_gamma_strike);
    expect(s.buckets.map((b) => [b.bucket, b.call_wall, b.put_wall])).toEqual(
      want.buckets.map((b) => [b.bucket, b.call_wall, b.put_wall]),
    );
    s.buckets.forEach((b, i) =>
      expect(rel(b.net_gex, want.buckets[i]!.net_gex)).toBeLessThan(1e-6),
    );
    expect(s.expiries.map((e) => [e.expiry, e.bucket, e.call_wall, e.put_wall])).toEqual(
      want.expiries.map((e) => [e.expiry, e.bucket, e.call_wall, e.put_wall]),
    );
    expect(Object.keys(s.expiries[0]!)).toEqual([
      'expiry',
      'bucket',
      'call_gex',
      'put_gex',
      'net_gex',
      'dex',
      'vex',
      'cex',
      'call_wall',
      'put_wall',
    ]);
    // A per-expiry or per-strike sum may nearly cancel: compared against 1e-3 of the total's size.
    const scale = (f: string) =>
      1e-3 * Math.abs(want.exposures[f === 'dex' || f === 'vex' || f === 'cex' ? f : 'gex']);
    s.expiries.forEach((e, i) => {
      for (const k of ['net_gex', 'dex', 'vex', 'cex'] as const)
        expect(
          rel(e[k] as number, want.expiries[i]![k], scale(k)),
          `${e.expiry} ${k}`,
        ).toBeLessThan(1e-6);
    });
    expect(s.strikes.map((k) => k.strike)).toEqual(want.strikes.map((k) => k.strike));
    s.strikes.forEach((k, i) => {
      for (const f of ['net_gex', 'dex', 'vex', 'cex'] as const)
        expect(rel(k[f]!, want.strikes[i]![f], scale(f)), `${k.strike} ${f}`).toBeLessThan(1e-6);
      for (const f of [
        'call_open_interest',
        'put_open_interest',
        'call_volume',
        'put_volume',
      ] as const)
        expect(k[f], `${k.strike} ${f}`).toBe(want.strikes[i]![f]);
    });

    const diff = await runCli(['diff', ids.jan!, ids.feb!, '--json', ...args]);
    expect(diff.code, diff.stderr).toBe(0);
    expect(Object.keys(diff.lines[0]!)).toEqual([
      'from',
      'to',
      'total_gex_change',
      'zero_gamma_move',
      'call_wall_move',
      'put_wall_move',
      'strikes',
      'conventions',
    ]);
    expect(diff.lines[0]).toMatchObject({ from: ids.jan, to: ids.feb });
    // The table: where each level was (A) and is (B), and its move with its sign.
    type Level = number | null;
    const d = diff.lines[0] as { zero_gamma_move: Level; call_wall_move: Level };
    const [jan, feb] = history.lines as { zero_gamma: Level; call_wall: Level }[];
    const level = (v: Level) => (v === null ? '—' : String(v));
    const human = await runCli(['diff', ids.jan!, ids.feb!, ...args]);
    expect(human.code, human.stderr).toBe(0);
    const row = (name: string) =>
      human.stdout
        .split('\n')
        .find((l) => l.startsWith(name))!
        .slice(name.length)
        .trim()
        .split(/\s+/);
    const move = (v: Level) =>
      v === null
        ? '—'
        : Math.round(v * 100) === 0
          ? '±0'
          : `${v > 0 ? '+' : '-'}${Math.round(Math.abs(v) * 100) / 100}`;
    expect(row('zero gamma')).toEqual([
      level(jan!.zero_gamma),
      level(feb!.zero_gamma),
      move(d.zero_gamma_move),
    ]);
    expect(row('call wall')).toEqual([
      level(jan!.call_wall),
      level(feb!.call_wall),
      move(d.call_wall_move),
    ]);
    expect(human.stdout).toMatch(/\n\d+ strikes? changed\n/);
    expect(human.stdout.split('\n')[0]).toBe(
      `SPX ${ids.jan} (${AS_OF.jan}) → SPX ${ids.feb} (${AS_OF.feb})`,
    );
    expect(human.stderr).toBe('');
    // Two ids pasted from two underlyings' rows: said, not passed off as a move of one.
    const across = await runCli(['diff', ids.jan!, ids.meta!, ...args]);
    expect(across.code, across.stderr).toBe(0);
    expect(across.stdout.split('\n')[0]).toMatch(/^SPX \S+ \(.*\) → META \S+ \(/);
    expect(across.stderr).toMatch(/A is SPX and B is META/);

    // export: csv and parquet hold the strike table, json the snapshot --json object.
    // Without --format, the file's extension gives it. The first characters of an id name it.
    for (const format of ['csv', 'parquet', 'json']) {
      const out = join(dir, `feb.${format}`);
      const how = format === 'parquet' ? [] : ['--format', format];
      const id = format === 'json' ? ids.feb!.slice(0, 8) : ids.feb!;
      const r = await runCli(['export', id, ...how, '--out', out, ...args]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`of snapshot ${ids.feb} (${format})`);
    }
    const csv = readFileSync(join(dir, 'feb.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'snapshot_id,underlying,as_of,strike,call_gex,put_gex,net_gex,dex,vex,cex,call_open_interest,put_open_interest,call_volume,put_volume',
    );
    expect(csv).toHaveLength(s.strikes.length + 1);
    const parquet = pl.readParquet(join(dir, 'feb.parquet'));
    expect(parquet.getColumn('strike').toArray()).toEqual(s.strikes.map((k) => k.strike));
    expect(parquet.getColumn('dex').toArray()).toEqual(s.strikes.map((k) => k.dex));
    expect(JSON.parse(readFileSync(join(dir, 'feb.json'), 'utf8'))).toEqual(s);

    // --out -: the same bytes on stdout, to pipe on (and no file named "-" anywhere).
    for (const format of ['csv', 'json', 'parquet']) {
      const r = await runCli(['export', ids.feb!, '--format', format, '--out', '-', ...args], {
        cwd: dir,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      if (format === 'parquet')
        expect(pl.readParquet(r.stdoutBytes).toRecords()).toEqual(parquet.toRecords());
      else expect(r.stdout).toBe(readFileSync(join(dir, `feb.${format}`), 'utf8'));
    }
    expect(existsSync(join(dir, '-'))).toBe(false);
  });

  it("a person's output reads a file's spot as quoted; --json keeps the stored value", async () => {
    // 240 × 1.015 in binary floating point, as a spreadsheet or a script writes it.
    const spot = 240 * 1.015;
    expect(String(spot)).toBe('243.59999999999997');
    const { dir, args } = cliHome();
    const file = join(dir, 'tsla.csv');
    writeChain(file, { ...spx(AS_OF.jan, 5), underlying: 'TSLA', spot, step: 2.5 });
    const ingest = await runCli(['ingest', file, ...args]);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toContain('TSLA 2024-01-31T10:00:00-05:00  spot 243.6  total GEX');
    const listed = await runCli(['snapshots', ...args]);
    expect(listed.stdout).toMatch(/TSLA +243\.6 /);
    const json = await runCli(['snapshots', '--json', ...args]);
    const row = JSON.parse(json.stdout) as { id: string; spot: number };
    expect(row.spot).toBe(spot);
    const one = await runCli(['snapshot', row.id, ...args]);
    expect(one.stdout).toContain(`spot 243.6  (${row.id})`);
    expect(one.stdout + listed.stdout + ingest.stdout).not.toContain('99999');
  });

  it('exit 1 for an unknown id or underlying, exit 2 for usage', async () => {
    const { args } = await cliStore();
    const cases: [string[], number, RegExp][] = [
      [['snapshot', 'nope'], 1, /no snapshot nope/],
      [['history', 'NOPE'], 1, /no snapshot of NOPE/],
      [['diff', 'aaaa', 'bbbb'], 1, /no snapshot aaaa/],
      // Fewer than the 4 characters an id is taken by: usage, not "no snapshot".
      [
        ['diff', 'abcd', 'b'],
        2,
        /^gex-desk: `gex-desk diff` takes an id by its first 4 characters/,
      ],
      [['export', 'nope', '--format', 'csv', '--out', '/tmp/x.csv'], 1, /no snapshot nope/],
      [['history'], 2, /UNDERLYING/],
      [['history', 'SPX', '--from', 'yesterday'], 2, /--from/],
      // A day no calendar has is said on the command line too, not by the engine's refusal.
      [
        ['history', 'SPX', '--to', '2024-02-30T10:00'],
        2,
        /^gex-desk: --to "2024-02-30T10:00" is not/,
      ],
      [['history', 'SPX', '--from', '2024-13-45'], 2, /^gex-desk: --from "2024-13-45" is not/],
      [['diff', 'abcd'], 2, /^gex-desk: diff takes ID_A ID_B, not abcd\n/],
      [['snapshot'], 2, /^gex-desk: snapshot takes ID\n/],
      [['levels', 'extra'], 2, /^gex-desk: levels takes no arguments, not extra\n/],
      // A limit out of range is the command's usage, not the engine's refusal (exit 1).
      [['snapshots', '--limit', '0'], 2, /--limit must be a whole number of at least 1, not "0"/],
      [['jobs', '--limit', '1.5'], 2, /--limit must be a whole number of at least 1, not "1.5"/],
      [['audit', '--limit', '0'], 2, /--limit must be a whole number of at least 1/],
      [
        ['export', 'xxxx', '--format', 'xml', '--out', '/tmp/x'],
        2,
        /--format "xml" is not one export writes: csv, parquet, json/,
      ],
      [['export', 'xxxx', '--format', 'csv'], 2, /--out/],
      [['export', 'xxxx', '--out', '-'], 2, /export --out - needs --format csv\|parquet\|json/],
      [
        ['export', 'xxxx', '--format', 'csv', '--out', '-', '--json'],
        2,
        /--json goes with --out FILE/,
      ],
      [
        ['export', 'xxxx', '--out', '/tmp/x.xlsx'],
        2,
        /--format csv\|parquet\|json, or an --out FILE ending in/,
      ],
      [['levels', '--attach', '/nonexistent/folder'], 2, /no such folder/],
    ];
    for (const [argv, code, message] of cases) {
      const r = await runCli([...argv, ...args]);
      expect(r.code, argv.join(' ')).toBe(code);
      expect(r.stderr, argv.join(' ')).toMatch(message);
    }
  });

  it('a version-2 database: old snapshots say what they miss until the same file is ingested again', async () => {
    const old = await workstation(MIGRATIONS.slice(0, 2));
    const file = join(old.dir, 'old.csv');
    writeChain(file, spx(AS_OF.jan, 8));
    await saveAsVersion2(old.store, await pipeline(old, file, 'old-one'));
    await old.store.close();
    const args = ['--db', old.dbPath, '--data-dir', old.dataDir];
    const before = await runCli(['snapshot', 'old-one', '--json', ...args]);
    expect(before.code, before.stderr).toBe(0);
    expect(before.lines[0]).toMatchObject({
      id: 'old-one',
      exposures: null,
      absolute_gamma_strike: null,
      buckets: null,
      note: expect.stringContaining('schema version 3'),
    });
    const history = await runCli(['history', 'SPX', '--json', ...args]);
    expect(history.lines[0]).toMatchObject({
      id: 'old-one',
      dex: null,
      note: expect.stringContaining('ingest the same file again'),
    });
    const again = await runCli(['ingest', file, '--json', ...args]);
    expect(again.lines[0]).toMatchObject({ status: 'duplicate', snapshot: { id: 'old-one' } });
    const after = await runCli(['snapshot', 'old-one', '--json', ...args]);
    const a = after.lines[0] as {
      exposures: Record<string, number>;
      buckets: unknown[];
      note?: string;
    };
    expect(a.note).toBeUndefined();
    expect(Object.keys(a.exposures)).toEqual(['gex', 'dex', 'vex', 'cex']);
    expect(a.buckets.length).toBeGreaterThan(0);
  });

  it("--attach reads another workstation's export folder beside the store, and writes nothing there", async () => {
    const mine = cliHome();
    const theirs = cliHome();
    const a = join(mine.dir, 'a.csv');
    const b = join(theirs.dir, 'b.csv');
    writeChain(a, spx(AS_OF.jan, 1));
    writeChain(b, spx(AS_OF.feb, 2));
    const ia = await runCli(['ingest', a, '--json', ...mine.args]);
    const ib = await runCli(['ingest', b, '--json', ...theirs.args]);
    const folder = join(theirs.dir, 'data');
    const before = tree(folder);
    const history = await runCli(['history', 'SPX', '--attach', folder, '--json', ...mine.args]);
    expect(history.code, history.stderr).toBe(0);
    expect(history.lines.map((l) => [l.id, l.origin])).toEqual([
      [(ia.lines[0]!.snapshot as { id: string }).id, 'local'],
      [(ib.lines[0]!.snapshot as { id: string }).id, folder],
    ]);
    const levels = await runCli(['levels', '--attach', folder, '--json', ...mine.args]);
    expect(levels.lines.map((l) => l.origin)).toEqual([folder]);
    const snap = await runCli([
      'snapshot',
      (ib.lines[0]!.snapshot as { id: string }).id,
      '--attach',
      folder,
      '--json',
      ...mine.args,
    ]);
    expect(snap.lines[0]).toMatchObject({ origin: folder, underlying: 'SPX', as_of: AS_OF.feb });
    // Without the folder, that snapshot is not known here.
    const alone = await runCli(['history', 'SPX', '--json', ...mine.args]);
    expect(alone.lines).toHaveLength(1);
    // The other workstation's logs are in its data folder too: compare everything but them.
    const keep = (t: Record<string, string>) =>
      Object.fromEntries(Object.entries(t).filter(([k]) => !k.startsWith('logs')));
    expect(keep(tree(folder))).toEqual(keep(before));
  });

  it('--attach: a damaged file there is named on stderr, exit 1, after every readable snapshot', async () => {
    const theirs = await workstation();
    const good = await ingestChain(theirs, 'feb', spx(AS_OF.feb, 2));
    const bad = await ingestChain(theirs, 'mar', spx(AS_OF.mar, 3));
    await theirs.store.close();
    const rowFile = exportFilesOf(bad.output.strikesParquet).snapshot;
    writeFileSync(rowFile, readFileSync(rowFile).subarray(0, 100)); // a copy still arriving
    const mine = await cliStore();
    const attach = ['--attach', theirs.dataDir, ...mine.args, '--data-dir', join(mine.dir, 'data')];
    const named = new RegExp(
      `^${rowFile}, in an attached export folder, cannot be read as Parquet \\(copied only in part, or damaged\\): copy it again, or remove it \\(.*\\)$`,
      'm',
    );
    for (const command of [['levels'], ['history', 'SPX']]) {
      const r = await runCli([...command, '--json', ...attach]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.lines.map((l) => l.id)).toEqual([good.id]);
      expect(r.stderr).toMatch(named);
    }
  });

  it('--attach: an underlying only sharing a folder name with one there is exit 1 NOT_FOUND', async () => {
    const theirs = await workstation();
    await ingestTiny(theirs, 'BRK_B');
    await theirs.store.close();
    const mine = await cliStore();
    const attach = ['--attach', theirs.dataDir, ...mine.args, '--data-dir', join(mine.dir, 'data')];
    const unknown = await runCli(['history', 'BRK\\B', '--json', ...attach]);
    expect(unknown.code, unknown.stderr).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/NOT_FOUND: There is no snapshot of BRK\\B/);
    const known = await runCli(['history', 'BRK_B', '--json', ...attach]);
    expect(known.code, known.stderr).toBe(0);
    expect(known.lines.map((l) => l.origin)).toEqual([theirs.dataDir]);
  });

  it('--attach: export csv and snapshot --json read an attached snapshot as the workstation that stored it does, to the digit', async () => {
    // An ordinary CBOE chain of several expiries: its strikes sum their expiries' cells,
    // whose last digits depend on the order of the sum.
    const theirs = await workstation();
    const file = join(theirs.dir, 'spx.csv');
    writeCboeCsv(file, { seed: 11, expiries: 12, strikesPerExpiry: 40 });
    const { id } = await ingestFile(theirs, file);
    await theirs.store.close();
    const mine = await cliStore();
    const desks = {
      owner: ['--db', theirs.dbPath, '--data-dir', theirs.dataDir],
      attaching: ['--attach', theirs.dataDir, ...mine.args, '--data-dir', join(mine.dir, 'data')],
    };
    const read = async (args: string[]) => {
      const csv = await runCli(['export', id, '--format', 'csv', '--out', '-', ...args]);
      const json = await runCli(['snapshot', id, '--json', ...args]);
      expect(csv.code, csv.stderr).toBe(0);
      expect(json.code, json.stderr).toBe(0);
      return { csv: csv.stdout, strikes: json.lines[0]!.strikes, origin: json.lines[0]!.origin };
    };
    const [owner, attaching] = [await read(desks.owner), await read(desks.attaching)];
    expect([owner.origin, attaching.origin]).toEqual(['local', theirs.dataDir]);
    expect(owner.csv.split('\n')).toHaveLength(40 + 2);
    expect(attaching.csv).toBe(owner.csv);
    expect(attaching.strikes).toEqual(owner.strikes);
  });

  it('export csv: an underlying a spreadsheet would run as a formula is written as text', async () => {
    const { dir, args } = cliHome();
    const files = ['=1+1', '@SUM(A1)'].map((u, i) => {
      const f = join(dir, `f${i}.csv`);
      writeTinyChain(f, u);
      return f;
    });
    const ingest = await runCli(['ingest', ...files, '--json', ...args]);
    expect(ingest.code, ingest.stderr).toBe(0);
    for (const [i, cell] of [`'=1+1`, `'@SUM(A1)`].entries()) {
      const id = (ingest.lines[i]!.snapshot as { id: string }).id;
      const out = join(dir, `x${i}.csv`);
      const r = await runCli(['export', id, '--out', out, ...args]);
      expect(r.code, r.stderr).toBe(0);
      const [header, row] = readFileSync(out, 'utf8').trim().split('\n');
      const cells = Object.fromEntries(header!.split(',').map((c, j) => [c, row!.split(',')[j]]));
      expect(cells).toMatchObject({
        snapshot_id: id,
        underlying: cell,
        as_of: '2024-03-15T10:30:00-04:00',
        strike: '400',
      });
      // Numbers stay numbers, negative ones too.
      expect(Number(cells.put_gex)).toBeLessThan(0);
      expect(cells.put_gex).toMatch(/^-\d/);
    }
  });

  it("export never writes over GEX Desk's own files or a DuckDB database: the database, its folders, through a link too", async () => {
    const { dir, db, args } = cliHome();
    const home = join(dir, 'home'); // the per-user folder, its engines/ and run/
    const file = join(dir, 'tiny.csv');
    writeTinyChain(file, 'SPX');
    const ingest = await runCli(['ingest', file, '--json', ...args], { home });
    expect(ingest.code, ingest.stderr).toBe(0);
    const id = (ingest.lines[0]!.snapshot as { id: string }).id;
    const before = readFileSync(db);
    const other = join(dir, 'other.duckdb');
    const opened = await Store.open(other);
    if (!opened.ok) throw new Error(opened.error.message);
    await opened.value.close();
    symlinkSync(db, join(dir, 'looks-harmless.csv'));
    const refusals: [string, RegExp][] = [
      [db, /is GEX Desk's own database: an export is never written there/],
      [join(dir, 'looks-harmless.csv'), /is GEX Desk's own database/],
      [`${db}.wal`, /is GEX Desk's own database's write-ahead log/],
      // The mark other user folders find a running engine by (QA sec2 N2), and any other
      // file named after the database beside it.
      [`${db}.holder.json`, /is GEX Desk's own database's holder mark/],
      [`${db}.tmp`, /is named after GEX Desk's database .*, beside it/],
      // The watched inbox (its default, beside the database): the export was ingested.
      [join(dir, 'inbox', 'meta-export.csv'), /lies in GEX Desk's own watched inbox/],
      [join(dir, 'inbox', 'acme', 'x.csv'), /lies in GEX Desk's own watched inbox/],
      [join(dir, 'data', 'x.csv'), /lies in GEX Desk's own data folder/],
      [join(home, 'engines', 'x.json'), /lies in GEX Desk's own folder of discovery files/],
      [other, /is a DuckDB database: an export is never written over it/],
    ];
    for (const [out, said] of refusals) {
      const r = await runCli(['export', id, '--format', 'csv', '--out', out, ...args], { home });
      expect(r.code, out).toBe(2);
      expect(r.stderr).toMatch(said);
      expect(r.stdout).toBe('');
    }
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(existsSync(`${db}.wal`)).toBe(false);
    expect(existsSync(`${db}.holder.json`)).toBe(false);
    expect(existsSync(join(dir, 'inbox', 'meta-export.csv'))).toBe(false);
    const listed = await runCli(['snapshots', '--json', ...args], { home });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.lines.map((l) => l.id)).toEqual([id]);
    // An ordinary file beside them is written, and written again.
    for (let i = 0; i < 2; i++) {
      const r = await runCli(['export', id, '--out', join(dir, 'spx.csv'), ...args], { home });
      expect(r.code, r.stderr).toBe(0);
    }
  });

  it('export to a long file name: written under a short temporary name; one too long is a clean exit 1', async () => {
    const { dir, args } = cliHome();
    const file = join(dir, 'tiny.csv');
    writeTinyChain(file, 'SPX');
    const ingest = await runCli(['ingest', file, '--json', ...args]);
    const id = (ingest.lines[0]!.snapshot as { id: string }).id;
    const out = join(dir, 'out');
    mkdirSync(out);
    // 253 bytes: a valid name, whose old temporary name (`.<name>.<pid>.tmp`) was not.
    const long = join(out, `${'x'.repeat(249)}.csv`);
    const ok = await runCli(['export', id, '--out', long, '--json', ...args]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.lines[0]).toMatchObject({ id, format: 'csv', out: long, strikes: 1 });
    expect(readFileSync(long, 'utf8')).toMatch(/^snapshot_id,underlying,/);
    expect(readdirSync(out)).toEqual([`${'x'.repeat(249)}.csv`]);
    // 256 bytes: more than the file system takes.
    const tooLong = join(out, `${'y'.repeat(252)}.csv`);
    const refused = await runCli(['export', id, '--out', tooLong, ...args]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      `gex-desk: cannot write ${tooLong}: its name is 256 bytes long, and file systems take 255 at most; give a shorter one\n`,
    );
    expect(readdirSync(out)).toEqual([`${'x'.repeat(249)}.csv`]); // nothing left behind
  });
});
