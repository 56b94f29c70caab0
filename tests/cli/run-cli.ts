// Runs the real `gex-desk` command (bin/gex-desk.js) in a child process, with its own
// temporary home so that no user's config or database is touched.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../electron/engine/store/db.ts';
import { repoRoot } from '../pipeline/helpers.ts';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** stdout as written (an export's Parquet). */
  stdoutBytes: Buffer;
  stderr: string;
  /** stdout parsed as JSON Lines. */
  lines: Record<string, unknown>[];
}

export const BIN = join(repoRoot, 'bin', 'gex-desk.js');

export function cliHome(): { dir: string; db: string; args: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'gex-cli-'));
  const db = join(dir, 'gex.duckdb');
  return { dir, db, args: ['--db', db] };
}

/**
 * A home whose database exists, empty, as a store is before its first ingest: a command
 * that only reads refuses a --db where no database is (cli/api.ts, READS), so a test that
 * reads an empty store makes it first.
 */
export async function cliStore(): Promise<ReturnType<typeof cliHome>> {
  const home = cliHome();
  const opened = await Store.open(home.db);
  if (!opened.ok) throw new Error(opened.error.message);
  await opened.value.close();
  return home;
}

export function runCli(
  args: string[],
  opts: {
    input?: string;
    env?: NodeJS.ProcessEnv;
    home?: string;
    cwd?: string;
    /** Told of each piece of stdout as it comes (to act on observed progress). */
    onStdout?: (text: string) => void;
    /** Told of each piece of stderr as it comes. */
    onStderr?: (text: string) => void;
  } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const home = opts.home ?? mkdtempSync(join(tmpdir(), 'gex-home-'));
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? repoRoot,
      // An ingest's progress lines only after 10 min (10 s by default): a loaded machine
      // adds none to a test's stderr (tests/cli/ingest-status.test.ts sets its own).
      env: {
        ...process.env,
        GEX_DESK_HOME: home,
        GEX_DESK_WORKERS: '1',
        GEX_DESK_PROGRESS_MS: '600000',
        ...opts.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      chunks.push(d);
      opts.onStdout?.(d.toString());
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      opts.onStderr?.(d.toString());
    });
    child.on('error', reject);
    // A command may stop reading its input before the end (a chain piped in past its limit,
    // or onto a full disk): the rest of it is then not delivered, which is no failure here.
    child.stdin.on('error', () => undefined);
    child.on('close', (code, signal) => {
      const stdoutBytes = Buffer.concat(chunks);
      const stdout = stdoutBytes.toString();
      // JSON Lines output; other text (tables, a rule file's lines) is left out.
      const lines = stdout.split('\n').flatMap((l) => {
        if (!l.startsWith('{')) return [];
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
      resolve({ code, signal, stdout, stdoutBytes, stderr, lines });
    });
    child.stdin.end(opts.input ?? '');
  });
}
