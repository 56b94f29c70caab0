// The one way a command reaches the engine. A command is written once, against the API
// map (api-client.ts), and runs the same in both cases:
//  - an engine already runs on its database (the desktop app, `gex-desk serve`): the
//    command talks to it through its local endpoint (find-engine.ts, ../local/);
//  - none runs: the command opens the database itself, as it always did, and serves the
//    API map in its own process through the same validating dispatcher, under the same
//    `local` transport policy. `needs` says how much of an engine that takes: the store
//    alone (listings, rules, sources, audit: fast to start) or a whole engine with
//    workers (ingest, queue --drain).
// A command that only reads (`READS`) never creates the database: a path named by --db,
// GEX_DESK_DB or the config file where nothing is stored is a usage error that says so
// (a typo answered "no snapshots" and left an empty database behind), and the per-user
// database not made yet (no ingest so far) reads as an empty store, held in memory.
// When another command holds the database (one that opened it itself), this one waits
// for it to end, saying so on stderr (local/wait-for-command.ts). Only when the database
// is held by something that does not answer (or a command past that wait) does a
// command fail, with DB_LOCKED (exit 3) and a message that says who holds it: at once,
// unless GEX Desk said it is starting on it (local/opening.ts), which gets a grace.
import { existsSync, realpathSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { join, resolve } from 'node:path';
import type { CallHandlers, CallName, CallRequest, CallResponse } from '../../../shared/api.ts';
import { changesText } from '../../../shared/conventions-compare.ts';
import { err, ok, type AppError, type Result } from '../../../shared/result.ts';
import type { Config, ConfigOverrides } from '../../engine/config.ts';
import type { EngineOptions } from '../../engine/engine.ts';
import type { EngineEvents } from '../../engine/events.ts';
import type { Store } from '../../engine/store/db.ts';
import type { PoolChoices } from '../../engine/workers/engine-pool.ts';
import type { WorkerPool } from '../../engine/workers/pool.ts';
import type { ApiClient } from './api-client.ts';
import { findEngine, type Found } from './find-engine.ts';
import type { Opening } from '../local/opening.ts';
import { UsageError, type ExitCode, type Output, refuse } from './io.ts';
import { makeDirs } from '../../engine/make-dirs.ts';

export type { ApiClient } from './api-client.ts';

/** What a command needs of its own engine when none runs on its database. */
export type LocalNeeds = (
  | {
      kind: 'store';
      /** It only reads: it must not create the database (see `READS`). */
      onlyExisting?: boolean;
    }
  | {
      kind: 'engine';
      options: Omit<EngineOptions, 'dbPath' | 'dataDir' | 'transport'>;
      /** It has files computed (ingest, jobs retry): under its config's conventions. */
      computes?: boolean;
    }
) & {
  /**
   * What it does goes to (or comes from) the data folder: a snapshot's exports, captured
   * bytes (ingest, jobs retry, queue --drain), the export files a removal deletes
   * (snapshots remove). Beside a running engine, only such a command is refused a data
   * folder other than the engine's: the others do the same whatever folder is named.
   */
  dataFolder?: true;
};

/** The needs of a command that only reads: the store, and only one that exists. */
export const READS = { kind: 'store', onlyExisting: true } as const satisfies LocalNeeds;

export interface ApiSession {
  api: ApiClient;
  /**
   * `last`: what the command still asks through the API before it is closed — for an
   * engine of this process, once its running jobs have finished and before its database
   * closes (by the shutdown's deadline).
   */
  close(last?: () => Promise<unknown>): Promise<void>;
}

/** `last` (ApiSession.close), its failure left to the close that follows. */
const before = async (last?: () => Promise<unknown>): Promise<void> => {
  await last?.().catch(() => undefined);
};

/**
 * After DB_LOCKED, how long an engine that said it is starting on the database
 * (opening.ts) is waited for in silence; then the command says on stderr that it waits,
 * up to GEX_DESK_LOCK_WAIT_MS in all while that process lives and still says it is
 * starting. Any other holder gets no wait.
 */
const LOCK_GRACE_MS = 1500;

/**
 * The API for a command: the running engine's, or one served in this process. For a
 * command that only reads (`needs.onlyExisting`), with no engine running and no database
 * file, nothing is created: the per-user database (none made yet) is an empty store held
 * in memory, and a path named otherwise a usage error (UsageError, exit 2) that names it.
 * `onWait`: told when the command starts waiting for another that holds the database;
 * `signal`: ends that wait (CANCELLED, nothing opened).
 */
export async function openApi(
  overrides: ConfigOverrides,
  needs: LocalNeeds,
  opts: {
    onWait?: (line: string) => void;
    /** Told what the command's options do not change beside a running engine (--workers). */
    onNote?: (line: string) => void;
    signal?: AbortSignal;
  } = {},
): Promise<Result<ApiSession>> {
  const { loadConfig, userDataDir } = await import('../../engine/config.ts');
  const [{ commandHolding, lockWaitMs, startAfterCommands }, { lockPidOf, openingHolder }] =
    await Promise.all([import('../local/wait-for-command.ts'), import('../local/opening.ts')]);
  const config = loadConfig(overrides);
  if (!config.ok) return config;
  const cfg = config.value;
  await refuseNotADatabase(cfg);
  const home = userDataDir();
  const first: Found = await findEngine(home, cfg.dbPath);
  if (first.state === 'live') return liveSession(first, cfg, overrides, needs, opts.onNote);
  if (needs.kind === 'store' && needs.onlyExisting && !existsSync(cfg.dbPath))
    return emptyStore(cfg, overrides, home);
  const attempt = async (): Promise<Result<ApiSession>> => {
    const local = await openLocal(cfg, overrides, needs, home);
    if (local.ok || local.error.code !== 'DB_LOCKED') return local;
    // An engine starting on the database takes it a moment before its endpoint is up,
    // and a command that has just opened it, before its holder note is written: either
    // said it was opening it (opening.ts), and only such a holder is waited for. Anything
    // else — a plain DuckDB process, GEX Desk of another user or version — is said at
    // once, and an engine that has already had its time to answer is not asked again
    // (which doubled the wait before the command said so).
    const lockPid = lockPidOf(local.error.message);
    let since = 0;
    for (; ; await delay(100)) {
      const found = first.state === 'silent' ? first : await findEngine(home, cfg.dbPath);
      if (found.state === 'live') return liveSession(found, cfg, overrides, needs, opts.onNote);
      if (commandHolding(home, local.error)) return local; // waited for by startAfterCommands
      const starting = found.state === 'none' && openingHolder(home, cfg.dbPath, lockPid);
      if (starting && starting.kind === 'command') return local; // its note comes: startAfterCommands
      // The engine waited for stopped starting (its start failed, or it was ended) without
      // putting up its endpoint: the database may be free again.
      if (!starting && since && found.state === 'none') return attempt();
      const waited = Date.now() - (since ||= Date.now());
      if (!starting || waited >= Math.max(LOCK_GRACE_MS, lockWaitMs()))
        return err(
          'DB_LOCKED',
          lockedMessage(cfg.dbPath, found, local.error, home, starting, waited),
          { file: cfg.dbPath },
        );
      if (opts.signal?.aborted)
        return err(
          'CANCELLED',
          `interrupted while waiting for GEX Desk (PID ${starting.pid}) to start on the database ${cfg.dbPath}`,
          { file: cfg.dbPath },
        );
      // Alive and starting (opening the database, replaying its log, taking up its jobs):
      // waited for as a command holding it is, said once past the grace.
      if (waited >= LOCK_GRACE_MS && told !== starting.pid) {
        told = starting.pid;
        opts.onWait?.(
          `gex-desk: the database ${cfg.dbPath} is being opened by GEX Desk (PID ${starting.pid}, starting on it since ${starting.started_at}); waiting for it to start…`,
        );
      }
    }
  };
  let told = 0;
  return startAfterCommands(
    home,
    attempt,
    (line) => opts.onWait?.(`gex-desk: ${line}`),
    opts.signal,
  );
}

/**
 * A database path (--db, GEX_DESK_DB, dbPath in the config file) that names a folder or a
 * file that is not a DuckDB database (a chain's .csv): the call is wrong, not the machine,
 * so a usage error (exit 2) in the words the store refuses it with (database-file.ts), as
 * a path where nothing is stored is one (emptyStore). It was the store's IO refusal, exit
 * 3, "the environment failed", which a scheduler reads as "try again later".
 */
export async function refuseNotADatabase(cfg: Pick<Config, 'dbPath' | 'origins'>): Promise<void> {
  const { checkDatabaseFile } = await import('../../engine/store/database-file.ts');
  const named = checkDatabaseFile(cfg.dbPath, cfg.origins?.dbPath);
  if (!named.ok) throw new UsageError(named.error.message);
}

/**
 * How long a command waits for an engine that went away to end (its shutdown lets the
 * running jobs finish, within 10 s, then checkpoints) before it opens the database.
 */
const ENGINE_EXIT_WAIT_MS = 30_000;

/**
 * The API after `from`, a running engine, went away (the app quit or crashed) while the
 * command waited on work it had stored: once its process has ended, whatever
 * `openApi` finds — the app started again, or an engine of this process, which takes the
 * queued jobs up. Said on stderr, once. Null for this process's own engine, which is lost
 * only with its database (a full disk): nothing comes next.
 */
export async function nextApi(
  from: ApiClient,
  lost: AppError,
  overrides: ConfigOverrides,
  needs: LocalNeeds,
  out: Output,
): Promise<Result<ApiSession> | null> {
  if (from.enginePid === undefined) return null;
  out.error(
    `gex-desk: ${lost.message.replace(/\.?$/, '.')} What it took is stored: once it has let go of the database, this command goes on with what has not ended.`,
  );
  const { processAlive } = await import('../local/discovery.ts');
  for (const until = Date.now() + ENGINE_EXIT_WAIT_MS; processAlive(from.enginePid);) {
    if (Date.now() >= until) break;
    await delay(100);
  }
  let next: Result<ApiSession>;
  try {
    next = await openApi(overrides, needs, { onWait: (m) => out.error(m) });
  } catch (e) {
    // The app started again with another data folder than --data-dir names.
    if (!(e instanceof UsageError)) throw e;
    return err('CONFLICT', e.message);
  }
  return next;
}

/**
 * Runs `work` with the API and always closes it; a failure to reach it is reported with
 * its exit code (refuse: with the command's `json`, --json's error line too). `interrupt`:
 * its signal ends a wait for another command that holds the database, and its `stopped`
 * says what the command leaves and ends the process.
 */
export async function withApi(
  options: ConfigOverrides & { json?: boolean },
  out: Output,
  needs: LocalNeeds,
  work: (api: ApiClient, session: ApiSession) => Promise<ExitCode>,
  interrupt?: { signal: AbortSignal; stopped: () => never },
): Promise<ExitCode> {
  const { json, ...overrides } = options;
  const opened = await openApi(overrides, needs, {
    onWait: (m) => out.error(m),
    onNote: (m) => out.error(m),
    signal: interrupt?.signal,
  });
  if (!opened.ok) {
    if (interrupt?.signal.aborted && opened.error.code === 'CANCELLED') interrupt.stopped();
    return refuse(out, opened.error, json);
  }
  const session = opened.value;
  try {
    return await work(session.api, session);
  } finally {
    await session.close();
  }
}

/**
 * For a command that only reads, where no database file is: the per-user database (no
 * ingest made it yet) as the empty store it would be, in memory — nothing is written —,
 * and any other path, named by --db, GEX_DESK_DB or the config file, refused: nothing is
 * stored there, and the command says so rather than answer "none" from a database it made.
 */
async function emptyStore(
  cfg: Config,
  overrides: ConfigOverrides,
  home: string,
): Promise<Result<ApiSession>> {
  const { loadConfig } = await import('../../engine/config.ts');
  const { DEFAULT_DB_FILE } = await import('../../engine/store/database-file.ts');
  const perUser = resolve(home, DEFAULT_DB_FILE);
  if (cfg.dbPath !== perUser) {
    const origin = cfg.origins?.dbPath ?? '--db';
    // The database the command would read without the setting that named this one.
    const env = { ...process.env };
    if (origin === 'GEX_DESK_DB') delete env.GEX_DESK_DB;
    const without = origin.startsWith('dbPath in ')
      ? ok({ dbPath: perUser })
      : loadConfig({ ...overrides, dbPath: undefined }, env);
    const usual = without.ok ? without.value.dbPath : undefined;
    throw new UsageError(
      `no database at ${cfg.dbPath}: nothing is stored there. Check ${origin}${usual && usual !== cfg.dbPath ? ` (without it, gex-desk reads ${usual})` : ''}, or run \`gex-desk ingest\` to start one there.`,
    );
  }
  return openOwn({ ...cfg, dbPath: ':memory:' }, overrides, { kind: 'store' }, () => undefined);
}

function remoteSession(found: Extract<Found, { state: 'live' }>): ApiSession {
  return {
    api: found.client,
    close: async (last) => {
      await before(last);
      await found.client.close();
    },
  };
}

/**
 * The running engine's session, unless a command whose work goes to the data folder
 * (`needs.dataFolder`) names one other than the engine's — by --data-dir,
 * GEX_DESK_DATA_DIR or `dataDir` in its config file: its exports would go to the engine's
 * folder, not the one named (a command that only reads, or writes elsewhere — export's
 * --out —, is answered the same whatever folder it names, as it is with no engine
 * running; a scheduler's environment may set one while the analyst's app is open) — or,
 * for a command that has files
 * computed (`needs` an engine), reads other conventions than the engine computes with (it
 * read its config at its start): its snapshots would be the engine's conventions', not
 * those the command's config names. Either is refused as a usage error (exit 2) that
 * names both, and where the command's came from.
 */
async function liveSession(
  found: Extract<Found, { state: 'live' }>,
  cfg: Config,
  overrides: ConfigOverrides,
  needs: LocalNeeds,
  note?: (line: string) => void,
): Promise<Result<ApiSession>> {
  const session = await checkedLiveSession(found, cfg, overrides, needs);
  // --workers sizes an engine of this process: the running one keeps the workers it was
  // started with, which run the jobs. Said, not refused (the jobs run all the same).
  const asked = needs.kind === 'engine' ? needs.options.workers : undefined;
  if (session.ok && asked !== undefined) {
    const d = found.client.discovery;
    const theirs = found.health.workers;
    note?.(
      `gex-desk: --workers ${asked} is not used: GEX Desk (${d.host}, PID ${d.pid}) runs on this database, and the jobs run on its ${theirs} worker${theirs === 1 ? '' : 's'} (set when it started).`,
    );
  }
  return session;
}

/** The checks of liveSession (above): its session, or the usage error that refuses it. */
async function checkedLiveSession(
  found: Extract<Found, { state: 'live' }>,
  cfg: Config,
  overrides: ConfigOverrides,
  needs: LocalNeeds,
): Promise<Result<ApiSession>> {
  const origin = !needs.dataFolder
    ? undefined
    : overrides.dataDir === undefined
      ? cfg.origins?.dataDir
      : '--data-dir';
  const computes = needs.kind === 'engine' && needs.computes === true;
  if (origin === undefined && !computes) return ok(remoteSession(found));
  // Its health as it answered the probe: asked again, an engine going away (an app
  // quitting, a killed `serve`) between the two calls failed the command before it
  // submitted anything; its first submission is where a command notices that and goes on
  // in the engine that comes next (ingest-request.ts).
  const health = found.health;
  const d = found.client.discovery;
  const engineConventions = health.conventions;
  if (computes && engineConventions) {
    const differ = changesText(engineConventions, cfg.conventions);
    if (differ !== '') {
      await found.client.close();
      throw new UsageError(
        `The config this command reads (${cfg.configFile}) names other conventions than GEX Desk (${d.host}, PID ${d.pid}) computes with (${differ}, from GEX Desk's to this config's): it read its config when it started, and files ingested through it are computed under its own. Restart GEX Desk to take the changed conventions, or run the command with the config it started with.`,
      );
    }
  }
  if (origin === undefined) return ok(remoteSession(found));
  const theirs = health.data_dir;
  if (samePath(theirs, cfg.dataDir)) return ok(remoteSession(found));
  await found.client.close();
  const given =
    origin === '--data-dir'
      ? `--data-dir ${cfg.dataDir}`
      : origin.startsWith('GEX_DESK_')
        ? `${origin}=${cfg.dataDir}`
        : `${cfg.dataDir} (${origin})`;
  const leaveOut = origin.startsWith('dataDir in ') ? `dataDir in that file` : origin;
  throw new UsageError(
    `${given} is not the data folder of GEX Desk (${d.host}, PID ${d.pid}), which runs on the database ${cfg.dbPath} and writes its exports to ${theirs}: a command beside it cannot write elsewhere. Leave out ${leaveOut} (or give ${theirs}), or stop GEX Desk and run the command again.`,
  );
}

/** Whether two paths name the same folder (through links; one not made yet by its path). */
function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(a) === real(b);
}

