// `gex-desk serve [--port N]`: the desktop UI for a browser on loopback. The first
// line on stdout is the address to open, with the per-launch token. Beside it, the
// local endpoint through which other gex-desk commands on the same database reach this
// engine. It runs until SIGINT, SIGTERM or SIGHUP, then shuts down gracefully.
import { createServer } from 'node:net';
import { loadConfig, userDataDir } from '../../engine/config.ts';
import { startEngine } from '../../engine/engine.ts';
import { startAfterCommands } from '../local/wait-for-command.ts';
import { serveLocal } from '../local/endpoint.ts';
import { sayOpening } from '../local/opening.ts';
import { keepServePort, lastServePort } from '../local/serve-port.ts';
import { whoRuns } from '../local/running-engine.ts';
import { serve, uploadFolderOf } from '../serve.ts';
import { IPV4_LOOPBACK, IPV6_LOOPBACK, listenOnLoopbacks } from '../http/loopbacks.ts';
import { buildRendererApart, RENDERER_DIR, rendererIsStale } from '../renderer-build.ts';
import { engineOptions, int, parse } from './args.ts';
import { refuseNotADatabase } from './api.ts';
import { describeError, EXIT, exitFor, UsageError, type ExitCode, type Output } from './io.ts';
import { onStopSignal } from './stop-signals.ts';
import { SERVE_USAGE } from './usage.ts';
import { MAX_WORKERS } from '../../../shared/workers.ts';
import { refusedWrite } from '../../engine/folder-fault.ts';
import { messageOf } from '../../../shared/result.ts';

export async function serveCommand(argv: string[], out: Output): Promise<ExitCode> {
  const { values } = parse(
    argv,
    { port: { type: 'string' }, workers: { type: 'string' } },
    {
      command: 'serve',
      hint: (w) => (/^\d+$/.test(w) ? `did you mean \`serve --port ${w}\`?` : undefined),
    },
  );
  if (values.help) return (out.line(SERVE_USAGE), EXIT.ok);
  // A --db naming a folder or a chain file: a usage error, as for every command (api.ts).
  const config = loadConfig(engineOptions(values));
  if (config.ok) await refuseNotADatabase(config.value);
  const port = int(values.port, '--port');
  if (port !== undefined && port > 65535) throw new UsageError('--port must be at most 65535');
  // A port another program holds is said before the engine's start and a minute of building.
  const taken = port === undefined ? null : await cannotListen(port);
  if (taken) {
    // Most often the port of this database's own serve, started before: say that one.
    const db = loadConfig(engineOptions(values));
    const who = db.ok ? whoRuns(userDataDir(), db.value.dbPath) : null;
    out.error(
      who && db.ok ? alreadyRuns(db.value.dbPath, who) : `gex-desk: ${listenFailure(taken, port)}`,
    );
    return EXIT.environment;
  }
  // Said before the database is opened, until the endpoint is up: a command that finds the
  // database locked meanwhile gives this start a grace instead of failing at once (opening.ts).
  const unsay = config.ok ? sayOpening(userDataDir(), config.value.dbPath, 'engine') : () => {};
  // A gex-desk command that holds the database is waited for (wait-for-command.ts).
  const started = await startAfterCommands(
    userDataDir(),
    () =>
      startEngine({
        ...engineOptions(values),
        workers: int(values.workers, '--workers', 1, MAX_WORKERS),
        watchInbox: true,
        transport: 'http',
      }),
    (line) => out.error(`gex-desk: ${line}`),
  );
  if (!started.ok) {
    unsay();
    const who =
      started.error.code === 'DB_LOCKED' && started.error.file
        ? whoRuns(userDataDir(), started.error.file)
        : null;
    out.error(who ? alreadyRuns(started.error.file!, who) : describeError(started.error));
    return exitFor(started.error);
  }
  const engine = started.value;
  const home = userDataDir();
  // Other gex-desk commands on this database go through this engine (CONTRACTS.md), from
  // now on: a command talks to the engine, not to the UI, so it is not kept waiting for
  // a build of the UI (a minute after an update), which a command's grace for a starting
  // engine did not cover (it exited 3, DB_LOCKED).
  const local = await serveLocal(engine, { home, host: 'serve' }).catch((e: unknown) => {
    out.error(
      `gex-desk: other commands cannot reach this engine (${messageOf(e)}); they will report the database as held.`,
    );
    engine.log.error('local.failed', { error: e instanceof Error ? e.stack : String(e) });
    return null;
  });
  unsay(); // found by its discovery file now (or said not to be reachable)
  /** A start that fails from here: commands stop finding this engine, then it stops. */
  const fail = async (line: string): Promise<ExitCode> => {
    await local?.close();
    await engine.shutdown(); // its workers would keep this process alive
    out.error(line);
    return EXIT.environment;
  };
  // Listened for from the engine's start (a build may follow) and before the address is
  // printed: whoever reads it (a service manager, a script) may stop serve at once, and a
  // signal that came before the handler would end the process without its orderly stop.
  const stopAsked = new Promise<void>((resolveSignal) => onStopSignal(resolveSignal));
  // Built only now that nothing can refuse: a serve refused for a database another one
  // holds must not rewrite the UI that one serves.
  if (rendererIsStale()) {
    out.error('Building the user interface (once after an install or an update; a few seconds)…');
    try {
      await buildRendererApart();
    } catch (e) {
      return fail(`gex-desk: building the user interface failed: ${messageOf(e)}`);
    }
  }
  let host;
  const uploadDir = uploadFolderOf(engine.config);
  // Without --port, the port this database was served on last (the browser's storage for
  // the page, the rule draft among it, is kept per origin: serve-port.ts), when it is free.
  const last = port === undefined ? lastServePort(home, engine.config.dbPath) : undefined;
  const serveOn = (p: number | undefined) =>
    serve(engine, {
      port: p,
      rendererDir: RENDERER_DIR,
      uploadDir,
      maxUploadBytes: engine.config.maxUploadBytes,
    });
  try {
    host = await serveOn(port ?? last).catch((e: unknown) => {
      // Taken since (another program): any free port, as with none kept.
      if (port === undefined && last !== undefined && isInUse(e)) return serveOn(undefined);
      throw e;
    });
    if (port === undefined) keepServePort(home, engine.config.dbPath, host.port);
  } catch (e) {
    return fail(
      `gex-desk: ${(e as NodeJS.ErrnoException).syscall === 'listen' ? listenFailure(e, port) : uploadFolderFailure(uploadDir, e)}`,
    );
  }
  out.line(`GEX Desk at ${host.url}`);
  engine.log.info('serve.listening', { origin: host.origin });
  await stopAsked;
  out.error('Shutting down…');
  await local?.close();
  await host.close();
  await engine.shutdown();
  return EXIT.ok;
}

