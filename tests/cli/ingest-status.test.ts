// What `gex-desk ingest` says on stderr while a file takes long (QA fmt F1: five minutes
// with nothing on either stream). A real file slow enough to be still running after
// GEX_DESK_PROGRESS_MS, set low here (200 ms; 10 s by default): in a log (stderr not a
// terminal) plain lines naming the file, its time and its state; in a terminal (script(1)
// gives one) a live line redrawn in place and erased at the end. stdout keeps its one
// JSON line a request either way.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeLongCsv } from '../fixtures/option-chains.ts';
import { repoRoot } from '../pipeline/helpers.ts';
import { BIN, cliHome, runCli } from './run-cli.ts';

/** 60 expiries × 400 strikes × call and put: 48,000 contracts, a run of a second or more. */
function slowFile(dir: string): string {
  const file = join(dir, 'big-long.csv');
  writeLongCsv(file, { seed: 3, expiries: 60, strikesPerExpiry: 400 });
  return file;
}

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
    const command = [process.execPath, BIN, 'ingest', file, '--json', '--db', db]
      .map((a) => `'${a}'`)
      .join(' ');
    const r = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        GEX_DESK_HOME: dir,
        GEX_DESK_WORKERS: '1',
        GEX_DESK_PROGRESS_MS: '100',
      },
      encoding: 'utf8',
      timeout: 60_000,
      input: '',
    });
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
});