/**
 * Why the database cannot be had. No engine found is not said to be no engine running:
 * one of another user, or of a GEX Desk without the mark beside the database (an older
 * version), may hold it unseen.
 */
function lockedMessage(
  db: string,
  found: Found,
  original: AppError,
  home: string,
  starting: Opening | null | false,
  waitedMs: number,
): string {
  if (starting)
    return `The database ${db} is held by GEX Desk (PID ${starting.pid}), which has been starting on it since ${starting.started_at} and has not put up its endpoint after ${Math.round(waitedMs / 100) / 10} s of waiting (GEX_DESK_LOCK_WAIT_MS). Wait for it to start, then run the command again.`;
  if (found.state === 'silent') {
    const d = found.discovery;
    return `The database ${db} is held by GEX Desk (${d.host}, PID ${d.pid}), which does not answer on ${d.endpoint}: ${found.reason}. Wait for it, or stop it, then run the command again.`;
  }
  const pid = /PID (\d+)/.exec(original.message)?.[1];
  return `The database ${db} is held by another process${pid ? ` (PID ${pid})` : ''} that does not answer: this command finds no GEX Desk engine on it to reach (none announced in ${join(home, 'engines')} nor beside the database), so another program has it, or a GEX Desk this command cannot reach (another user's, or an older version's). Wait for that to end, or close it.`;
}

