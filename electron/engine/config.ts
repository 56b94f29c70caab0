// Where the engine keeps its files and how it computes GEX: defaults, then the config
// file, then environment variables, then explicit options (the CLI's flags), validated
// once so that the rest of the engine can trust every value.
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import type { InboxFrom } from '../../shared/api/engine.ts';
import { GexConventions } from '../../shared/domain.ts';
import { ReadLimits } from '../../shared/limits.ts';
import { err, ok, type Result, messageOf } from '../../shared/result.ts';
import { makePrivateDirs } from './private-files.ts';
import { checkConventions } from './pipeline/conventions.ts';
import { MAX_WORKERS } from '../../shared/workers.ts';
import { DEFAULT_DB_FILE } from './store/database-file.ts';
import type { StoreOptions } from './store/db.ts';
import { checkEnv, envNumber, envPath, type PathVar } from './env.ts';
import { userDataDir } from './user-folder.ts';

export { APP_NAME, userDataDir } from './user-folder.ts';

/**
 * Longest `latencyWindowMs`: a year. Far beyond any use, and far below what a date can
 * hold (the queue's window starts `latencyWindowMs` before now: from about 8.64e15 ms
 * that is no date, and `queue` failed with "Invalid time value").
 */
export const MAX_LATENCY_WINDOW_MS = 365 * 24 * 3_600_000;
/** Longest `keepStagedHours`: ten years (hours past about 2.4e12 are no date either). */
export const MAX_KEEP_STAGED_HOURS = 10 * 366 * 24;

export const Config = z.object({
  dbPath: z.string().min(1),
  dataDir: z.string().min(1),
  inbox: z.string().min(1),
  workers: z.number().int().min(1).max(MAX_WORKERS),
  /** V8 heap limit of each pipeline worker, MiB. */
  workerHeapMb: z.number().int().min(64),
  /** How long a finished job's latency counts in the queue's percentiles (a year at most). */
  latencyWindowMs: z
    .number()
    .int()
    .positive()
    .max(MAX_LATENCY_WINDOW_MS, `at most ${MAX_LATENCY_WINDOW_MS} (a year)`),
  /** Largest upload the browser host accepts. */
  maxUploadBytes: z.number().int().positive(),
  /** What a file may hold: size, columns, rows, line length (shared/limits.ts). */
  limits: ReadLimits,
  /** How long a failed or cancelled job keeps its staged bytes for a retry (0: not at all). */
  keepStagedHours: z
    .number()
    .nonnegative()
    .max(MAX_KEEP_STAGED_HOURS, `at most ${MAX_KEEP_STAGED_HOURS} (ten years)`),
  conventions: GexConventions,
  /** Other workstations' export folders, read read-only beside the store by history and levels. */
  attach: z.array(z.string().min(1)).default([]),
  /** The config file consulted (it need not exist); settings changed from the app are kept there. */
  configFile: z.string().default(''),
  /**
   * Where each path setting given came from (`--db`, `GEX_DESK_DB`, `dbPath in FILE`),
   * for messages; a default one is absent.
   */
  origins: z
    .object({ dbPath: z.string(), dataDir: z.string(), inbox: z.string() })
    .partial()
    .optional(),
});
export type Config = z.infer<typeof Config>;

/**
 * The config file's shape: every field optional, paths relative to the file. Strict: a
 * misspelt setting (`"wrokers": 2`, `"exchange_timezone"`) is said, not silently ignored.
 */
const ConfigFile = Config.omit({ configFile: true, origins: true })
  .partial()
  .extend({
    conventions: GexConventions.partial().strict().optional(),
    limits: ReadLimits.partial().strict().optional(),
  })
  .strict();

export interface ConfigOverrides {
  dbPath?: string;
  dataDir?: string;
  inbox?: string;
  workers?: number;
  configFile?: string;
  /** Export folders attached for this run, beside the config file's. */
  attach?: string[];
}

/**
 * Pipeline workers when none are configured: one per core but one. The engine's own
 * process needs about a core while files arrive (captures, DuckDB's commits and snapshot
 * inserts: about 11 ms of CPU an arrival and 40–50 ms a stored snapshot), so on two cores
 * a second worker only shares the machine three ways. Measured with the 600-file bursts
 * (docs/bursts.md): with one worker CRITICAL took 0.6–1.4 s at the median and 1.8–2.5 s
 * at worst, with two 1.3–1.9 s and 2.7–2.9 s; the whole burst took as long either way.
 */
export const defaultWorkers = (cores = availableParallelism()): number => Math.max(1, cores - 1);

/**
 * DuckDB's threads in the engine: the cores the pipeline workers leave, at least one.
 * The engine's statements are small (a job's row, a snapshot's 10,000 cells), and DuckDB
 * spreading each over every core costs more than it gains while the workers want those
 * cores: measured on 150 SPX-size snapshots stored on 2 cores, inserting a snapshot's
 * cells took 14 ms with two threads and 8 ms with one, and the engine's CPU a file fell
 * by a third (docs/performance.md). DuckDB's configuration is locked once the store is
 * open, so this is fixed for the engine's life.
 */
