// A command whose reader goes away (`gex-desk snapshots --json | head -1`) stops writing
// quietly and exits with its own code, instead of dying on EPIPE with a stack trace.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../pipeline/helpers.ts';
import { BIN, cliStore } from './run-cli.ts';

/** Runs the command with its stdout closed before it writes; its exit code and stderr. */
function withStdoutClosed(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: repoRoot,
      env: { ...process.env, GEX_DESK_HOME: mkdtempSync(join(tmpdir(), 'gex-home-')) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader goes at once, as `head` does once it has its lines.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

it('stops writing quietly when the reader of its output has gone', async () => {
  const help = await withStdoutClosed(['--help']);
  expect(help.stderr).toBe('');
  expect(help.code).toBe(0);
  // A command that reaches the store still finishes and says how it went.
  const { args } = await cliStore();
  const jobs = await withStdoutClosed(['jobs', ...args]);
  expect(jobs.stderr).toBe('');
  expect(jobs.code).toBe(0);
});