/** The API map served in this process by `handlers`, through the same dispatcher as every transport. */
async function inProcess(
  handlers: Partial<CallHandlers>,
  events: Pick<EngineEvents, 'on'>,
  store: Pick<Store, 'whenFatal'>,
): Promise<ApiClient> {
  const { createDispatcher } = await import('../handlers.ts');
  const dispatch = createDispatcher(handlers, { transport: 'local' });
  return {
    where: 'in-process',
    call: <K extends CallName>(name: K, request: CallRequest<K>) =>
      dispatch(name, request) as Promise<Result<CallResponse<K>>>,
    on: (event, listener) => events.on(event, listener),
    // This process's own engine goes away only with it, but its database may fail (a full
    // disk): then no job can end, and whoever waits for one is told why.
    onLost: (listener) => void store.whenFatal(listener),
  };
}

/**
 * The engine's worker pool, started before the engine's modules load (DuckDB, the rules:
 * about 100 ms), so that the first worker's start — and its read-ahead of a one-shot
 * command's files — overlaps them. None when the engine will not run jobs, or when the
 * configuration is wrong (the engine then says why).
 */
async function earlyPool(
  settings: ConfigOverrides,
  choices: PoolChoices & { runJobs?: boolean },
): Promise<WorkerPool | undefined> {
  if (choices.runJobs === false) return undefined;
  const [{ loadConfig }, { createLogger }, { createEnginePool }] = await Promise.all([
    import('../../engine/config.ts'),
    import('../../engine/log.ts'),
    import('../../engine/workers/engine-pool.ts'),
  ]);
  const config = loadConfig(settings);
  if (!config.ok) return undefined;
  try {
    makeDirs(config.value.dataDir);
  } catch {
    return undefined;
  }
  return createEnginePool(config.value, choices, createLogger(config.value.dataDir));
}