export const storeThreads = (workers: number, cores = availableParallelism()): number =>
  Math.max(1, cores - workers);

/**
 * How a process opens the store of `cfg`: the folders DuckDB may use, where the database's
 * path came from (for a refusal's message), and DuckDB's threads. `workers`: the pipeline
 * workers this process runs beside it — the engine's `cfg.workers`, whose cores DuckDB
 * leaves them (storeThreads); 0 for a one-shot command that serves the store alone, where
 * nothing competes and DuckDB keeps its default, a thread per core.
 */
export function storeOpenOptions(
  cfg: Pick<Config, 'dataDir' | 'attach' | 'origins'>,
  workers: number,
): StoreOptions {
  return {
    allowedDirectories: [cfg.dataDir, ...cfg.attach],
    origin: originOf(cfg, 'dbPath'),
    ...(workers > 0 ? { threads: storeThreads(workers) } : {}),
  };
}

const ENV = {
  GEX_DESK_DB: 'dbPath',
  GEX_DESK_DATA_DIR: 'dataDir',
  GEX_DESK_INBOX: 'inbox',
} as const satisfies Partial<Record<PathVar, PathSetting>>;

/** The settings that are paths, and the flag that names each on the command line. */
type PathSetting = 'dbPath' | 'dataDir' | 'inbox';
const FLAG: Record<PathSetting, string | undefined> = {
  dbPath: '--db',
  dataDir: '--data-dir',
  inbox: undefined,
};

export function loadConfig(
  overrides: ConfigOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
): Result<Config> {
  const checkedEnv = checkEnv(env);
  if (!checkedEnv.ok) return checkedEnv;
  const home = userDataDir(env);
  const namedByEnv =
    overrides.configFile === undefined ? envPath(env, 'GEX_DESK_CONFIG') : undefined;
  const configFile = overrides.configFile ?? namedByEnv ?? join(home, 'config.json');
  const fileNamed = namedByEnv
    ? `The config file ${configFile} (GEX_DESK_CONFIG)`
    : `The config file ${configFile}`;
  const origins: Partial<Record<PathSetting, string>> = {};
  let fromFile: z.infer<typeof ConfigFile> = {};
  const st = statSync(configFile, { throwIfNoEntry: false });
  // Named by the variable, the file is meant: without it, the defaults' figures would
  // be computed under other conventions than the analyst chose, without a word.
  if (!st && namedByEnv)
    return err(
      'VALIDATION',
      `GEX_DESK_CONFIG names the config file ${configFile}, which does not exist: create it, or unset GEX_DESK_CONFIG to use the per-user file ${join(home, 'config.json')}`,
      { file: configFile, field: 'GEX_DESK_CONFIG' },
    );
  if (st?.isDirectory())
    return err('VALIDATION', `${fileNamed} is a folder, not a file: name the JSON file in it`, {
      file: configFile,
    });
  if (st) {
    let raw: unknown;
    try {
      raw = JSON.parse(readConfigText(configFile));
    } catch (e) {
      return err('VALIDATION', `${fileNamed} is not valid JSON: ${messageOf(e)}`, {
        file: configFile,
      });
    }
    const parsed = ConfigFile.safeParse(raw);
    if (!parsed.success)
      return err('VALIDATION', `${fileNamed}: ${describe(parsed.error)}`, {
        file: configFile,
      });
    fromFile = parsed.data;
    for (const key of ['dbPath', 'dataDir', 'inbox'] as const) {
      const v = fromFile[key];
      if (!v) continue;
      fromFile[key] = resolve(dirname(configFile), v);
      origins[key] = `${key} in ${resolve(configFile)}`;
    }
    if (fromFile.attach)
      fromFile.attach = fromFile.attach.map((d) => resolve(dirname(configFile), d));
  }
  const fromEnv: ConfigOverrides = {};
  for (const [name, key] of Object.entries(ENV)) {
    const v = envPath(env, name as PathVar);
    if (v === undefined) continue;
    fromEnv[key] = v;
    origins[key] = name;
  }
  const workers = envNumber(env, 'GEX_DESK_WORKERS');
  if (workers.ok && workers.value !== undefined) fromEnv.workers = workers.value;
  const explicit = Object.fromEntries(
    Object.entries(overrides).filter(
      ([k, v]) => v !== undefined && k !== 'configFile' && k !== 'attach',
    ),
  ) as ConfigOverrides;
  for (const key of ['dbPath', 'dataDir', 'inbox'] as const) {
    const v = explicit[key];
    if (v === undefined) continue;
    // Not the current folder: a script's empty variable (`--db "$DB"`) must not make it so.
    if (!v.trim())
      return err('VALIDATION', `${FLAG[key] ?? key} needs a path, not ${JSON.stringify(v)}`, {
        field: key,
      });
    origins[key] = FLAG[key] ?? key;
  }
  const blankAttach = (overrides.attach ?? []).find((d) => !d.trim());
  if (blankAttach !== undefined)
    return err('VALIDATION', `--attach needs a folder, not ${JSON.stringify(blankAttach)}`, {
      field: 'attach',
    });
  const merged = { ...fromFile, ...fromEnv, ...explicit } as Partial<Config>;
  // Checked now, not at the first file's run (an unknown time zone refused every file);
  // the defaults are valid as they are (and checking a zone loads ICU's data).
  const conventions = fromFile.conventions
    ? checkConventions(configFile, fromFile.conventions)
    : ok(GexConventions.parse({}));
  if (!conventions.ok)
    return err('VALIDATION', `${fileNamed}: ${conventions.error.message}`, {
      file: configFile,
      field: conventions.error.field,
    });
  const dbPath = resolve(merged.dbPath ?? join(home, DEFAULT_DB_FILE));
  const candidate = {
    dbPath,
    dataDir: resolve(merged.dataDir ?? join(dirname(dbPath), 'data')),
    inbox: resolve(merged.inbox ?? join(dirname(dbPath), 'inbox')),
    workers: merged.workers ?? defaultWorkers(),
    workerHeapMb: merged.workerHeapMb ?? 1024,
    latencyWindowMs: merged.latencyWindowMs ?? 15 * 60_000,
    maxUploadBytes: merged.maxUploadBytes ?? 512 * 1024 * 1024,
    limits: ReadLimits.parse(fromFile.limits ?? {}),
    keepStagedHours: merged.keepStagedHours ?? 72,
    conventions: conventions.value,
    attach: [...(fromFile.attach ?? []), ...(overrides.attach ?? []).map((d) => resolve(d))],
    configFile: resolve(configFile),
    origins,
  };
  const parsed = Config.safeParse(candidate);
  if (!parsed.success) return err('VALIDATION', `Invalid configuration: ${describe(parsed.error)}`);
  return ok(parsed.data);
}

