import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { JobStatus } from '../../shared/domain.ts';
import { JOB_STATUSES } from '../../electron/host/cli/usage.ts';
import { defaultRulesText } from '../../electron/engine/rules/index.ts';
import { serveLocal } from '../../electron/host/local/endpoint.ts';
import { startTestEngine } from '../desktop/engine.ts';
import { BIN, cliStore } from './run-cli.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { repoRoot } from '../pipeline/helpers.ts';

const TRACE = fileURLToPath(new URL('./module-trace.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gex-cold-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** As `loaded`, without blocking this process (which may be serving the command). */
async function loadedAsync(args: string[]): Promise<{ code: number | null; modules: string[] }> {
  const trace = join(dir, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const child = spawn(process.execPath, ['--import', TRACE, BIN, ...args], {
    cwd: repoRoot,
    env: { ...process.env, GEX_DESK_HOME: join(dir, 'home'), GEX_MODULE_TRACE: trace },
    stdio: 'ignore',
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, modules: readFileSync(trace, 'utf8').split('\n') };
}

/** Runs the real command with a module trace; returns the exit code and every module it loaded. */
function loaded(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { code: number | null; modules: string[] } {
  const trace = join(dir, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const r = spawnSync(process.execPath, ['--import', TRACE, BIN, ...args], {
    cwd: repoRoot,
    env: { ...process.env, GEX_DESK_HOME: join(dir, 'home'), GEX_MODULE_TRACE: trace, ...env },
    encoding: 'utf8',
  });
  return { code: r.status, modules: readFileSync(trace, 'utf8').split('\n') };
}

const HEAVY = {
  duckdb: /@duckdb\//,
  polars: /nodejs-polars/,
  zod: /node_modules\/zod\//,
  engine: /electron\/engine\/engine\.ts$/,
  pool: /electron\/engine\/workers\/pool\.ts$/,
  scheduler: /electron\/engine\/jobs\/scheduler\.ts$/,
  // Not the configuration's check of its conventions (two modules with no imports of their own).
  pipeline: /electron\/engine\/pipeline\/(?!conventions\.ts$|time\.ts$)/,
  http: /electron\/host\/(serve|http\/)/,
  /** The client of a running engine's local endpoint, and the WebSocket library it uses. */
  remote: /electron\/host\/local\/client\.ts$|node_modules\/ws\//,
};
const hits = (modules: string[], ...which: (keyof typeof HEAVY)[]) =>
  which.filter((k) => modules.some((m) => HEAVY[k].test(m)));

describe('cold start of the command line', () => {
  it('prints --help without loading DuckDB, zod or any of the engine', () => {
    const r = loaded(['--help']);
    expect(r.code).toBe(0);
    expect(
      hits(r.modules, 'duckdb', 'zod', 'polars', 'engine', 'pool', 'scheduler', 'pipeline', 'http'),
    ).toEqual([]);
  });

  it('lists jobs, snapshots, sources and the audit trail from the store alone: no engine, pool, scheduler, pipeline or Polars', async () => {
    const { db } = await cliStore(); // a command that only reads creates no database
    for (const command of ['jobs', 'snapshots', 'sources', 'audit']) {
      const r = loaded([command, '--db', db]);
      expect(r.code).toBe(0);
      expect(hits(r.modules, 'duckdb')).toEqual(['duckdb']); // the test sees the store was read
      expect(
        hits(r.modules, 'polars', 'engine', 'pool', 'scheduler', 'pipeline', 'http', 'remote'),
      ).toEqual([]);
    }
  });

  it('lists jobs through a running engine without loading DuckDB at all', async () => {
    const te = await startTestEngine({ runJobs: false });
    const home = join(dir, 'home');
    const local = await serveLocal(te.engine, { home, host: 'test' });
    try {
      const r = await loadedAsync(['jobs', '--db', te.engine.config.dbPath]);
      expect(r.code).toBe(0);
      expect(hits(r.modules, 'remote')).toEqual(['remote']);
      expect(
        hits(r.modules, 'duckdb', 'polars', 'engine', 'pool', 'scheduler', 'pipeline'),
      ).toEqual([]);
    } finally {
      await local.close();
      await te.stop();
    }
  });

  it('ingests without loading Polars in the engine process (only its workers need it)', () => {
    const file = join(dir, 'chain.csv');
    writeCboeCsv(file, { seed: 3, underlying: 'QQQ', expiries: 2, strikesPerExpiry: 5 });
    const r = loaded(['ingest', file, '--db', join(dir, 'ingest.duckdb')]);
    expect(r.code).toBe(0);
    expect(hits(r.modules, 'engine', 'pool', 'scheduler')).toEqual(['engine', 'pool', 'scheduler']);
    expect(hits(r.modules, 'polars', 'http')).toEqual([]);
  });

  it('checks a rule file without DuckDB or the engine', () => {
    const file = join(dir, 'rules.txt');
    writeFileSync(file, defaultRulesText());
    const r = loaded(['rules', 'check', file]);
    expect(r.code).toBe(0);
    expect(hits(r.modules, 'duckdb', 'polars', 'engine', 'pool', 'scheduler', 'pipeline')).toEqual(
      [],
    );
  });

  it('fills the per-user compile cache on the first run', () => {
    const cache = join(dir, 'xdg-cache');
    expect(loaded(['--help'], { XDG_CACHE_HOME: cache }).code).toBe(0);
    const [version] = readdirSync(join(cache, 'gex-desk', 'compile-cache'));
    expect(readdirSync(join(cache, 'gex-desk', 'compile-cache', version!)).length).toBeGreaterThan(
      0,
    );
  });

  it('names in its usage the same job states as the schema', () => {
    expect([...JOB_STATUSES]).toEqual(JobStatus.options);
  });
});