async function openLocal(
  cfg: Config,
  overrides: ConfigOverrides,
  needs: LocalNeeds,
  home: string,
): Promise<Result<ApiSession>> {
  // Noted as soon as the database is ours (another command that finds it locked waits for
  // a command it finds noted, and fails at once otherwise: an engine's start with thousands
  // of jobs queued took seconds before its note), removed after it is closed. The mark
  // beside the database says where the note is, to commands of another user folder.
  const [{ holderFile, writeHolder, removeHolder }, { writeMark, removeMark }, { sayOpening }] =
    await Promise.all([
      import('../local/discovery.ts'),
      import('../local/db-mark.ts'),
      import('../local/opening.ts'),
    ]);
  const holderAt = holderFile(home, cfg.dbPath);
  // Said before the database is tried, and taken back once the note says it (or it failed).
  const unsay = sayOpening(home, cfg.dbPath, 'command');
  let noted = false;
  const note = () => {
    try {
      writeHolder(holderAt, {
        pid: process.pid,
        kind: needs.kind,
        started_at: new Date().toISOString(),
      });
      noted = true;
      writeMark(cfg.dbPath, home);
    } catch {
      // Without the note, another command fails at once instead of waiting: no worse than before.
    }
  };
  const unnote = () => {
    removeMark(cfg.dbPath, process.pid);
    removeHolder(holderAt, process.pid);
  };
  let opened;
  try {
    opened = await openOwn(cfg, overrides, needs, note);
  } finally {
    unsay();
  }
  if (!opened.ok) {
    if (noted) unnote();
    return opened;
  }
  return ok({
    api: opened.value.api,
    close: async (last) => {
      try {
        await opened.value.close(last);
      } finally {
        unnote();
      }
    },
  });
}

