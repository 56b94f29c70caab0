// A command run in a terminal, as an analyst types it: `-` for standard input then means
// nothing is piped in, and Parquet on standard output would be bytes on the screen. Each
// is a usage error that says what to give instead, not a wait for input nobody types or a
// screenful of binary. script(1) gives the command a pseudo-terminal (`.ci/run` installs
// it when missing).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../pipeline/helpers.ts';
import { BIN, cliHome } from './run-cli.ts';

function inTerminal(args: string[]): { code: number | null; shown: string } {
  const { dir, db } = cliHome();
  const command = [process.execPath, BIN, ...args, '--db', db].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd: repoRoot,
    env: { ...process.env, GEX_DESK_HOME: dir },
    encoding: 'utf8',
    // Nothing is typed: a command waiting for input would wait until this kills it.
    timeout: 30_000,
    input: '',
  });
  return { code: r.status, shown: r.stdout };
}

describe('in a terminal', () => {
  it.each([
    [['ingest', '-'], /ingest -: nothing is piped in; give a FILE, or pipe a chain in/],
    [
      ['ingest', '--manifest', '-'],
      /ingest --manifest -: nothing is piped in; give a manifest FILE, or pipe its lines in/,
    ],
    [
      ['rules', 'check', '-'],
      /rules check -: nothing is piped in; give a rule FILE, or pipe the rules in/,
    ],
    [
      ['export', 'anyid', '--format', 'parquet', '--out', '-'],
      /Parquet is binary; pipe or redirect it \(> FILE\), or give --out FILE/,
    ],
  ])('%j is a usage error that says what to give', (args, message) => {
    const r = inTerminal(args);
    expect(r.shown).toMatch(message);
    expect(r.code, r.shown).toBe(2);
  });
});
