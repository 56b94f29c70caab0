// `gex-desk queue` names the spare worker kept for CRITICAL work apart from those the
// workers setting gives, as the app's status bar does (`0/1 (+1)`): with `--workers 1` it
// read "workers 0/2 busy", and `--json` gave no way to tell the spare from the set ones.
// `workers` keeps its meaning (the pool, spare included); `spare_workers` is the spare.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { QueueStats } from '../../shared/api.ts';
import { serveLocal } from '../../electron/host/local/endpoint.ts';
import { startTestEngine } from '../desktop/engine.ts';
import { cliHome, cliStore, runCli } from './run-cli.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The line after the table: whose workers, and the jobs. */
const footer = (stdout: string) => stdout.split('\n').find((l) => l.includes('jobs:')) ?? '';

describe('gex-desk queue and the spare worker', () => {
  it('--drain with --workers N: N workers and the spare named apart, in text and --json', async () => {
    for (const n of [1, 3]) {
      const { args } = cliHome();
      const text = await runCli(['queue', '--drain', '--workers', String(n), ...args]);
      expect(text.code, text.stderr).toBe(0);
      expect(footer(text.stdout)).toMatch(
        new RegExp(`^workers 0/${n} busy \\(\\+1 spare for CRITICAL work\\), throughput`),
      );
      const json = await runCli(['queue', '--drain', '--workers', String(n), '--json', ...args]);
      expect(json.code, json.stderr).toBe(0);
      const stats = json.lines[0] as QueueStats;
      expect([stats.workers, stats.busy_workers, stats.spare_workers]).toEqual([n + 1, 0, 1]);
    }
  }, 90_000);

  it('beside a running engine (one worker set), and none when no engine runs', async () => {
    const te = await startTestEngine({ workers: 1 });
    const home = mkdtempSync(join(tmpdir(), 'gex-home-'));
    dirs.push(home);
    const local = await serveLocal(te.engine, { home, host: 'test' });
    const args = ['--db', te.engine.config.dbPath];
    try {
      const text = await runCli(['queue', ...args], { home });
      expect(text.code, text.stderr).toBe(0);
      expect(footer(text.stdout)).toMatch(
        /^workers 0\/1 busy \(\+1 spare for CRITICAL work\), throughput/,
      );
      const json = await runCli(['queue', '--json', ...args], { home });
      const stats = json.lines[0] as QueueStats;
      expect([stats.workers, stats.spare_workers]).toEqual([2, 1]);
    } finally {
      await local.close();
      await te.stop();
    }
    // The command's own store runs no workers: no spare either.
    const own = await cliStore();
    const alone = await runCli(['queue', '--json', ...own.args]);
    expect(alone.code, alone.stderr).toBe(0);
    expect(alone.lines[0]).toMatchObject({ workers: 0, spare_workers: 0 });
  }, 90_000);
});
