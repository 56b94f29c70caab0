// What `gex-desk ingest` and `gex-desk jobs retry` say on stderr while a file takes long
// (QA fmt F1: five minutes with nothing on either stream; a retry said nothing at all
// while it waited). Real files slow enough to be still running after
// GEX_DESK_PROGRESS_MS, set low here (200 ms; 10 s by default): in a log (stderr not a
// terminal) plain lines naming the file, its time and its state; in a terminal (script(1)
// gives one) a live line redrawn in place, naming the first file not ended and how many
// more, and erased before every other line and at the end. stdout keeps its one JSON line
// a request (a job) either way.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeLongCsv } from '../fixtures/option-chains.ts';
import { startTestEngine } from '../desktop/engine.ts';
import { repoRoot } from '../pipeline/helpers.ts';
import { BIN, cliHome, runCli } from './run-cli.ts';

/** 60 expiries × 400 strikes × call and put: 48,000 contracts, a run of a second or more. */
function slowFile(dir: string, name = 'big-long', seed = 3): string {
  const file = join(dir, `${name}.csv`);
  writeLongCsv(file, { seed, expiries: 60, strikesPerExpiry: 400 });
  return file;
}

/** The command run with stderr (and stdout) a terminal: what the terminal was sent. */
function inTerminal(args: string[], home: string, progressMs = '100') {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  return spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      GEX_DESK_HOME: home,
      GEX_DESK_WORKERS: '1',
      GEX_DESK_PROGRESS_MS: progressMs,
    },
    encoding: 'utf8',
    timeout: 120_000,
    input: '',
  });
}

/** What starts each draw and erasure of the live line: a carriage return, "erase line". */
const ERASE = '\\r\x1b\\[K';

/** Each live line drawn (after its erasure), in order. */
const drawn = (shown: string): string[] =>
  [...shown.matchAll(new RegExp(`${ERASE}(gex-desk: [^\\r\\n\x1b]*)`, 'g'))].map((m) => m[1]!);

/**
 * What the terminal shows once the live line's draws and erasures are taken out: its
 * lines (a line printed over a live line not erased first would keep the draw in it).
 */
const withoutLive = (shown: string): string[] =>
  shown
    .replace(new RegExp(`${ERASE}(gex-desk: [^\\r\\n\x1b]*?(?=${ERASE}))?`, 'g'), '')
    .split(/\r?\n/)
    .filter(Boolean);

const STATE = /(queued at (LOW|MEDIUM|HIGH|CRITICAL)|reading|computing \d+%|storing)/;

describe('ingest progress on stderr', () => {
  it('in a log: a plain line for a file still running, then one each 3× the first delay', async () => {
    const { dir, args } = cliHome();
    const file = slowFile(dir);
    const started = Date.now();
    const r = await runCli(['ingest', file, '--json', ...args], {
      env: { GEX_DESK_PROGRESS_MS: '200' },
    });
    const tookMs = Date.now() - started;
    expect(r.code, r.stderr).toBe(0);
    // stdout: the request's line and nothing else.
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.lines[0]).toMatchObject({ status: 'completed', snapshot: { contracts: 48_000 } });
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines.length, r.stderr).toBeGreaterThan(0);
    const line = new RegExp(`^gex-desk: big-long\\.csv running (\\d+) s \\(${STATE.source}\\)$`);
    for (const l of lines) expect(l).toMatch(line);
    // Nothing drawn for a terminal: no carriage return, no escape sequence.
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).not.toContain('\x1b');
    // The first after 200 ms, then at most one each 600 ms.
    expect(lines.length).toBeLessThanOrEqual(1 + Math.ceil(tookMs / 600));
    const secs = lines.map((l) => Number(line.exec(l)![1]));
    expect([...secs].sort((a, b) => a - b)).toEqual(secs);
  }, 60_000);

  it('without GEX_DESK_PROGRESS_MS a run shorter than 10 s says nothing on stderr', async () => {
    const { dir, args } = cliHome();
    const file = join(dir, 'small-long.csv');
    writeLongCsv(file, { seed: 4, expiries: 4, strikesPerExpiry: 25 });
    const started = Date.now();
    const r = await runCli(['ingest', file, '--json', ...args], {
      env: { GEX_DESK_PROGRESS_MS: '' },
    });
    expect(r.code).toBe(0);
    // (A machine so loaded that it took 10 s is not the fast case.)
    if (Date.now() - started < 10_000) expect(r.stderr).toBe('');
  }, 60_000);

  it('in a terminal: a live status line, redrawn in place and erased at the end', () => {
    const { dir, db } = cliHome();
    const file = slowFile(dir);
    const r = inTerminal(['ingest', file, '--json', '--db', db], dir);
    expect(r.status, r.stdout).toBe(0);
    const shown = r.stdout;
    const live = new RegExp(`\\r\\x1b\\[Kgex-desk: big-long\\.csv: ${STATE.source}, \\d+ s`, 'g');
    expect(shown.match(live)?.length ?? 0, JSON.stringify(shown)).toBeGreaterThan(0);
    // Erased before the request's line: the JSON line starts a line of its own, clean.
    const json = shown.indexOf('{"file"');
    expect(json).toBeGreaterThan(0);
    expect(shown.slice(0, json).endsWith('\r\x1b[K')).toBe(true);
    expect(shown.slice(json)).not.toContain('gex-desk:');
    // No plain lines in a terminal.
    expect(shown).not.toMatch(/running \d+ s \(/);
  }, 60_000);

  it('in a terminal, several files: the first not ended and how many more, erased before each line', () => {
    const { dir, db } = cliHome();
    const files = ['a', 'b', 'c'].map((name, i) => slowFile(dir, name, 10 + i));
    const r = inTerminal(['ingest', ...files, '--json', '--db', db], dir);
    expect(r.status, r.stdout).toBe(0);
    const shown = r.stdout;
    const draws = drawn(shown);
    const live = new RegExp(
      `^gex-desk: ([abc])\\.csv: ${STATE.source}, \\d+ s(?: \\((?<more>\\d) more not ended\\))?$`,
    );
    for (const d of draws) expect(d).toMatch(live);
    const seen = draws.map((d) => {
      const m = live.exec(d)!;
      return { at: 'abc'.indexOf(m[1]!), more: Number(m.groups!.more ?? 0) };
    });
    // While all three wait: the first file given (not the one the engine took up first,
    // nor the one whose event came first), and the two others counted.
    expect(seen, JSON.stringify(shown)).toContainEqual({ at: 0, more: 2 });
    // From then on always the first file given not ended, and only those after it counted:
    // it moves on as files end, never back (the engine runs them in its own order).
    const after = seen.slice(seen.findIndex((s) => s.more === 2));
    after.forEach((s, i) => {
      expect(s.at, JSON.stringify(after)).toBeGreaterThanOrEqual(after[Math.max(0, i - 1)]!.at);
      expect(s.more, JSON.stringify(after)).toBeLessThanOrEqual(2 - s.at);
    });
    // The terminal's lines without the live line: the three requests' lines and nothing else
    // (each printed on a line of its own, the live line erased first and at the end).
    const lines = withoutLive(shown);
    expect(lines, JSON.stringify(shown)).toHaveLength(3);
    expect(lines.map((l) => (JSON.parse(l) as { file: string }).file)).toEqual(files);
  }, 120_000);
});

