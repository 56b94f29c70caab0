// The command line beside a running engine (CONTRACTS.md), with real processes: a real
// `gex-desk serve` holds the database while `ingest` of three chains and of a manifest
// (at_ms), `jobs --json`, `rules whatif`, `queue --drain`, `sources` and `audit` run through it and answer
// exactly as they do with no engine running (compared field by field, ids and times
// aside); after `kill -9` of serve its discovery file is recognised as stale and the
// command opens the database itself; an `ingest` whose serve goes away (SIGTERM, kill -9)
// while its requests run waits for them in an engine of its own; a command with a user
// folder of its own finds serve by the mark beside the database; an `ingest` or `jobs
// retry` beside a paused queue says so on stderr, and when it is resumed; a database held
// by something that does not answer gives exit 3, at once, with a message that says so.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRulesText } from '../../electron/engine/rules/index.ts';
import { buildRenderer } from '../../electron/host/renderer-build.ts';
import { openApi } from '../../electron/host/cli/api.ts';
import { findEngine } from '../../electron/host/cli/find-engine.ts';
import { discoveryFile } from '../../electron/host/local/discovery.ts';
import { lastServePort } from '../../electron/host/local/serve-port.ts';
import { writeBadFiles, writeCboeCsv } from '../fixtures/option-chains.ts';
import { repoRoot } from '../pipeline/helpers.ts';
import { BIN, runCli, type CliRun } from '../cli/run-cli.ts';
import { dbIsFree, holdDb } from '../desktop/db-lock.ts';

const inputs = mkdtempSync(join(tmpdir(), 'gex-beside-'));
const chains = ['SPX', 'NDX', 'QQQ'].map((u, i) => {
  const f = join(inputs, `${u.toLowerCase()}.csv`);
  writeCboeCsv(f, { seed: 40 + i, underlying: u, expiries: 3, strikesPerExpiry: 20 });
  return f;
});
// A recorded arrival pattern: the second line 300 ms after the first.
const manifest = join(inputs, 'arrivals.jsonl');
['IWM', 'DIA'].forEach((u, i) =>
  writeCboeCsv(join(inputs, `m-${u}.csv`), {
    seed: 50 + i,
    underlying: u,
    expiries: 2,
    strikesPerExpiry: 10,
  }),
);
writeFileSync(
  manifest,
  [
    JSON.stringify({ file: 'm-IWM.csv', source: 'vendor-m', at_ms: 0 }),
    JSON.stringify({
      file: 'm-DIA.csv',
      source: 'vendor-m',
      requested_priority: 'HIGH',
      justification: 'desk asked',
      at_ms: 300,
    }),
  ].join('\n'),
);
const FACTS = [
  {
    id: 'a',
    underlying: 'SPX',
    as_of: '2024-01-08T14:59:58Z',
    now: '2024-01-08T15:00:00Z',
    total_volume: 80000,
    total_open_interest: 300000,
    gex_change: 0.25,
  },
  {
    id: 'b',
    underlying: 'SPX',
    as_of: '2024-01-08T14:59:58Z',
    now: '2024-01-08T15:00:00Z',
    total_volume: -1,
    total_open_interest: 1,
    gex_change: null,
  },
]
  .map((f) => JSON.stringify(f))
  .join('\n');
const edited = join(inputs, 'stale-medium.json');
writeFileSync(
  edited,
  defaultRulesText().replace(
    /("freshness":\s*\{\s*"==":\s*"stale"\s*\}\s*\},\s*"level":\s*)"LOW"/,
    '$1"MEDIUM"',
  ),
);

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** A place of its own: per-user folder and database. */
function place(): { home: string; db: string; args: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'gex-place-'));
  const db = join(dir, 'gex.duckdb');
  return { home: join(dir, 'home'), db, args: ['--db', db] };
}

/** The port each serve printed. */
const servedOn = new WeakMap<ChildProcess, number>();