/**
 * Where a path setting of `cfg` came from, as a message says it: `--data-dir`,
 * `GEX_DESK_DATA_DIR`, `dataDir in /…/config.json`; undefined for the default.
 */
export function originOf(cfg: Pick<Config, 'origins'>, key: PathSetting): string | undefined {
  return cfg.origins?.[key];
}

/**
 * Where the inbox folder of `cfg` came from, as `inbox:get` says it (shared InboxStatus
 * `from`): undefined when its starter named it (an override, no flag of the command line).
 */
export function inboxFrom(cfg: Pick<Config, 'origins'>): InboxFrom | undefined {
  const origin = cfg.origins?.inbox;
  if (origin === undefined) return 'default';
  if (origin === 'GEX_DESK_INBOX') return 'env';
  return origin.startsWith('inbox in ') ? 'config' : undefined;
}

/**
 * A config file's text. A byte-order mark before the JSON (Windows Notepad writes one)
 * is no part of it: JSON.parse refused such a file as "not valid JSON".
 */
function readConfigText(file: string): string {
  return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
}

/**
 * Keeps one setting in the config file (an absolute path for a folder), leaving the rest
 * of the file as it was: read, changed, written beside it and renamed over it. A file
 * that is not a JSON object is never overwritten.
 */
export function saveConfigValue(configFile: string, key: 'inbox', value: string): Result<void> {
  let current: Record<string, unknown> = {};
  try {
    if (existsSync(configFile)) {
      const parsed: unknown = JSON.parse(readConfigText(configFile));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        return err(
          'VALIDATION',
          `The config file ${configFile} is not a JSON object; it was left as it is.`,
          { file: configFile },
        );
      current = parsed as Record<string, unknown>;
    }
  } catch (e) {
    return err(
      'VALIDATION',
      `The config file ${configFile} is not valid JSON (${messageOf(e)}); it was left as it is.`,
      { file: configFile },
    );
  }
  const next = { ...current, [key]: value };
  const temp = `${configFile}.${process.pid}.tmp`;
  try {
    makePrivateDirs(dirname(configFile));
    writeFileSync(temp, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
    renameSync(temp, configFile);
    return ok(undefined);
  } catch (e) {
    rmSync(temp, { force: true });
    return err('IO', `Cannot write the config file ${configFile}: ${messageOf(e)}`, {
      file: configFile,
    });
  }
}

function describe(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${issueText(i)}` : issueText(i)))
    .join('; ');
}

/** An issue in words; an unknown setting with the ones that exist where it stands. */
function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'unrecognized_keys') return issue.message;
  const known = knownSettings(issue.path);
  const names = issue.keys.map((k) => `"${k}"`).join(', ');
  return `${issue.keys.length === 1 ? 'no setting' : 'no settings'} ${names}${known ? `; the settings here are ${known.join(', ')}` : ''}`;
}

function knownSettings(path: PropertyKey[]): string[] | null {
  if (path.length === 0) return Object.keys(ConfigFile.shape);
  if (path[0] === 'conventions') return Object.keys(GexConventions.shape);
  if (path[0] === 'limits') return Object.keys(ReadLimits.shape);
  return null;
}