const alreadyRuns = (db: string, who: string) =>
  `gex-desk: GEX Desk already runs on the database ${db} (${who}): use that one — every gex-desk command works beside it — or stop it before serving from here.`;

/**
 * The error listening on `port` of both loopback addresses gives now (serve holds both:
 * loopbacks.ts), or null when it can be listened on.
 */
async function cannotListen(port: number): Promise<Error | null> {
  const v4 = createServer();
  const v6 = createServer();
  try {
    await listenOnLoopbacks(v4, v6, port);
    return null;
  } catch (e) {
    return e as Error;
  } finally {
    const close = (probe: typeof v4) =>
      new Promise<void>((done) => (probe.listening ? probe.close(() => done()) : done()));
    await Promise.all([close(v4), close(v6)]);
  }
}

const isInUse = (e: unknown): boolean => (e as NodeJS.ErrnoException).code === 'EADDRINUSE';

/** Why the upload folder (in the data folder) could not be made: not the address's fault. */
function uploadFolderFailure(dir: string, e: unknown): string {
  const why = refusedWrite(e) ?? messageOf(e);
  return `cannot make the upload folder ${dir}: ${why}; uploads and exports go to the data folder, which must be writable (--data-dir, or dataDir in the config file)`;
}

/** Why the address could not be listened on, and what to do. */
function listenFailure(e: unknown, port: number | undefined): string {
  const code = (e as NodeJS.ErrnoException).code;
  // Which loopback address refused it (serve listens on both, the same port).
  const v6 = (e as { address?: unknown }).address === IPV6_LOOPBACK;
  const where = v6 ? `[${IPV6_LOOPBACK}]:${port ?? 0}` : `${IPV4_LOOPBACK}:${port ?? 0}`;
  const both = v6
    ? ` (GEX Desk holds the port on both loopback addresses, 127.0.0.1 and ::1, so that no other program answers a browser opening localhost:${port ?? 0})`
    : '';
  if (isInUse(e))
    return `cannot serve on ${where}: the port is in use by another program${both}; choose another with --port N, or leave --port out for a free one`;
  if (code === 'EACCES')
    return `cannot serve on ${where}: this user may not listen on that port; choose one above 1023`;
  return `cannot serve on ${where}: ${messageOf(e)}`;
}