/** `gex-desk serve` on the place's database; resolves once its address (and so its endpoint) is up. */
async function startServe(
  p: { home: string; args: string[] },
  onStderr?: (text: string) => void,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', ...p.args], {
    cwd: repoRoot,
    env: { ...process.env, GEX_DESK_HOME: p.home, GEX_DESK_WORKERS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  if (onStderr) child.stderr!.on('data', (d: Buffer) => onStderr(d.toString()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const port = /GEX Desk at http:\/\/127\.0\.0\.1:(\d+)\//.exec(out)?.[1];
      if (!port) return;
      servedOn.set(child, Number(port));
      resolve();
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return child;
}

/** `serve` on the place's database, and its API reached the way a command reaches it. */
async function serveWithApi(p: { home: string; db: string; args: string[] }) {
  const serve = await startServe(p);
  const found = await findEngine(p.home, p.db, 5000);
  if (found.state !== 'live') throw new Error(`serve is ${found.state}`);
  return { serve, api: found.client };
}

const exited = (c: ChildProcess) =>
  new Promise<void>((resolve) =>
    c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve()),
  );

/** `work` beside a running serve and its API, then both closed, whatever `work` did. */
async function besideServe(
  p: { home: string; db: string; args: string[] },
  work: (api: Awaited<ReturnType<typeof serveWithApi>>['api']) => Promise<void>,
): Promise<void> {
  const { serve, api } = await serveWithApi(p);
  try {
    await work(api);
  } finally {
    await api.close();
    serve.kill('SIGTERM');
    await exited(serve);
  }
}

/** Another workstation's export folder, attached by the analytics commands (--attach). */
const theirs = place();
const theirFolder = join(theirs.db, '..', 'data');
const theirChain = join(inputs, 'xlf.csv');
writeCboeCsv(theirChain, { seed: 60, underlying: 'XLF', expiries: 2, strikesPerExpiry: 8 });

/** The commands whose answers must not depend on whether serve holds the database. */
async function session(p: { home: string; args: string[] }): Promise<Record<string, CliRun>> {
  const run = (args: string[], input?: string) =>
    runCli([...args, ...p.args], { home: p.home, input });
  return {
    ingest: await run(['ingest', ...chains, '--json']),
    manifest: await run(['ingest', '--manifest', manifest, '--json']),
    jobs: await run(['jobs', '--json']),
    snapshots: await run(['snapshots', '--json']),
    whatif: await run(['rules', 'whatif', edited, '--json']),
    eval: await run(['rules', 'eval'], FACTS),
    show: await run(['rules', 'show', '--json']),
    history: await run(['rules', 'history', '--json']),
    drain: await run(['queue', '--drain', '--json']),
    sources: await run(['sources', '--json']),
    levels: await run(['levels', '--attach', theirFolder, '--json']),
    attached: await run(['history', 'XLF', '--attach', theirFolder, '--json']),
  };
}

const TIMES = new Set([
  'latency_ms',
  'submitted_at',
  'decided_at',
  'started_at',
  'finished_at',
  'run_ended_at',
  'created_at',
  'last_ingest_at',
  'latency_p50_ms',
  'latency_p90_ms',
  'latency_p99_ms',
  'throughput_per_min',
  'age_s',
]);
const IDS = new Set(['id', 'request_id', 'job_id', 'snapshot_id']);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** A line without what differs from run to run: ids (also in file names), times, and the folders of each place. */
function comparable(value: unknown, placeDir: string): unknown {
  if (Array.isArray(value)) return value.map((v) => comparable(v, placeDir));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !TIMES.has(k) && !IDS.has(k))
        .map(([k, v]) => [k, comparable(v, placeDir)]),
    );
  if (typeof value === 'string') return value.split(placeDir).join('<place>').replace(UUID, '<id>');
  return value;
}
/** Lines of work that ran side by side (their order is the engine's): by their file (a snapshot: its content). */
const fileOf = (l: Record<string, unknown>) => String(l.file ?? l.content_hash);
const byFile = (lines: Record<string, unknown>[]) =>
  [...lines].sort((a, b) => fileOf(a).localeCompare(fileOf(b)));

let alone: { p: ReturnType<typeof place>; runs: Record<string, CliRun> };

beforeAll(async () => {
  // serve builds the UI when it is older than its sources; not inside a test's timing.
  await buildRenderer();
  const their = await runCli(['ingest', theirChain, ...theirs.args], { home: theirs.home });
  if (their.code !== 0) throw new Error(their.stderr);
  const p = place();
  alone = { p, runs: await session(p) };
}, 300_000);

