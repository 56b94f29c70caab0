// `gex-desk ingest` and `gex-desk snapshots` as CONTRACTS.md describes them, run as a
// real command on real files: figures, idempotency, and one clear error per bad input
// without stopping the other files of the same command.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import {
  writeBadFiles,
  writeCboeCsv,
  writeCboeJson,
  writeUndatedJson,
} from '../fixtures/option-chains.ts';
import { runSampleTests, SPX_SAMPLE, META_SAMPLE } from '../pipeline/helpers.ts';
import { BIN, cliHome, runCli } from './run-cli.ts';

/** One request's audit trail, as `gex-desk audit --request ID --json` prints it. */
const auditOf = (line: Record<string, unknown>, args: string[]) =>
  runCli(['audit', '--request', String(line.request_id), '--json', ...args]);

/**
 * The `gex-desk jobs` table: the file's two rows (two ingests) say "not decided", no level;
 * its `--json` lines, null levels, rule and decision time.
 */
async function expectUndecidedRows(name: string, args: string[]): Promise<void> {
  const jobs = await runCli(['jobs', ...args]);
  const rows = jobs.stdout.split('\n').filter((l) => l.includes(name));
  expect(rows).toHaveLength(2);
  for (const row of rows) expect(row).toMatch(/failed\s+not decided\s+—\s/);
  const json = (await runCli(['jobs', '--json', ...args])).lines.filter((l) =>
    String(l.file).endsWith(name),
  );
  expect(json).toHaveLength(2);
  for (const line of json)
    expect(line).toMatchObject({
      status: 'failed',
      priority: null,
      effective_priority: null,
      rule: null,
      decided_at: null,
    });
}

