// `gex-desk ingest -` fed a chain in two halves: the second only once the command is seen
// keeping the first (its temporary copy in TMPDIR has bytes), so that the command has
// certainly started before the chain's last byte — the moment the test notes — comes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { BIN } from './run-cli.ts';

export interface SlowPipe {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Just before the chain's second half was written: after the command started. */
  lastPartMs: number;
}

export async function ingestPipedSlowly(
  file: string,
  args: string[],
  home: string,
): Promise<SlowPipe> {
  const tmp = mkdtempSync(join(tmpdir(), 'gex-slow-pipe-'));
  const child = spawn(process.execPath, [BIN, 'ingest', '-', '--json', ...args], {
    env: { ...process.env, GEX_DESK_HOME: home, GEX_DESK_WORKERS: '1', TMPDIR: tmp },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<number | null>((r) => child.on('close', r));
  const bytes = readFileSync(file);
  const half = Math.floor(bytes.length / 2);
  child.stdin.write(bytes.subarray(0, half));
  const kept = () =>
    readdirSync(tmp)
      .filter((d) => d.startsWith('gex-desk-stdin-'))
      .some((d) => {
        try {
          return statSync(join(tmp, d, 'stdin')).size > 0;
        } catch {
          return false; // not created yet
        }
      });
  await expect.poll(kept, { timeout: 30_000, interval: 20 }).toBe(true);
  const lastPartMs = Date.now();
  child.stdin.end(bytes.subarray(half));
  const code = await closed;
  return { code, stdout, stderr, lastPartMs };
}