/**
 * Jobs that ended cancelled, as the Queue view's Cancel leaves them: submitted (with an
 * arrival an hour ago) to a real engine started paused, cancelled before they ran.
 */
async function cancelledJobs(names: string[]): Promise<{ dir: string; db: string; ids: string[] }> {
  const t = await startTestEngine({ paused: true });
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
  const ids: string[] = [];
  for (const [i, name] of names.entries()) {
    const file = slowFile(t.dir, name, 20 + i);
    const ack = await t.engine.handlers['ingest:submit']({
      file,
      source: 'desk',
      arrived_at: hourAgo,
    });
    if (!ack.ok || !ack.value.job_id) throw new Error(`not queued: ${JSON.stringify(ack)}`);
    const cancelled = await t.engine.handlers['jobs:cancel']({ id: ack.value.job_id });
    if (!cancelled.ok) throw new Error(`not cancelled: ${cancelled.error.message}`);
    ids.push(ack.value.job_id);
  }
  await t.engine.shutdown(5000);
  return { dir: t.dir, db: join(t.dir, 'gex.duckdb'), ids };
}

describe('jobs retry progress on stderr', () => {
  it('in a log: a plain line for a retried job still running, its time counted from the retry', async () => {
    const { db, ids } = await cancelledJobs(['retried']);
    const started = Date.now();
    const r = await runCli(['jobs', 'retry', ids[0]!, '--json', '--db', db], {
      env: { GEX_DESK_PROGRESS_MS: '200' },
    });
    const tookMs = Date.now() - started;
    expect(r.code, r.stderr).toBe(0);
    // stdout: the job's line and nothing else, as before.
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.lines[0]).toMatchObject({ job_id: ids[0], status: 'completed' });
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines.length, r.stderr).toBeGreaterThan(0);
    const line = new RegExp(`^gex-desk: retried\\.csv running (\\d+) s \\(${STATE.source}\\)$`);
    for (const l of lines) expect(l).toMatch(line);
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).not.toContain('\x1b');
    // From the retry, not from the file's arrival an hour before.
    const secs = lines.map((l) => Number(line.exec(l)![1]));
    for (const s of secs) expect(s).toBeLessThanOrEqual(Math.ceil(tookMs / 1000));
    expect(lines.length).toBeLessThanOrEqual(1 + Math.ceil(tookMs / 600));
  }, 120_000);

  it('in a terminal: the live line, erased before each job line and at the end', async () => {
    const { dir, db, ids } = await cancelledJobs(['first', 'second']);
    const started = Date.now();
    const r = inTerminal(['jobs', 'retry', ...ids, '--json', '--db', db], dir);
    const tookMs = Date.now() - started;
    expect(r.status, r.stdout).toBe(0);
    const shown = r.stdout;
    const draws = drawn(shown);
    const live = new RegExp(
      `^gex-desk: (first|second)\\.csv: ${STATE.source}, (?<secs>\\d+) s(?: \\(1 more not ended\\))?$`,
    );
    for (const d of draws) expect(d).toMatch(live);
    expect(draws, JSON.stringify(shown)).toContainEqual(
      expect.stringMatching(/^gex-desk: first\.csv: .* \(1 more not ended\)$/),
    );
    for (const d of draws)
      expect(Number(live.exec(d)!.groups!.secs)).toBeLessThanOrEqual(Math.ceil(tookMs / 1000));
    const lines = withoutLive(shown);
    expect(lines, JSON.stringify(shown)).toHaveLength(2);
    expect(lines.map((l) => (JSON.parse(l) as { job_id: string }).job_id)).toEqual(ids);
  }, 120_000);
});