describe('the command line beside gex-desk serve', () => {
  it(
    'ingest, jobs, snapshots, rules whatif/eval/show/history, queue --drain and sources answer through serve as without it',
    { timeout: 300_000 },
    async () => {
      const p = place();
      const serve = await startServe(p);
      expect(existsSync(discoveryFile(p.home, p.db))).toBe(true);
      expect(dbIsFree(p.db)).toBe(false); // serve holds it: every answer below came through serve
      const beside = await session(p);
      for (const name of Object.keys(beside)) {
        // `rules eval` exits 1: one of its facts lines is invalid, on purpose.
        expect(beside[name]!.code, `${name}: ${beside[name]!.stderr}`).toBe(
          name === 'eval' ? 1 : 0,
        );
        expect(beside[name]!.code).toBe(alone.runs[name]!.code);
        expect(beside[name]!.stderr).toBe('');
      }
      const dirOf = (x: { db: string }) => join(x.db, '..');
      for (const name of ['ingest', 'manifest', 'jobs', 'snapshots', 'whatif'])
        expect(comparable(byFile(beside[name]!.lines), dirOf(p))).toEqual(
          comparable(byFile(alone.runs[name]!.lines), dirOf(alone.p)),
        );
      for (const name of ['eval', 'show', 'history', 'drain', 'sources', 'levels', 'attached'])
        expect(comparable(beside[name]!.lines, dirOf(p))).toEqual(
          comparable(alone.runs[name]!.lines, dirOf(alone.p)),
        );
      // What the comparison is about.
      expect(beside.ingest!.lines.map((l) => l.status)).toEqual([
        'completed',
        'completed',
        'completed',
      ]);
      expect(beside.whatif!.lines).toHaveLength(4); // the stale ones; not the override
      expect(beside.eval!.lines.map((l) => l.priority ?? l.error)).toEqual([
        'CRITICAL',
        expect.objectContaining({ fact: 'total_volume' }),
      ]);
      expect(beside.snapshots!.lines).toHaveLength(5);
      // --attach read the other workstation's folder through serve too (it was ignored).
      expect(beside.attached!.lines.map((l) => l.origin)).toEqual([theirFolder]);
      expect(beside.levels!.lines.map((l) => l.underlying)).toEqual([
        'DIA',
        'IWM',
        'NDX',
        'QQQ',
        'SPX',
        'XLF',
      ]);
      expect(
        beside.whatif!.lines.every(
          (l) =>
            JSON.stringify([l.from, l.to]) ===
            JSON.stringify([
              { priority: 'LOW', rule: 'G2' },
              { priority: 'MEDIUM', rule: 'G2' },
            ]),
        ),
      ).toBe(true);
      expect(beside.manifest!.lines.map((l) => [l.status, l.priority, l.rule])).toEqual([
        ['completed', 'LOW', 'G2'],
        ['completed', 'HIGH', 'G1'],
      ]);
      // The jobs serve itself ran: the same ids through the browser host's engine.
      const ingested = [...beside.ingest!.lines, ...beside.manifest!.lines];
      expect(beside.jobs!.lines.map((l) => l.id).sort()).toEqual(
        ingested.map((l) => l.job_id).sort(),
      );
      // latency_ms counts from the command's own submission (not from its start: the
      // second manifest line waited 300 ms first), to the data being available.
      for (const l of ingested) {
        const job = beside.jobs!.lines.find((j) => j.id === l.job_id)!;
        const engineLatency =
          Date.parse(String(job.finished_at)) - Date.parse(String(job.submitted_at));
        expect(Math.abs(Number(l.latency_ms) - engineLatency)).toBeLessThan(250);
      }

      // The audit trail of one request, oldest first, through serve.
      const request = String(beside.ingest!.lines[0]!.request_id);
      const audit = await runCli(['audit', '--request', request, '--json', ...p.args], {
        home: p.home,
      });
      expect(audit.code).toBe(0);
      expect(audit.lines.map((e) => e.kind)).toEqual([
        'arrival',
        'decision',
        'started',
        'completed',
      ]);
      expect(audit.lines.every((e) => e.file === chains[0] && e.underlying === 'SPX')).toBe(true);

      serve.kill('SIGTERM');
      await exited(serve);
      expect(serve.exitCode).toBe(0);
      expect(existsSync(discoveryFile(p.home, p.db))).toBe(false);
      expect(dbIsFree(p.db)).toBe(true);
    },
  );

  it(
    'shuts down as on SIGTERM when its terminal goes away (an ssh session dropped: SIGHUP, then writes fail)',
    { timeout: 60_000 },
    async () => {
      const p = place();
      // serve in a terminal of its own (script(1) holds the pseudo-terminal), which then
      // goes away: the kernel hangs the terminal up, and writing to it fails with EIO.
      const terminal = spawn(
        'script',
        ['-qfec', `exec '${process.execPath}' '${BIN}' serve --db '${p.db}'`, '/dev/null'],
        { cwd: repoRoot, env: { ...process.env, GEX_DESK_HOME: p.home } },
      );
      children.push(terminal);
      let shown = '';
      await new Promise<void>((resolve, reject) => {
        terminal.stdout.on('data', (d: Buffer) => {
          shown += d.toString();
          if (shown.includes('GEX Desk at http://127.0.0.1:')) resolve();
        });
        terminal.once('exit', () => reject(new Error(`the terminal ended: ${shown}`)));
      });
      expect(existsSync(discoveryFile(p.home, p.db))).toBe(true);
      const { pid } = JSON.parse(readFileSync(discoveryFile(p.home, p.db), 'utf8')) as {
        pid: number;
      };
      terminal.kill('SIGKILL');
      // The engine stopped as it does on SIGTERM: its last log line, the database let go.
      const log = join(p.db, '..', 'data', 'logs', 'gex-desk.log');
      const stopped = () => readFileSync(log, 'utf8').includes('"event":"engine.stopped"');
      await expect
        .poll(stopped, { timeout: 30_000 })
        .toBe(true)
        .catch((e: Error) => {
          // If it has not stopped: whether serve is gone (a signal with no handler yet: the
          // race fixed in serve-command.ts) or what it waits on, and its last log lines.
          const proc = (f: string) => {
            try {
              return readFileSync(`/proc/${pid}/${f}`, 'utf8').trim();
            } catch {
              return 'gone';
            }
          };
          const tail = readFileSync(log, 'utf8').trim().split('\n').slice(-5).join('\n');
          throw new Error(
            `${e.message}\nserve ${pid}: stat ${proc('stat')}; wchan ${proc('wchan')}\n${tail}`,
          );
        });
      expect(existsSync(discoveryFile(p.home, p.db))).toBe(false);
      await expect.poll(() => dbIsFree(p.db), { timeout: 10_000 }).toBe(true);
    },
  );

  it(
    'a command with a user folder of its own (GEX_DESK_HOME, XDG_CONFIG_HOME) reaches the serve that holds its --db',
    { timeout: 120_000 },
    async () => {
      const p = place();
      const serve = await startServe(p);
      const script = mkdtempSync(join(tmpdir(), 'gex-script-'));
      try {
        const ingest = await runCli(['ingest', chains[0]!, '--json', ...p.args], {
          home: join(script, 'home'),
        });
        expect(ingest.stderr).toBe('');
        expect(ingest.code).toBe(0);
        expect(ingest.lines.map((l) => l.status)).toEqual(['completed']);
        // XDG_CONFIG_HOME instead (GEX_DESK_HOME set empty counts as not set).
        const jobs = await runCli(['jobs', '--json', ...p.args], {
          home: '',
          env: { XDG_CONFIG_HOME: join(script, 'xdg') },
        });
        expect(jobs.stderr).toBe('');
        expect(jobs.code).toBe(0);
        expect(jobs.lines.map((j) => j.id)).toEqual([ingest.lines[0]!.job_id]);
        expect(dbIsFree(p.db)).toBe(false); // serve held it all along: both went through it
        // Nothing of the script's folders was used for the database.
        expect(existsSync(join(script, 'home', 'gex-desk.duckdb'))).toBe(false);
        expect(existsSync(join(script, 'xdg', 'gex-desk', 'gex-desk.duckdb'))).toBe(false);
        // How they found it: beside the database, where serve's discovery file is, never its token.
        const { token } = JSON.parse(readFileSync(discoveryFile(p.home, p.db), 'utf8')) as {
          token: string;
        };
        const mark = readFileSync(`${p.db}.holder.json`, 'utf8');
        expect(JSON.parse(mark)).toEqual({ pid: serve.pid, home: p.home });
        expect(mark).not.toContain(token);
        expect(statSync(`${p.db}.holder.json`).mode & 0o777).toBe(0o600);
      } finally {
        serve.kill('SIGTERM');
        await exited(serve);
      }
      expect(existsSync(`${p.db}.holder.json`)).toBe(false);
    },
  );

  it(
    'ignores and removes the discovery file of a serve killed with SIGKILL',
    { timeout: 120_000 },
    async () => {
      const p = place();
      const serve = await startServe(p);
      const file = discoveryFile(p.home, p.db);
      const before = JSON.parse(readFileSync(file, 'utf8')) as { pid: number };
      expect(before.pid).toBe(serve.pid);
      serve.kill('SIGKILL');
      await exited(serve);
      expect(existsSync(file)).toBe(true); // nobody removed it: the crash left it
      const r = await runCli(['jobs', '--json', ...p.args], { home: p.home });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(existsSync(file)).toBe(false);
      const ingest = await runCli(['ingest', chains[0]!, '--json', ...p.args], { home: p.home });
      expect(ingest.lines[0]).toMatchObject({ status: 'completed' });
    },
  );

  it(
    'queue --drain through serve waits until its queue is empty, and exits 1 when a drained job failed',
    { timeout: 180_000 },
    async () => {
      const p = place();
      await besideServe(p, async (api) => {
        // Seconds of work ahead of the failing file: the drain starts well before it runs.
        const big = [0, 1, 2, 3, 4, 5].map((i) => {
          const f = join(inputs, `big-${i}.csv`);
          writeCboeCsv(f, {
            seed: 200 + i,
            underlying: 'SPX',
            expiries: 60,
            strikesPerExpiry: 200,
          });
          return f;
        });
        const bad = writeBadFiles(join(inputs, 'bad-drain')).badValue!.path;
        expect((await api.call('queue:pause', {})).ok).toBe(true);
        const paused = await runCli(['queue', '--drain', ...p.args], { home: p.home });
        expect(paused.code).toBe(1); // a held queue never empties: refused, not waited on
        expect(paused.stderr).toContain('CONFLICT: The queue is paused');
        for (const file of [...big, bad])
          expect((await api.call('ingest:submit', { file, source: 'drain' })).ok).toBe(true);
        expect((await api.call('queue:resume', {})).ok).toBe(true);
        const drained = await runCli(['queue', '--drain', '--json', ...p.args], { home: p.home });
        expect(drained.code).toBe(1);
        expect(drained.lines[0]).toMatchObject({ totals: { queued: 0, running: 0, deciding: 0 } });
        const jobs = await runCli(['jobs', '--json', ...p.args], { home: p.home });
        expect(jobs.lines.map((j) => j.status).sort()).toEqual([
          ...big.map(() => 'completed'),
          'failed',
        ]);
      });
    },
  );

  it(
    'an ingest beside serve whose queue is paused says so on stderr, once, and when it is resumed; stdout stays JSON',
    { timeout: 120_000 },
    async () => {
      const p = place();
      await besideServe(p, async (api) => {
        expect((await api.call('queue:pause', {})).ok).toBe(true);
        let stderr = '';
        const ingest = runCli(['ingest', chains[0]!, chains[1]!, '--json', ...p.args], {
          home: p.home,
          onStderr: (text) => (stderr += text),
        });
        try {
          // It used to say nothing until someone resumed the queue.
          await expect
            .poll(() => stderr, { timeout: 60_000 })
            .toContain('gex-desk: the queue of GEX Desk (PID ');
        } finally {
          expect((await api.call('queue:resume', {})).ok).toBe(true);
        }
        const r = await ingest;
        expect(r.code, r.stderr).toBe(0);
        const said = r.stderr.trim().split('\n');
        expect(said).toEqual([
          `gex-desk: the queue of GEX Desk (PID ${api.enginePid}) is paused: this command's requests not yet running wait in it until someone resumes it (Resume queue in its Queue view). Ctrl-C ends this command and leaves them queued there; they run once the queue is resumed.`,
          `gex-desk: the queue of GEX Desk (PID ${api.enginePid}) was resumed: this command's requests run.`,
        ]);
        // stdout: the two requests' lines, JSON only.
        const lines = r.stdout.trim().split('\n');
        expect(lines.map((l) => (JSON.parse(l) as { status: string }).status)).toEqual([
          'completed',
          'completed',
        ]);
      });
    },
  );

  it(
    'jobs retry beside serve whose queue is paused says so too',
    { timeout: 120_000 },
    async () => {
      const p = place();
      await besideServe(p, async (api) => {
        const bad = writeBadFiles(join(inputs, 'bad-retry')).badValue!.path;
        const ack = await api.call('ingest:submit', { file: bad, source: 'retry' });
        if (!ack.ok || !ack.value.job_id) throw new Error(JSON.stringify(ack));
        const id = ack.value.job_id;
        await expect
          .poll(
            async () => {
              const job = await api.call('jobs:get', { id });
              return job.ok ? job.value.job.status : undefined;
            },
            { timeout: 60_000 },
          )
          .toBe('failed');
        expect((await api.call('queue:pause', {})).ok).toBe(true);
        let stderr = '';
        const retry = runCli(['jobs', 'retry', id, '--force', '--json', ...p.args], {
          home: p.home,
          onStderr: (text) => (stderr += text),
        });
        try {
          await expect.poll(() => stderr, { timeout: 60_000 }).toContain('is paused');
        } finally {
          expect((await api.call('queue:resume', {})).ok).toBe(true);
        }
        const r = await retry;
        expect(r.code).toBe(1); // it fails again, on the same bad value
        expect(r.stderr).toContain(
          `this command's jobs not yet running wait in it until someone resumes it`,
        );
        expect(r.stderr).toContain(`was resumed: this command's jobs run.`);
        expect(r.lines).toEqual([expect.objectContaining({ job_id: id, status: 'failed' })]);
      });
    },
  );

  it(
    'a jobs retry interrupted beside serve says the running engine goes on with its job, which it ends',
    { timeout: 120_000 },
    async () => {
      const p = place();
      await besideServe(p, async (api) => {
        const bad = writeBadFiles(join(inputs, 'bad-retry-int')).badValue!.path;
        const ack = await api.call('ingest:submit', { file: bad, source: 'retry' });
        if (!ack.ok || !ack.value.job_id) throw new Error(JSON.stringify(ack));
        const id = ack.value.job_id;
        const status = async () => {
          const job = await api.call('jobs:get', { id });
          return job.ok ? job.value.job.status : undefined;
        };
        await expect.poll(status, { timeout: 60_000 }).toBe('failed');
        expect((await api.call('queue:pause', {})).ok).toBe(true);
        const child = spawn(process.execPath, [BIN, 'jobs', 'retry', id, '--force', ...p.args], {
          cwd: repoRoot,
          env: { ...process.env, GEX_DESK_HOME: p.home },
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const closed = new Promise<number | null>((r) => child.on('close', r));
        // Interrupted once the engine has queued the job again.
        await expect.poll(status, { timeout: 60_000 }).toBe('queued');
        child.kill('SIGINT');
        expect(await closed, stderr).toBe(130);
        expect(stderr).toContain(
          'gex-desk: interrupted. 1 retried job had not ended: the running engine goes on with it (its Queue view, gex-desk jobs).',
        );
        expect((await api.call('queue:resume', {})).ok).toBe(true);
        await expect.poll(status, { timeout: 60_000 }).toBe('failed'); // the same bad value, once more
      });
    },
  );

  it(
    'an ingest interrupted beside serve says the running engine goes on with its requests',
    { timeout: 120_000 },
    async () => {
      const p = place();
      await besideServe(p, async (api) => {
        expect((await api.call('queue:pause', {})).ok).toBe(true);
        const child = spawn(process.execPath, [BIN, 'ingest', chains[2]!, ...p.args], {
          cwd: repoRoot,
          env: { ...process.env, GEX_DESK_HOME: p.home },
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const closed = new Promise<number | null>((r) => child.on('close', r));
        // Interrupted the moment the engine has queued the job: its answer to the command
        // may still be on its way, and the command must wait for it to count the job.
        await new Promise<void>((resolve) => api.on('job:updated', () => resolve()));
        child.kill('SIGINT');
        expect(await closed).toBe(130);
        expect(stderr).toContain(
          'gex-desk: interrupted. 1 request submitted had not ended: the running engine goes on with them',
        );
        expect((await api.call('queue:resume', {})).ok).toBe(true);
        await expect
          .poll(async () => {
            const jobs = await api.call('jobs:list', { limit: 10 });
            return jobs.ok ? jobs.value[0]?.status : undefined;
          })
          .toBe('completed');
      });
    },
  );

  it(
    'goes on with a waiting ingest in an engine of its own, not a hang, when serve stops while the desk holds its job',
    { timeout: 120_000 },
    async () => {
      const p = place();
      const { serve, api } = await serveWithApi(p);
      // The desk holds the queue: the job waits, and so does the command.
      expect((await api.call('queue:pause', {})).ok).toBe(true);
      await api.close();
      const waiting = runCli(['ingest', chains[1]!, '--json', ...p.args], { home: p.home });
      await expect
        .poll(
          async () => {
            const jobs = await runCli(['jobs', '--json', ...p.args], { home: p.home });
            return jobs.lines.length;
          },
          { timeout: 30_000 },
        )
        .toBe(1);
      serve.kill('SIGTERM');
      // The pause was the desk's, and ended with it: the command's own engine runs the job.
      const r = await waiting;
      expect(r.stderr).toContain('went away');
      expect(r.code, r.stderr).toBe(0);
      expect(r.lines[0]).toMatchObject({ status: 'completed', file: chains[1] });
      await exited(serve);
    },
  );

  it(
    'starts once a gex-desk command that held the database has ended, saying it waits',
    { timeout: 120_000 },
    async () => {
      const p = place();
      const saved = process.env.GEX_DESK_HOME;
      process.env.GEX_DESK_HOME = p.home;
      // This process holds the database as a command does (openApi, its holder note).
      const opened = await openApi({ dbPath: p.db }, { kind: 'store' }).finally(() => {
        if (saved === undefined) delete process.env.GEX_DESK_HOME;
        else process.env.GEX_DESK_HOME = saved;
      });
      if (!opened.ok) throw new Error(opened.error.message);
      const command = opened.value;
      let stderr = '';
      let closed = false;
      const serve = startServe(p, (d) => {
        stderr += d;
        if (!closed && stderr.includes('waiting for it to finish')) {
          closed = true;
          void command.close();
        }
      });
      const child = await serve;
      expect(closed).toBe(true);
      expect(stderr).toContain(
        `gex-desk: the database ${p.db} is in use by another gex-desk command (PID ${process.pid}); waiting for it to finish…`,
      );
      expect(await findEngine(p.home, p.db)).toMatchObject({ state: 'live' });
      child.kill('SIGTERM');
      await exited(child);
    },
  );

  it(
    'a second serve on the same database says the first runs there, exit 3 (on its port too)',
    { timeout: 60_000 },
    async () => {
      const p = place();
      const free = createServer();
      await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
      const port = String((free.address() as AddressInfo).port);
      await new Promise((resolve) => free.close(resolve));
      const first = await startServe({ ...p, args: [...p.args, '--port', port] });
      // The UI's sources look newer than its build: a serve that went on would build it,
      // rewriting out/renderer under the first's open tabs. Refused, it must not.
      const page = join(repoRoot, 'out/renderer/index.html');
      const built = statSync(page);
      utimesSync(page, built.atime, new Date(2000, 0, 1));
      const stale = statSync(page).mtimeMs;
      try {
        // The same command again (its port now the first's): the first is said, not "a port
        // in use by another program".
        for (const again of [[], ['--port', port]]) {
          const r = await runCli(['serve', ...again, ...p.args], { home: p.home });
          expect(r.code).toBe(3);
          expect(r.stdout).toBe('');
          expect(statSync(page).mtimeMs).toBe(stale);
          expect(r.stderr).toBe(
            `gex-desk: GEX Desk already runs on the database ${p.db} (gex-desk serve, PID ${first.pid}): use that one — every gex-desk command works beside it — or stop it before serving from here.\n`,
          );
        }
      } finally {
        utimesSync(page, built.atime, built.mtime);
        first.kill('SIGTERM');
        await exited(first);
      }
    },
  );

  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'waits for its requests to their end when the serve it reached goes away (%s) while they run',
    { timeout: 120_000 },
    async (signal) => {
      const p = place();
      const dir = mkdtempSync(join(tmpdir(), 'gex-going-'));
      const files = Array.from({ length: 40 }, (_, i) => {
        const f = join(dir, `c${i}.csv`);
        writeCboeCsv(f, { seed: 300 + i, expiries: 10, strikesPerExpiry: 100 });
        return f;
      });
      const serve = await startServe(p);
      // Killed once the first request has ended: the others are stored, some not run yet.
      let killed = false;
      const r = await runCli(['ingest', ...files, '--json', ...p.args], {
        home: p.home,
        onStdout: () => {
          if (!killed) serve.kill(signal);
          killed = true;
        },
      });
      await exited(serve);
      expect(r.stderr).toMatch(
        new RegExp(
          `The running GEX Desk engine \\(PID ${serve.pid}\\) (stopped answering|went away)`,
        ),
      );
      expect(r.stderr).toContain('What it took is stored');
      // Every request as it ended, none called failed because the app went away.
      expect(r.code, r.stderr).toBe(0);
      expect(r.lines.map((l) => [l.file, l.status])).toEqual(files.map((f) => [f, 'completed']));
      const ids = r.lines.map((l) => (l.snapshot as { id: string }).id);
      expect(new Set(ids).size).toBe(files.length);
      // As stored: each of them once, completed.
      const jobs = await runCli(['jobs', '--json', ...p.args], { home: p.home });
      expect(jobs.lines.map((j) => j.status)).toEqual(files.map(() => 'completed'));
    },
  );

  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'goes on with a manifest whose serve goes away (%s) while its lines are still being submitted: none rejected, none twice',
    { timeout: 120_000 },
    async (signal) => {
      const p = place();
      const dir = mkdtempSync(join(tmpdir(), 'gex-replay-'));
      // A recorded arrival pattern: a chain every 500 ms; serve goes once it holds three of
      // them, with the others still to come (and one, perhaps, on its way). (It went at
      // 1.7 s after the command was started, which a loaded machine's start-up of the
      // command could pass before a first line was sent.)
      const files = Array.from({ length: 8 }, (_, i) => {
        const f = join(dir, `r${i}.csv`);
        writeCboeCsv(f, { seed: 800 + i, expiries: 10, strikesPerExpiry: 100 });
        return f;
      });
      const manifest = join(dir, 'replay.jsonl');
      writeFileSync(
        manifest,
        files.map((file, i) => JSON.stringify({ file, at_ms: i * 500 })).join('\n'),
      );
      const { serve, api } = await serveWithApi(p);
      const ingest = runCli(['ingest', '--manifest', manifest, '--json', ...p.args], {
        home: p.home,
      });
      await expect
        .poll(async () => {
          const jobs = await api.call('jobs:list', { limit: 20 });
          return jobs.ok ? jobs.value.length : 0;
        })
        .toBeGreaterThanOrEqual(3);
      await api.close();
      serve.kill(signal);
      const r = await ingest;
      await exited(serve);
      expect(r.stderr).toContain('What it took is stored');
      expect(r.code, r.stderr).toBe(0);
      expect(r.lines.map((l) => [l.file, l.status])).toEqual(files.map((f) => [f, 'completed']));
      // As stored: each request once, the one the command reported.
      const jobs = await runCli(['jobs', '--json', ...p.args], { home: p.home });
      expect(jobs.lines.map((j) => j.file).sort()).toEqual([...files].sort());
      expect(jobs.lines.map((j) => j.status)).toEqual(files.map(() => 'completed'));
      expect(jobs.lines.map((j) => j.request_id).sort()).toEqual(
        r.lines.map((l) => l.request_id).sort(),
      );
      // Each arrived when the manifest says, whichever engine took it (a line sent again to
      // the next engine keeps its arrival).
      const arrivals = files.map((f) =>
        Date.parse(String(jobs.lines.find((j) => j.file === f)!.submitted_at)),
      );
      arrivals.forEach((at, i) =>
        expect(Math.abs(at - arrivals[0]! - i * 500), `arrival ${i}`).toBeLessThan(250),
      );
    },
  );

  it(
    'queue --drain goes on in an engine of its own when the serve it drained through stops',
    { timeout: 120_000 },
    async () => {
      const p = place();
      const dir = mkdtempSync(join(tmpdir(), 'gex-drain-'));
      // SPX-size chains, so that serve's one worker is busy for seconds with them.
      const files = Array.from({ length: 30 }, (_, i) => {
        const f = join(dir, `d${i}.csv`);
        writeCboeCsv(f, { seed: 500 + i, expiries: 40, strikesPerExpiry: 250 });
        return f;
      });
      const { serve, api } = await serveWithApi(p);
      for (const file of files)
        expect((await api.call('ingest:submit', { file, source: 'drain-test' })).ok).toBe(true);
      await api.close();
      // Stopped once the drain says what it waits for: its call is then serve's.
      let stopped = false;
      const r = await runCli(['queue', '--drain', '--json', ...p.args], {
        home: p.home,
        onStderr: (text) => {
          if (!stopped && text.includes('gex-desk: draining')) serve.kill('SIGTERM');
          stopped ||= text.includes('gex-desk: draining');
        },
      });
      await exited(serve);
      expect(r.stderr).toMatch(
        new RegExp(
          `gex-desk: draining \\d+ jobs \\(\\d+ waiting, \\d running\\) in GEX Desk \\(PID ${serve.pid}\\)`,
        ),
      );
      expect(r.stderr).toMatch(/stopped answering|went away/);
      // The jobs serve had not run were run by the command's own engine; none left, none failed.
      expect(r.code, r.stderr).toBe(0);
      expect(r.lines[0]!.totals).toMatchObject({ queued: 0, running: 0, deciding: 0, failed: 0 });
      const jobs = await runCli(['jobs', '--json', ...p.args], { home: p.home });
      expect(jobs.lines.map((j) => j.status)).toEqual(files.map(() => 'completed'));
    },
  );

  it(
    'exits 3, saying what to do, when its port is taken, and leaves no engine behind',
    { timeout: 60_000 },
    async () => {
      const p = place();
      const taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const port = (taken.address() as AddressInfo).port;
      try {
        const r = await runCli(['serve', '--port', String(port), ...p.args], { home: p.home });
        expect(r.code).toBe(3);
        expect(r.stdout).toBe('');
        expect(r.stderr).toContain(
          `gex-desk: cannot serve on 127.0.0.1:${port}: the port is in use by another program; choose another with --port N`,
        );
        expect(await findEngine(p.home, p.db)).toEqual({ state: 'none' });
        // Said before the engine's start (and before building the UI, when that is due).
        expect(existsSync(p.db)).toBe(false);
      } finally {
        taken.close();
      }
    },
  );

  it(
    'exits 3 when its port is taken on ::1 (a browser opening localhost may go there first), saying why both',
    { timeout: 60_000 },
    async () => {
      const p = place();
      const taken = createServer();
      const listening = await new Promise<boolean>((resolve) => {
        taken.once('error', () => resolve(false)); // no IPv6 loopback: nobody can squat it
        taken.listen({ port: 0, host: '::1', ipv6Only: true }, () => resolve(true));
      });
      if (!listening) return;
      const port = (taken.address() as AddressInfo).port;
      try {
        const r = await runCli(['serve', '--port', String(port), ...p.args], { home: p.home });
        expect(r.code).toBe(3);
        expect(r.stdout).toBe('');
        expect(r.stderr).toContain(
          `gex-desk: cannot serve on [::1]:${port}: the port is in use by another program (GEX Desk holds the port on both loopback addresses, 127.0.0.1 and ::1, so that no other program answers a browser opening localhost:${port}); choose another with --port N`,
        );
        expect(await findEngine(p.home, p.db)).toEqual({ state: 'none' });
        expect(existsSync(p.db)).toBe(false);
      } finally {
        taken.close();
      }
    },
  );

  it(
    'exits 3 at once, saying so, when the database is held by a process that does not answer',
    { timeout: 60_000 },
    async () => {
      const p = place();
      const holder = await holdDb(p.db);
      children.push(holder);
      try {
        // At once: well before the wait for a command that holds it (30 s here) could end.
        // (A bound of 10 s measured the command's start-up, seconds on a loaded machine.)
        const started = Date.now();
        const r = await runCli(['jobs', '--json', ...p.args], {
          home: p.home,
          env: { GEX_DESK_LOCK_WAIT_MS: '30000' },
        });
        expect(r.code).toBe(3);
        // --json: the refusal's line on stdout too (io.ts refuse).
        expect(r.lines).toEqual([
          { error: expect.objectContaining({ code: 'DB_LOCKED' }) as unknown },
        ]);
        expect(r.stderr).toMatch(
          /DB_LOCKED: The database .* is held by another process \(PID \d+\) that does not answer: this command finds no GEX Desk engine on it to reach/,
        );
        expect(Date.now() - started).toBeLessThan(30_000);
      } finally {
        holder.kill('SIGKILL');
      }
    },
  );

  it(
    'serve names the holder of its database as a process, not as GEX Desk, when no GEX Desk holds it',
    { timeout: 60_000 },
    async () => {
      const p = place();
      const holder = await holdDb(p.db);
      children.push(holder);
      try {
        const r = await runCli(['serve', ...p.args], { home: p.home });
        expect(r.code).toBe(3);
        expect(r.stderr).toMatch(
          new RegExp(
            `in use by another process \\(PID ${holder.pid}\\): another GEX Desk .* or another program`,
          ),
        );
        expect(r.stderr).not.toContain('another GEX Desk process');
      } finally {
        holder.kill('SIGKILL');
      }
    },
  );

  it(
    'serve says its upload folder cannot be made (not that the address failed) when the data folder cannot take it',
    { timeout: 60_000 },
    async () => {
      const p = place();
      const data = join(dirname(p.db), 'data');
      mkdirSync(data);
      writeFileSync(join(data, 'uploads'), 'not a folder'); // where uploads/<database>/ goes
      const r = await runCli(['serve', '--data-dir', data, ...p.args], { home: p.home });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`cannot make the upload folder ${join(data, 'uploads')}`);
      expect(r.stderr).not.toContain('cannot serve on');
      expect(await findEngine(p.home, p.db)).toEqual({ state: 'none' });
    },
  );

  it(
    "serves a database on the port it used last (the browser keeps a page's storage, the rule draft, per origin); on another when that one is taken",
    { timeout: 120_000 },
    async () => {
      const p = place();
      const stop = async (c: ChildProcess) => (c.kill('SIGTERM'), await exited(c));
      const first = await startServe(p);
      const port = servedOn.get(first)!;
      await stop(first);
      const again = await startServe(p);
      expect(servedOn.get(again)).toBe(port);
      await stop(again);
      // Another database keeps its own.
      const other = place();
      const beside = await startServe({ ...other, home: p.home });
      expect(lastServePort(p.home, other.db)).toBe(servedOn.get(beside));
      expect(lastServePort(p.home, p.db)).toBe(port);
      await stop(beside);
      // Its port taken by another program: a free one, no error, and that one kept.
      const squatter = createServer();
      await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', r));
      try {
        const moved = await startServe(p);
        const next = servedOn.get(moved)!;
        expect(next).not.toBe(port);
        await stop(moved);
        await new Promise<void>((r) => squatter.close(() => r()));
        const back = await startServe(p);
        expect(servedOn.get(back)).toBe(next);
        await stop(back);
      } finally {
        squatter.close();
      }
      // --port is still the analyst's: served there, and not kept as the default.
      const free = await new Promise<number>((r) => {
        const s = createServer().listen(0, '127.0.0.1', () => {
          const a = (s.address() as AddressInfo).port;
          s.close(() => r(a));
        });
      });
      const given = await startServe({ ...p, args: [...p.args, '--port', String(free)] });
      expect(servedOn.get(given)).toBe(free);
      await stop(given);
      expect(lastServePort(p.home, p.db)).not.toBe(free);
    },
  );

  it(
    'exits 3, naming it, when a serve that holds the database stops answering',
    { timeout: 120_000 },
    async () => {
      const p = place();
      const serve = await startServe(p);
      serve.kill('SIGSTOP');
      try {
        // It is given its time to answer once, not once for each way the command tries:
        // twice would take at least 30 s; once, 15 s and the command's start-up (seconds on
        // a loaded 2-core machine: an 8 s time against a 15 s bound left it 7 s).
        const started = Date.now();
        const r = await runCli(['jobs', '--json', ...p.args], {
          home: p.home,
          env: { GEX_DESK_CONNECT_TIMEOUT_MS: '15000' },
        });
        expect(Date.now() - started).toBeLessThan(30_000);
        expect(r.code).toBe(3);
        expect(r.stderr).toContain(
          `is held by GEX Desk (serve, PID ${serve.pid}), which does not answer`,
        );
        expect(existsSync(discoveryFile(p.home, p.db))).toBe(true); // alive: not a stale file
      } finally {
        serve.kill('SIGCONT');
        serve.kill('SIGTERM');
        await exited(serve);
      }
    },
  );
});
