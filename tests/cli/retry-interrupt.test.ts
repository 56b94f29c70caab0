// `gex-desk jobs retry` interrupted (Ctrl-C) while it waits, with an engine of its own:
// as an interrupted `ingest`, its engine lets the running job finish and is shut down in
// order (stop 46's settle: the job that ended then has its line), the command says on
// stderr what it leaves queued and exits 130; a later drain ends what is left, each job
// once. Before, the command had no handler: the signal ended the process mid-run, with
// no word, and the job running was left `running` for the next start to recover.
import { readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { spoilLastGamma, writeCboeCsv } from '../fixtures/option-chains.ts';
import { BIN, cliHome, runCli } from './run-cli.ts';

it(
  'interrupted while it waits: lets the running job finish, prints its line, leaves the other queued, exits 130',
  { timeout: 180_000 },
  async () => {
    const { dir, args } = cliHome();
    const home = join(dir, 'home');
    const env = { GEX_DESK_WORKERS: '1' };
    // Two files that fail for real on their last line: a long chain (its run keeps the one
    // worker busy for a second or more) and a short one.
    const busy = join(dir, 'busy.csv');
    writeCboeCsv(busy, { seed: 51, expiries: 200, strikesPerExpiry: 800 });
    spoilLastGamma(busy);
    const short = join(dir, 'short.csv');
    writeCboeCsv(short, { seed: 52, expiries: 2, strikesPerExpiry: 6 });
    spoilLastGamma(short);
    const failed = await runCli(
      ['ingest', busy, short, '--priority', 'HIGH', '--justification', 'desk', '--json', ...args],
      { home, env },
    );
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.lines.map((l) => [l.file, l.status])).toEqual([
      [busy, 'failed'],
      [short, 'failed'],
    ]);
    const ids = failed.lines.map((l) => String(l.job_id));

    // Retried (--force: their content failed), the long one first: it runs, the short one
    // waits behind it for the one worker.
    const child = spawn(
      process.execPath,
      [BIN, 'jobs', 'retry', ...ids, '--force', '--json', ...args],
      // A group of its own, interrupted as a terminal's Ctrl-C does: the whole group, its
      // pipeline workers too.
      { env: { ...process.env, GEX_DESK_HOME: home, ...env }, detached: true },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<[number | null, NodeJS.Signals | null]>((r) =>
      child.on('close', (code, signal) => r([code, signal])),
    );
    // Interrupted once both retries are taken (its log says so: `job.retried`), the long one
    // running: on observed progress, not a timer (half a second after its engine started
    // was too late on a quiet CI machine: both jobs had ended and the command gone, ESRCH).
    const log = join(dir, 'data', 'logs', 'gex-desk.log');
    const count = (event: string) => {
      try {
        return readFileSync(log, 'utf8').split(`"event":"${event}"`).length - 1;
      } catch {
        return 0;
      }
    };
    await expect.poll(() => count('job.retried'), { timeout: 60_000, interval: 10 }).toBe(2);
    process.kill(-child.pid!, 'SIGINT');
    const [code, signal] = await closed;
    expect([code, signal], stderr).toEqual([130, null]);

    // The long one ran on as the engine shut down: its line is printed when it ended by
    // then (failed again, as forced), never one that says it was stopped; the short one,
    // not run, has none and is counted on stderr.
    const lines = stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const busyEnded = lines.length === 1;
    expect(lines.map((l) => [l.job_id, l.status, (l.error as { code?: string })?.code])).toEqual(
      busyEnded ? [[ids[0], 'failed', 'BAD_VALUE']] : [],
    );
    expect(stderr).toMatch(/^gex-desk: interrupted\. /m);
    expect(stderr).toContain(
      `${busyEnded ? '1 retried job' : '2 retried jobs'} had not ended: ${busyEnded ? 'it stays' : 'they stay'} queued, nothing is lost`,
    );
    // The database says as much: the engine was shut down in order (its log says so), and
    // no job is left running.
    expect(count('engine.stopped')).toBe(2);
    // A worker still starting when the group's SIGINT came (as may be, by the moment)
    // ends of it: expected, said as such, never as a worker's failure (pool.test.ts shows
    // it every time).
    const said = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: string; event: string });
    expect(said.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
    const jobs = async () =>
      Object.fromEntries(
        (await runCli(['jobs', '--json', ...args], { home, env })).lines.map((j) => [
          j.id,
          j.status,
        ]),
      );
    expect(await jobs()).toEqual({
      [ids[0]!]: busyEnded ? 'failed' : 'queued',
      [ids[1]!]: 'queued',
    });

    // A drain ends what was left, each job once: one more failure each, no second retry.
    const drained = await runCli(['queue', '--drain', ...args], { home, env });
    // Exit 1: its own engine counts for the drain every job it ended, the one that ended
    // before the drain's call too (that one left it 0 in 1 of 4 runs before; stop 47's note).
    expect(drained.code, drained.stderr).toBe(1);
    expect(await jobs()).toEqual({ [ids[0]!]: 'failed', [ids[1]!]: 'failed' });
    const audit = await runCli(['audit', '--json', ...args], { home, env });
    const kinds = (id: string) =>
      audit.lines.filter((e) => e.job_id === id && e.kind !== 'arrival').map((e) => e.kind);
    for (const id of ids) {
      expect(kinds(id).filter((k) => k === 'retried')).toHaveLength(1);
      expect(kinds(id).filter((k) => k === 'failed')).toHaveLength(2);
    }
    rmSync(dir, { recursive: true, force: true });
  },
);
