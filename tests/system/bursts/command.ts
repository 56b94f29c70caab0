// Running the real `gex-desk` command (bin/gex-desk.js) the way a user does, in a child
// process with the engine's defaults (one worker per core but one, and the spare), while watching its
// log and staging folder; then reading what it left: `gex-desk jobs --json`, and — once
// the command has exited, as an analyst may query the file — the `jobs` and `audit_log`
// tables for what `jobs --json` does not print (decided_at, content hashes, the trail).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { BIN } from '../../cli/run-cli.ts';
import { repoRoot } from '../../pipeline/helpers.ts';
import { LogWatcher, StagingWatcher } from './observe.ts';
import { ownFolder } from '../../../electron/engine/own-folder.ts';

/** One line of `gex-desk ingest --json`. */
export interface IngestLine {
  file: string;
  request_id: string | null;
  job_id?: string | null;
  status: string;
  priority: string | null;
  rule: string | null;
  latency_ms: number | null;
  snapshot?: Record<string, unknown>;
  error?: { code: string; message: string };
}

export interface Home {
  dir: string;
  db: string;
  dataDir: string;
  log: string;
  staging: string;
  /** GEX_DESK_HOME: no user's config is read. */
  home: string;
}

export function newHome(prefix = 'gex-burst-'): Home {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const dataDir = join(dir, 'data');
  const home = join(dir, 'home');
  mkdirSync(home);
  return {
    dir,
    db: join(dir, 'gex.duckdb'),
    dataDir,
    log: join(dataDir, 'logs', 'gex-desk.log'),
    staging: ownFolder(dataDir, join(dir, 'gex.duckdb'), 'staging'),
    home,
  };
}

/** For onTestFinished: removes a home once its test passed (a failed test's files stay for a look). */
export const cleanUp =
  (home: Home) =>
  ({ task }: { task: { result?: { state?: string } } }): void => {
    if (task.result?.state === 'pass') rmSync(home.dir, { recursive: true, force: true });
  };

/** The environment of a user who configured nothing (GEX_DESK_* left out). */
function userEnv(home: Home, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GEX_DESK_')) env[k] = v;
  return { ...env, GEX_DESK_HOME: home.home, ...extra };
}

export interface Running {
  child: ChildProcess;
  spawnedAtMs: number;
  log: LogWatcher;
  staging: StagingWatcher;
  /** Resolves when the process has exited. */
  exited: Promise<Exited>;
}

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  lines: IngestLine[];
}

/** Starts `gex-desk <args> --db <db>` and watches it. */
export function startCommand(
  home: Home,
  args: string[],
  /** `group`: the command leads a process group of its own, as a terminal's job does (Ctrl-C reaches all of it). */
  opts: { env?: NodeJS.ProcessEnv; group?: boolean } = {},
): Running {
  mkdirSync(dirname(home.log), { recursive: true });
  mkdirSync(home.staging, { recursive: true });
  const log = new LogWatcher(home.log);
  const staging = new StagingWatcher(home.staging);
  const spawnedAtMs = Date.now();
  const child = spawn(process.execPath, [BIN, ...args, '--db', home.db], {
    cwd: repoRoot,
    env: userEnv(home, opts.env ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.group ?? false,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Exited>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      log.stop();
      staging.stop();
      const lines = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as IngestLine);
      resolve({ code, signal, stdout, stderr, lines });
    });
  });
  return { child, spawnedAtMs, log, staging, exited };
}

/** Runs a command to its end and returns its JSON lines (`jobs --json`, …). */
export async function runCommand(home: Home, args: string[]): Promise<Exited> {
  const r = startCommand(home, args);
  return r.exited;
}

/** A row of `gex-desk jobs --json`, with what only the table holds added. */
export interface JobRecord {
  id: string;
  request_id: string;
  file: string;
  underlying: string | null;
  priority: string;
  effective_priority: string;
  status: string;
  submitted_at: string;
  started_at: string | null;
  finished_at: string | null;
  attempts: number;
  rule: string;
  error: { code: string; message: string } | null;
  snapshot_id: string | null;
  /** From the table (jobs --json prints it too once it does). */
  decided_at: string | null;
  content_hash: string | null;
}

export interface TrailEntry {
  job_id: string;
  kind: string;
  atMs: number;
  priority: string | null;
  /** A decision after a facts read: when that read started (the engine records it). */
  readStartedAtMs: number | null;
}

export interface Outcome {
  jobs: JobRecord[];
  /** `jobs --json` printed decided_at itself. */
  decidedAtPrinted: boolean;
  trail: TrailEntry[];
}

/** `gex-desk jobs --json`, completed from the database file once no command holds it. */
export async function readOutcome(home: Home): Promise<Outcome> {
  const listed = await runCommand(home, ['jobs', '--json']);
  if (listed.code !== 0) throw new Error(`gex-desk jobs exited ${listed.code}: ${listed.stderr}`);
  const printed = listed.lines as unknown as (JobRecord & { decided_at?: string | null })[];
  const instance = await DuckDBInstance.create(home.db, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    const q = async <T>(sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as T[];
    const rows = await q<{ id: string; decided: number | bigint | null; hash: string | null }>(
      'SELECT id, epoch_ms(decided_at) AS decided, content_hash AS hash FROM jobs',
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const jobs = printed.map((j): JobRecord => {
      const r = byId.get(j.id);
      const decided =
        j.decided_at !== undefined
          ? j.decided_at
          : r?.decided == null
            ? null
            : new Date(Number(r.decided)).toISOString();
      return { ...j, decided_at: decided, content_hash: r?.hash ?? null };
    });
    const trail = (
      await q<{
        job_id: string;
        kind: string;
        at: number | bigint;
        priority: string | null;
        read: string | null;
      }>(
        `SELECT job_id, kind, epoch_ms(recorded_at) AS at, priority, facts->>'read_started_at' AS read
         FROM audit_log WHERE job_id IS NOT NULL ORDER BY id`,
      )
    ).map((e) => ({
      job_id: e.job_id,
      kind: e.kind,
      atMs: Number(e.at),
      priority: e.priority,
      readStartedAtMs: e.read ? Date.parse(e.read) : null,
    }));
    return { jobs, decidedAtPrinted: printed.some((j) => j.decided_at !== undefined), trail };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