/** This process's own engine (`needs`) on the database, served in process. */
async function openOwn(
  cfg: Config,
  overrides: ConfigOverrides,
  needs: LocalNeeds,
  onStoreOpened: () => void,
): Promise<Result<ApiSession>> {
  if (needs.kind === 'engine') {
    const pool = await earlyPool({ ...overrides, ...needs.options }, needs.options);
    let started;
    try {
      const { startEngine } = await import('../../engine/engine.ts');
      started = await startEngine({
        ...overrides,
        ...needs.options,
        transport: 'local',
        pool,
        onStoreOpened,
      });
    } catch (e) {
      await pool?.close(); // its workers would keep this process alive
      throw e;
    }
    if (!started.ok) return started;
    const engine = started.value;
    return ok({
      api: await inProcess(engine.handlers, engine.events, engine.store),
      close: (last) => engine.shutdown(undefined, last),
    });
  }
  const [
    { Store },
    { EngineEvents },
    { storeHandlers, storeRules },
    { InboxControl, ownPaths },
    { inboxFrom, storeOpenOptions },
    { inboxHandlers },
    { jobFilesUnder },
  ] = await Promise.all([
    import('../../engine/store/db.ts'),
    import('../../engine/events.ts'),
    import('../../engine/api/store-handlers.ts'),
    import('../../engine/intake/inbox-control.ts'),
    import('../../engine/config.ts'),
    import('../../engine/api/inbox-handlers.ts'),
    import('../../engine/jobs/repository.ts'),
  ]);
  // No pipeline workers beside this store: DuckDB keeps a thread per core (storeOpenOptions).
  const opened = await Store.open(cfg.dbPath, storeOpenOptions(cfg, 0));
  if (!opened.ok) return opened;
  onStoreOpened();
  const store = opened.value;
  const events = new EngineEvents();
  // Nothing is watched by a one-shot command; the folder can still be read and chosen.
  const inbox = new InboxControl({
    dir: cfg.inbox,
    configFile: cfg.configFile,
    from: inboxFrom(cfg),
    own: ownPaths(cfg),
    // done/ counts the files its jobs name, as the engine's (engine.ts).
    recorded: (dir) => jobFilesUnder(store, dir),
    events,
    watch: null,
  });
  const handlers: Partial<CallHandlers> = {
    ...storeHandlers({ store, events, config: cfg, rules: storeRules(store, events) }),
    ...inboxHandlers(inbox),
  };
  return ok({
    api: await inProcess(handlers, events, store),
    close: async (last) => {
      await before(last);
      // Its probes' copiers (a folder on a share that can stall) go, never waited for.
      await inbox.stop();
      await store.close();
    },
  });
}