describe('gex-desk ingest', () => {
  it.runIf(runSampleTests)(
    'reports the SPX sample figures and the META sample in submission order',
    async () => {
      const { args } = cliHome();
      const r = await runCli(['ingest', SPX_SAMPLE, META_SAMPLE, '--json', ...args]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.lines).toHaveLength(2);
      type Snap = {
        underlying: string;
        as_of: string;
        spot: number;
        total_gex: number;
        zero_gamma: number;
        call_wall: number;
        put_wall: number;
        parquet: string;
        quality: { rows_total: number; rows_used: number; dropped: { rows: number }[] };
      };
      const [spx, meta] = r.lines as [
        Record<string, unknown> & { snapshot: Snap },
        Record<string, unknown> & { snapshot: Snap },
      ];
      expect(spx.file).toBe(SPX_SAMPLE);
      expect(spx.status).toBe('completed');
      expect(spx).toHaveProperty('request_id');
      expect(spx).toHaveProperty('priority');
      expect(spx).toHaveProperty('rule');
      expect(typeof spx.latency_ms).toBe('number');
      const s = spx.snapshot;
      expect(s.underlying).toBe('SPX');
      expect(s.as_of).toBe('2024-01-07T10:52:00-05:00');
      // The file's spot, and the figures the public reference tool published for it
      // (independent; the engine's own figures to the dollar are pinned in samples.test.ts).
      expect(s.spot).toBeCloseTo(4697.2402, 4);
      expect(Math.abs(s.total_gex / 1e9 - -11.0)).toBeLessThan(0.005);
      expect(Math.abs(s.zero_gamma - 4734.5)).toBeLessThan(1);
      expect(s.call_wall).toBe(4800);
      expect(s.put_wall).toBe(4600);
      expect(s.parquet).toMatch(/underlying=SPX[/\\]date=2024-01-07[/\\].+\.parquet$/);
      expect(meta.status).toBe('completed');
      expect(meta.snapshot.spot).toBe(749.75);
      expect(meta.snapshot.quality.rows_total).toBe(5678);
      const dropped = meta.snapshot.quality.dropped.reduce((n, d) => n + d.rows, 0);
      expect(meta.snapshot.quality.rows_used + dropped).toBe(5678);
    },
  );

  it('ingests the same content once: the second time is a duplicate of the same snapshot', async () => {
    const { dir, args, db } = cliHome();
    const a = join(dir, 'a.csv');
    writeCboeCsv(a, { seed: 11, underlying: 'SPX', expiries: 4, strikesPerExpiry: 40 });
    const copy = join(dir, 'copy-of-a.csv');
    copyFileSync(a, copy);
    const first = await runCli(['ingest', a, '--json', ...args]);
    expect(first.code).toBe(0);
    const second = await runCli(['ingest', copy, a, '--json', ...args]);
    expect(second.code).toBe(0);
    const id = (first.lines[0]!.snapshot as { id: string }).id;
    for (const line of second.lines) {
      expect(line.status).toBe('duplicate');
      expect((line.snapshot as { id: string }).id).toBe(id);
    }
    const listed = await runCli(['snapshots', '--json', ...args]);
    expect(listed.code).toBe(0);
    expect(listed.lines).toHaveLength(1);
    expect(listed.lines[0]).toMatchObject({ id, request_id: first.lines[0]!.request_id });
    const instance = await DuckDBInstance.create(db);
    const conn = await instance.connect();
    const n = (
      await conn.runAndReadAll('SELECT count(*)::INT AS n FROM gex_snapshots')
    ).getRowObjectsJS();
    expect(n).toEqual([{ n: 1 }]);
    conn.closeSync();
    instance.closeSync();
  });

  it('expands a file pattern given as written (as Windows shells pass it), and names one that matches nothing', async () => {
    const { dir, args } = cliHome();
    mkdirSync(join(dir, 'chains', 'older.csv'), { recursive: true }); // a folder: not a file
    writeCboeCsv(join(dir, 'chains', 'b.csv'), { seed: 21, underlying: 'SPX', expiries: 2 });
    writeCboeCsv(join(dir, 'chains', 'a.csv'), { seed: 22, underlying: 'NDX', expiries: 2 });
    writeFileSync(join(dir, 'chains', 'notes.txt'), 'not a chain');
    // A child process gets its arguments unexpanded, as cmd.exe and PowerShell pass them.
    const r = await runCli([
      'ingest',
      join(dir, 'chains', '*.csv'),
      join(dir, 'none', '*.csv'),
      '--json',
      ...args,
    ]);
    expect(r.code).toBe(1);
    expect(r.lines.map((l) => [l.file, l.status])).toEqual([
      [join(dir, 'chains', 'a.csv'), 'completed'],
      [join(dir, 'chains', 'b.csv'), 'completed'],
      [join(dir, 'none', '*.csv'), 'rejected'],
    ]);
    expect(r.lines[2]!.error).toMatchObject({
      code: 'FILE_NOT_FOUND',
      message: `no file matches the pattern ${join(dir, 'none', '*.csv')}`,
    });
  });

  it('gives each bad input a clear error and exit code 1, and still ingests the good file', async () => {
    const { dir, args } = cliHome();
    const bad = writeBadFiles(join(dir, 'bad'));
    const good = join(dir, 'good.json');
    writeCboeJson(good, {
      seed: 5,
      underlying: 'META',
      spot: 749.75,
      expiries: 3,
      strikesPerExpiry: 20,
    });
    const cases = [
      'empty',
      'truncated',
      'noRows',
      'badValue',
      'binary',
      'badShape',
      'directory',
      'missing',
    ] as const;
    const files = [...cases.map((c) => bad[c]!.path), good];
    // Read by the facts read that decides the level, or — with a manual level, decided at
    // arrival — first by the run: either way the error names the analyst's file, never
    // the staged copy it was read from.
    for (const manual of [[], ['--priority', 'LOW', '--justification', 'replay']]) {
      const r = await runCli(['ingest', ...files, '--json', ...manual, ...args]);
      expect(r.code).toBe(1);
      expect(r.lines.map((l) => l.file)).toEqual(files);
      cases.forEach((c, i) => {
        const line = r.lines[i] as {
          status: string;
          error: { code: string; message: string; line?: number; file?: string };
        };
        const at = `${c}${manual.length ? ' (manual level)' : ''}`;
        expect(line.status, at).toBe('failed');
        expect(line.error.code, at).toBe(bad[c]!.code);
        expect(line.error.message, at).toContain(files[i]);
        expect(line.error.message, at).not.toContain('staging');
        if (line.error.file !== undefined) expect(line.error.file, at).toBe(files[i]);
        if (bad[c]!.line) expect(line.error.line, at).toBe(bad[c]!.line);
      });
      expect(r.lines.at(-1)).toMatchObject({
        status: manual.length ? 'duplicate' : 'completed',
        snapshot: { underlying: 'META', spot: 749.75 },
      });
    }
    // For people, after the last file's lines: how the requests ended, in one line.
    const human = await runCli(['ingest', ...files, ...args]);
    expect(human.code).toBe(1);
    expect(human.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^9 requests: 8 failed, 1 duplicate; \d+\.\d s$/,
    );
    // `jobs` says why each failed, at its line where one is known.
    const failed = (await runCli(['jobs', '--status', 'failed', ...args])).stdout.split('\n');
    expect(failed[0]).toMatch(/ id +error$/);
    for (const c of cases) {
      const row = failed.find((l) => l.includes(`${bad[c]!.path} `));
      const line = bad[c]!.line ? ` \\(line ${bad[c]!.line}\\)` : '( \\(line \\d+\\))?';
      expect(row, c).toMatch(new RegExp(` ${bad[c]!.code}${line}$`));
    }
  });

  it('says a request refused at its facts read was never given a level', async () => {
    const { dir, args } = cliHome();
    const file = join(dir, 'no-timestamp.json');
    writeUndatedJson(file);
    const r = await runCli(['ingest', file, ...args]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`✗ ${file}  failed  level not decided\n`);
    expect(r.stdout).toContain('BAD_SHAPE');
    const json = await runCli(['ingest', file, '--json', ...args]);
    // Its JSON says so too: no level and no rule (not the upper bound it waited at).
    expect(json.lines[0]).toMatchObject({ status: 'failed', priority: null, rule: null });
    // The entry of its end records no level; the one of its arrival, the bound it waited at.
    const trail = await auditOf(json.lines[0]!, args);
    expect(trail.lines.at(-1)).toMatchObject({ kind: 'failed', priority: null });
    expect(trail.lines[0]).toMatchObject({ kind: 'arrival', priority: expect.any(String) });
    await expectUndecidedRows('no-timestamp.json', args);
  });

  it("keeps a failed file's bytes for a retry while another database's engine starts on the same data folder", async () => {
    // Two databases in one folder share its data folder (data/) by default.
    const { dir } = cliHome();
    const a = ['--db', join(dir, 'a.duckdb')];
    const b = ['--db', join(dir, 'b.duckdb')];
    const bad = writeBadFiles(dir).badValue!;
    const first = await runCli(['ingest', bad.path, '--json', ...a]);
    expect(first.lines[0]).toMatchObject({ status: 'failed', error: { code: 'BAD_VALUE' } });
    const other = await runCli(['queue', '--drain', ...b]);
    expect(other.code, other.stderr).toBe(0);
    // Its kept bytes are still there to retry on, and a new submission reads the file again.
    const retry = await runCli([
      'jobs',
      'retry',
      String(first.lines[0]!.job_id),
      '--force',
      '--json',
      ...a,
    ]);
    expect(retry.lines[0]).toMatchObject({
      status: 'failed',
      error: { code: 'BAD_VALUE', line: bad.line },
    });
    const again = await runCli(['ingest', bad.path, '--json', ...a]);
    expect(again.lines[0]).toMatchObject({
      status: 'failed',
      error: { code: 'BAD_VALUE', line: bad.line },
    });
  });

  it('says a file that could not be read at arrival was never given a level', async () => {
    const { dir, args } = cliHome();
    const file = join(dir, 'gone.csv');
    const r = await runCli(['ingest', file, ...args]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`✗ ${file}  failed  level not decided\n`);
    expect(r.stdout).toContain('FILE_NOT_FOUND');
    // Its JSON says so too: no level and no rule (not the stored LOW; `unreadable` is no
    // rule of the rule set), as for a rejected request.
    const json = await runCli(['ingest', file, '--json', ...args]);
    expect(json.lines[0]).toMatchObject({ status: 'failed', priority: null, rule: null });
    // Its audit entries record no level either.
    const trail = await auditOf(json.lines[0]!, args);
    expect(trail.lines).toEqual([
      expect.objectContaining({ kind: 'arrival', rule: 'unreadable', priority: null }),
      expect.objectContaining({ kind: 'failed', rule: 'unreadable', priority: null }),
    ]);
    await expectUndecidedRows('gone.csv', args);
  });

  it('refuses --workers 0 or 65, a manifest it cannot read and standard input twice as usage errors (exit 2) that say why', async () => {
    const { dir, args } = cliHome();
    const f = join(dir, 'f.csv');
    writeCboeCsv(f, { seed: 5, expiries: 2, strikesPerExpiry: 6 });
    const cases: [string[], RegExp][] = [
      [['ingest', f, '--workers', '0'], /--workers must be a whole number from 1 to 64, not "0"/],
      [['ingest', f, '--workers', '65'], /--workers must be a whole number from 1 to 64, not "65"/],
      [['queue', '--drain', '--workers', '100'], /--workers must be a whole number from 1 to 64/],
      [
        ['ingest', '--manifest', join(dir, 'missing.jsonl')],
        new RegExp(`cannot read the manifest: ${join(dir, 'missing.jsonl')} does not exist`),
      ],
      [['ingest', '--manifest', dir], /cannot read the manifest: .* is a folder, not a file\n/],
      [['ingest', '-', '-'], /ingest reads standard input \("-"\) once/],
      [['ingest', '-', '--manifest', '-'], /a chain piped in, or the manifest, not both/],
      [['ingest', f, '--source', ' '], /--source needs a name that is not blank/],
      [
        ['ingest', f, '--priority', 'HIGH', '--justification', '\u200b'],
        /--priority needs a --justification that is not blank/,
      ],
      [
        // A Hangul filler is drawn as nothing: no more a justification (G1) than a space.
        ['ingest', f, '--priority', 'CRITICAL', '--justification', '\u3164'],
        /--priority needs a --justification that is not blank/,
      ],
      [
        // U+202E would show the audit trail's "By" as "aliceadmin".
        ['ingest', f, '--author', 'alice\u202enimda'],
        /--author "alice\\u202enimda": an author's name may not hold \\u202e: control, format and invisible filler characters/,
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli([...argv, ...args]);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toMatch(message);
    }
  });

  it('ingests a chain piped in (-), named "-" in its lines, and leaves no file of it behind', async () => {
    const { dir, args } = cliHome();
    const f = join(dir, 'piped.csv');
    writeCboeCsv(f, { seed: 7, expiries: 2, strikesPerExpiry: 6 });
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const env = { TMPDIR: tmp };
    const piped = await runCli(['ingest', '-', '--json', ...args], {
      input: readFileSync(f, 'utf8'),
      env,
    });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.lines[0]).toMatchObject({ file: '-', status: 'completed' });
    expect(readdirSync(tmp)).toEqual([]);
    // The same bytes from the file itself are its duplicate: the content was captured whole.
    const again = await runCli(['ingest', f, '--json', ...args]);
    expect(again.lines[0]).toMatchObject({ status: 'duplicate' });
    const empty = await runCli(['ingest', '-', ...args], { input: '', env });
    expect(empty.code).toBe(1);
    expect(empty.stdout).toContain('EMPTY_FILE: the chain piped in is empty\n');
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('keeps no more of a chain piped in than a file may hold: FILE_TOO_LARGE one byte past the limit', async () => {
    const { dir, args } = cliHome();
    const f = join(dir, 'piped.csv');
    writeCboeCsv(f, { seed: 8, expiries: 2, strikesPerExpiry: 6 });
    const text = readFileSync(f, 'utf8');
    const size = Buffer.byteLength(text);
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const withLimit = (maxFileBytes: number) => {
      const home = join(dir, `home-${maxFileBytes}`);
      mkdirSync(home);
      writeFileSync(join(home, 'config.json'), JSON.stringify({ limits: { maxFileBytes } }));
      return home;
    };
    // Exactly the limit is a file like any other.
    const at = await runCli(['ingest', '-', '--json', ...args], {
      input: text,
      env: { TMPDIR: tmp },
      home: withLimit(size),
    });
    expect(at.code, at.stderr).toBe(0);
    expect(at.lines[0]).toMatchObject({ file: '-', status: 'completed' });
    // One byte more is refused by the command itself: never submitted, nothing kept.
    const past = await runCli(['ingest', '-', '--json', ...args], {
      input: text,
      env: { TMPDIR: tmp },
      home: withLimit(size - 1),
    });
    expect(past.code, past.stderr).toBe(1);
    expect(past.stderr).toBe('');
    expect(past.lines).toEqual([
      {
        file: '-',
        request_id: null,
        status: 'rejected',
        priority: null,
        rule: null,
        latency_ms: null,
        error: {
          code: 'FILE_TOO_LARGE',
          message: `the chain piped in is larger than the limit of ${((size - 1) / 1024).toFixed(1)} KiB (setting limits.maxFileBytes): it was read no further, and nothing of it was kept`,
        },
      },
    ]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('refuses an endless pipe at the limit, at once, instead of copying it all', async () => {
    const { dir, args } = cliHome();
    const home = join(dir, 'home');
    mkdirSync(home);
    const limit = 4 * 1024 * 1024;
    writeFileSync(join(home, 'config.json'), JSON.stringify({ limits: { maxFileBytes: limit } }));
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const child = spawn(process.execPath, [BIN, 'ingest', '-', '--json', ...args], {
      env: { ...process.env, GEX_DESK_HOME: home, GEX_DESK_WORKERS: '1', TMPDIR: tmp },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Writes for ever (1 MiB at a time, as fast as it is taken) until the command stops reading.
    const block = Buffer.alloc(1024 * 1024, 0x41);
    let sent = 0;
    let stopped = false;
    child.stdin.on('error', () => (stopped = true)); // EPIPE: the reader has gone
    const pump = () => {
      while (!stopped && child.stdin.writable) {
        sent += block.length;
        if (!child.stdin.write(block)) return void child.stdin.once('drain', pump);
      }
    };
    pump();
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        // What it copied (gigabytes, when it does not stop) goes with the test.
        rmSync(tmp, { recursive: true, force: true });
        reject(new Error(`still reading after ${sent} bytes`));
      }, 20_000);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    stopped = true;
    expect(code, stderr).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      file: '-',
      status: 'rejected',
      request_id: null,
      error: { code: 'FILE_TOO_LARGE' },
    });
    // Read up to the limit and a pipe's buffers past it, not on and on.
    expect(sent).toBeLessThan(limit + 8 * 1024 * 1024);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it(
    'says on an interrupt what it leaves: the requests still queued, and the files not submitted',
    { timeout: 120_000 },
    async () => {
      const { dir, db, args } = cliHome();
      const home = join(dir, 'home');
      const files = [0, 1, 2, 3, 4].map((i) => {
        const f = join(dir, `c${i}.csv`);
        writeCboeCsv(f, { seed: 31 + i, expiries: 2, strikesPerExpiry: 6 });
        return f;
      });
      // Two now, three a minute later: the interrupt comes before those are submitted.
      const manifest = join(dir, 'replay.jsonl');
      writeFileSync(
        manifest,
        files.map((file, i) => JSON.stringify({ file, at_ms: i < 2 ? 0 : 60_000 })).join('\n'),
      );
      const child = spawn(process.execPath, [BIN, 'ingest', '--manifest', manifest, ...args], {
        env: { ...process.env, GEX_DESK_HOME: home },
      });
      let stdout = '';
      let stderr = '';
      let sent = false;
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        // Once: a second interrupt kills at once, as it does in a terminal.
        if (stdout.includes('✓ ') && !sent) sent = child.kill('SIGINT');
      });
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect(code, stderr).toBe(130);
      expect(stderr).toMatch(/^gex-desk: interrupted\. /);
      expect(stderr).toContain('3 files were not submitted.');
      // What it says of the requests it submitted is what the database holds.
      const said =
        /(\d+) requests? submitted had not ended: they stay queued, nothing is lost/.exec(stderr);
      const jobs = await runCli(['jobs', '--json', '--db', db], { home });
      expect(jobs.lines).toHaveLength(2);
      const open = jobs.lines.filter((j) => j.status === 'queued' || j.status === 'deciding');
      expect(open.length).toBe(said ? Number(said[1]) : 0);
    },
  );

  it(
    'prints on an interrupt the lines of the requests that had ended, behind one still waiting',
    { timeout: 120_000 },
    async () => {
      const { dir, db, args } = cliHome();
      const home = join(dir, 'home');
      // A chain that keeps the one worker busy for a second or more; one that waits behind
      // it; and one already ingested, which ends at its submission (a duplicate).
      const busy = join(dir, 'busy.csv');
      writeCboeCsv(busy, { seed: 41, expiries: 100, strikesPerExpiry: 800 });
      const [waits, done] = ['waits.csv', 'done.csv'].map((name, i) => {
        const f = join(dir, name);
        writeCboeCsv(f, { seed: 42 + i, expiries: 2, strikesPerExpiry: 6 });
        return f;
      });
      const first = await runCli(['ingest', done!, '--json', ...args], { home });
      expect(first.lines[0]).toMatchObject({ status: 'completed' });
      const manifest = join(dir, 'replay.jsonl');
      writeFileSync(
        manifest,
        [
          // HIGH: it runs first, whichever of them the engine is given first.
          { file: busy, requested_priority: 'HIGH', justification: 'desk', at_ms: 0 },
          { file: waits, at_ms: 100 },
          { file: done, at_ms: 100 },
        ]
          .map((l) => JSON.stringify(l))
          .join('\n'),
      );
      const child = spawn(
        process.execPath,
        [BIN, 'ingest', '--manifest', manifest, '--json', ...args],
        { env: { ...process.env, GEX_DESK_HOME: home, GEX_DESK_WORKERS: '1' } },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const closed = new Promise<number | null>((r) => child.on('close', r));
      // Interrupted once the duplicate has been answered (the engine's log says so).
      const log = join(dir, 'data', 'logs', 'gex-desk.log');
      const accepted = () => {
        try {
          return readFileSync(log, 'utf8').match(/"event":"request\.accepted"/g)?.length ?? 0;
        } catch {
          return 0;
        }
      };
      await expect.poll(accepted, { timeout: 60_000, interval: 20 }).toBe(4);
      child.kill('SIGINT');
      expect(await closed, stderr).toBe(130);
      // The duplicate had ended behind the file still waiting, which has no line (stderr
      // counts it). The busy chain runs on as the engine shuts down: it has its line when it
      // ended by then, else none (never one saying it failed) and stderr counts it too.
      const lines = stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const busyEnded = lines.some((l) => l.file === busy);
      expect(lines.map((l) => [l.file, l.status])).toEqual([
        ...(busyEnded ? [[busy, 'completed']] : []),
        [done, 'duplicate'],
      ]);
      expect(stderr).toContain(
        busyEnded
          ? '1 request submitted had not ended: they stay queued'
          : '2 requests submitted had not ended: they stay queued',
      );
      const jobs = await runCli(['jobs', '--json', '--db', db], { home });
      expect(jobs.lines.find((j) => j.file === waits)).toMatchObject({ status: 'queued' });
    },
  );

  it('takes a manual priority with its justification, and refuses one without (exit 2)', async () => {
    const { dir, args } = cliHome();
    const f = join(dir, 'f.csv');
    writeCboeCsv(f, { seed: 3, expiries: 2, strikesPerExpiry: 10 });
    const refused = await runCli(['ingest', f, '--priority', 'HIGH', ...args]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/justification/);
    const r = await runCli([
      'ingest',
      f,
      '--priority',
      'critical',
      '--justification',
      'FOMC',
      '--json',
      ...args,
    ]);
    expect(r.code).toBe(0);
    expect(r.lines[0]).toMatchObject({ status: 'completed', priority: 'CRITICAL', rule: 'G1' });
  });

  it('replays a manifest: relative paths, at_ms order, and a bad line rejected with its line number', async () => {
    const { dir, args } = cliHome();
    writeCboeCsv(join(dir, 'one.csv'), { seed: 21, expiries: 2, strikesPerExpiry: 10 });
    writeCboeCsv(join(dir, 'two.csv'), { seed: 22, expiries: 2, strikesPerExpiry: 10 });
    const manifest = join(dir, 'arrivals.jsonl');
    // As Notepad saves it: a BOM, CRLF; the level in lower case, as --priority takes it.
    writeFileSync(
      manifest,
      '\uFEFF' +
        [
          // A source name with spaces around it is that source; a blank one is refused.
          JSON.stringify({ file: 'two.csv', source: ' vendor-a ', at_ms: 300 }),
          JSON.stringify({
            file: 'one.csv',
            source: 'vendor-a',
            requested_priority: 'high',
            justification: 'desk asked',
            at_ms: 0,
          }),
          '{not json',
          JSON.stringify({ fiel: 'one.csv', at_ms: 0 }),
          JSON.stringify({ file: 'one.csv', source: '  ', at_ms: 0 }),
          JSON.stringify({ file: 'one.csv', requested_priority: 'HIGH', justification: ' ' }),
        ].join('\r\n'),
    );
    const r = await runCli(['ingest', '--manifest', manifest, '--json', ...args]);
    expect(r.code).toBe(1);
    // A bad line that names its file is reported as that file's (as a script matches
    // lines); one that names none, as the manifest's.
    expect(r.lines.map((l) => [l.file, l.status])).toEqual([
      [join(dir, 'one.csv'), 'completed'],
      [manifest, 'rejected'],
      [manifest, 'rejected'],
      [join(dir, 'one.csv'), 'rejected'],
      [join(dir, 'one.csv'), 'rejected'],
      [join(dir, 'two.csv'), 'completed'],
    ]);
    // A level without a justification is said at its line, as the other bad lines are.
    expect(r.lines[4]!.error).toMatchObject({
      code: 'VALIDATION',
      field: 'justification',
      line: 6,
      file: manifest,
      message: `manifest ${manifest} line 6: justification: a manual priority (requested_priority) needs a justification that is not blank`,
    });
    expect(r.lines[3]!.error).toMatchObject({
      code: 'VALIDATION',
      line: 5,
      file: manifest,
      message: `manifest ${manifest} line 5: source: a source needs a name that is not blank`,
    });
    const sources = await runCli(['sources', '--json', ...args]);
    expect(sources.lines.map((l) => [l.id, l.completed])).toEqual([['vendor-a', 2]]);
    // A source's jobs, as the Sources view opens them in the Queue.
    const ofVendor = await runCli(['jobs', '--source', ' vendor-a ', '--json', ...args]);
    expect(ofVendor.lines.map((l) => String(l.file).split(/[/\\]/).pop()).sort()).toEqual([
      'one.csv',
      'two.csv',
    ]);
    expect((await runCli(['jobs', '--source', 'cli', '--json', ...args])).lines).toEqual([]);
    expect(r.lines[0]).toMatchObject({ priority: 'HIGH', rule: 'G1' });
    expect(r.lines[1]!.error).toMatchObject({ code: 'VALIDATION', line: 3 });
    // A misspelt field: which one is missing, the name the line has, and the names it takes.
    expect(r.lines[2]!.error).toMatchObject({
      code: 'VALIDATION',
      line: 4,
      message: `manifest ${manifest} line 4: file: it is missing; this line has "fiel", a line takes file, source, requested_priority, justification, author, at_ms`,
    });
  });
  it('reads a manifest piped in (--manifest -), its relative paths from the current folder', async () => {
    const { dir, args } = cliHome();
    mkdirSync(join(dir, 'chains'));
    writeCboeCsv(join(dir, 'chains', 'a.csv'), { seed: 23, expiries: 2, strikesPerExpiry: 8 });
    writeCboeCsv(join(dir, 'chains', 'b.csv'), { seed: 24, expiries: 2, strikesPerExpiry: 8 });
    const lines = [
      JSON.stringify({ file: 'chains/b.csv', at_ms: 150 }),
      JSON.stringify({ file: 'chains/a.csv', source: 'vendor-p', at_ms: 0 }),
      '{not json',
    ].join('\n');
    const r = await runCli(['ingest', '--manifest', '-', '--json', ...args], {
      input: lines,
      cwd: dir,
    });
    expect(r.code).toBe(1);
    // The line that is not JSON is at the at_ms of the line before it (a.csv's).
    expect(r.lines.map((l) => [l.file, l.status])).toEqual([
      [join(dir, 'chains', 'a.csv'), 'completed'],
      ['-', 'rejected'],
      [join(dir, 'chains', 'b.csv'), 'completed'],
    ]);
    expect(r.lines[1]!.error).toMatchObject({ code: 'VALIDATION', line: 3 });
    expect(String(r.lines[1]!.error && (r.lines[1]!.error as { message: string }).message)).toMatch(
      /^manifest \(piped in\) line 3 is not JSON/,
    );
  });
});
