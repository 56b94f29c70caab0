// The desktop shell: one hardened window showing the renderer, the engine started at
// launch with the per-user paths and shut down gracefully on quit, the menu, the IPC
// transport of the API, and the local endpoint through which `gex-desk` commands reach
// this engine while the app runs. Everything that does work lives in the engine; this file
// only wires Electron to it. A launch that fails shows why, releases the database and
// exits (startup.ts).
import { join } from 'node:path';
import { app, BrowserWindow, dialog, Menu, powerMonitor } from 'electron';
import { ok, type Result } from '../../shared/result.ts';
import { startEngine, type Engine } from '../engine/engine.ts';
import { loadConfig, userDataDir } from '../engine/config.ts';
import { createDispatcher, type Dispatch } from '../host/handlers.ts';
import { serveLocal, type LocalEndpoint } from '../host/local/endpoint.ts';
import { sayOpening } from '../host/local/opening.ts';
import { startAfterCommands } from '../host/local/wait-for-command.ts';
import { whoRuns } from '../host/local/running-engine.ts';
import { registerFolderChannel } from './folders.ts';
import { forwardEvents, registerCallChannel, senderCheck } from './ipc.ts';
import { buildMenu } from './menu.ts';
import { filesIn, gathered, showNotQueued, submitFiles, type Handed } from './open-files.ts';
import {
  APP_ORIGIN,
  devServerUrl,
  hardenSessions,
  registerAppScheme,
  serveRenderer,
} from './security.ts';
import { recoverRenderer } from './renderer-recovery.ts';
import { launchOrExit, START_FAILED_TITLE, type Releasable } from './startup.ts';
import { showWaiting } from './waiting.ts';
import { loadWindowState, trackWindowState } from './window-state.ts';
import { launchUtilityWorker } from './worker-launcher.ts';

const here = import.meta.dirname;
const devServer = devServerUrl();
const devOrigin = devServer ? new URL(devServer).origin : null;

// The desktop app and the command line share one per-user folder (and so one database).
app.setPath('userData', userDataDir());

let mainWindow: BrowserWindow | null = null;
let engine: Engine | null = null;
let quitting: 'no' | 'shutting-down' | 'done' = 'no';
let dispatchCall: ReturnType<typeof createDispatcher> | null = null;
let localEndpoint: LocalEndpoint | null = null;
/** Files the OS asked us to open before the engine was ready. */
const pendingOpen: Handed = { files: [], refused: [] };
/** Boxes naming files handed over while the app shuts down: it quits once they are read. */
const closingBoxes: Promise<unknown>[] = [];

/** The command line's endpoint first (commands stop finding the engine), then the engine. */
async function stopEngine(e: Engine, timeoutMs?: number): Promise<void> {
  await localEndpoint?.close();
  localEndpoint = null;
  await e.shutdown(timeoutMs);
}

/**
 * The graceful shutdown of a quit, a Windows session's end or a system shutdown: the
 * engine finishes or re-queues its running jobs and checkpoints the database, then the app
 * quits for real. True while the end must be held (the engine is up and not yet stopped).
 */
function shutDown(): boolean {
  if (quitting === 'done' || !engine) return false;
  if (quitting === 'shutting-down') return true;
  quitting = 'shutting-down';
  void stopEngine(engine, 10_000)
    .catch((e: unknown) => console.error('engine shutdown failed', e))
    .then(async () => {
      while (closingBoxes.length > 0) await Promise.all(closingBoxes.splice(0));
    })
    .finally(() => {
      quitting = 'done';
      app.quit();
    });
  return true;
}

/** Files named on a command line ("Open with GEX Desk"). */
function argFiles(argv: string[], cwd: string): Handed {
  // In development argv holds Electron's own arguments.
  return app.isPackaged ? filesIn(argv.slice(1), cwd) : { files: [], refused: [] };
}

/** Submits files the OS handed to the app, as File → Open Files… does. */
function openPaths({ files, refused }: Handed): void {
  // A relaunch while the app closes reaches it (it still holds the single-instance lock),
  // but its engine takes no more files: they are said not queued, never lost in silence.
  if (quitting !== 'no') {
    const closing = files.map(
      (p) => `${p}: SHUTTING_DOWN GEX Desk is closing — open it again in a moment`,
    );
    closingBoxes.push(showNotQueued([...refused, ...closing], null).catch(() => undefined));
    return;
  }
  if (!dispatchCall) {
    pendingOpen.files.push(...files);
    pendingOpen.refused.push(...refused);
    return;
  }
  if (files.length + refused.length > 0) void submitFiles(dispatchCall, files, mainWindow, refused);
}

/**
 * A relaunch (or a Dock click) while the app closes: its window may be gone already, and
 * the second process exits at once, so the analyst is told why nothing opens. The quit
 * waits until the box is read (closingBoxes), so that starting again then works.
 */
let closingNotice: Promise<unknown> | null = null;
function sayClosing(): void {
  if (closingNotice) return;
  closingNotice = dialog
    .showMessageBox({
      type: 'info',
      title: 'GEX Desk is closing',
      message: 'GEX Desk is closing',
      detail:
        'It is finishing or re-queueing its running jobs and closing its database. Start it again in a moment.',
      buttons: ['OK'],
    })
    .catch(() => undefined)
    .finally(() => (closingNotice = null));
  closingBoxes.push(closingNotice);
}

function createWindow(): BrowserWindow {
  const state = loadWindowState();
  const win = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#0b0e12',
    title: 'GEX Desk',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  // Windows ends a session (log off, shut down, restart) without before-quit: the engine is
  // shut down as on a quit, the end delayed while it does (query-session-end allows that).
  win.on('query-session-end', (event) => {
    if (shutDown()) event.preventDefault();
  });
  win.on('session-end', () => void shutDown());
  trackWindowState(win);
  recoverRenderer(win);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  if (devServer) void win.loadURL(devServer);
  else void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

async function launch(started: (engine: Releasable) => void): Promise<Result<void>> {
  openPaths(argFiles(process.argv, process.cwd())); // kept until the engine is up
  hardenSessions(devOrigin);
  if (!devServer) serveRenderer(join(here, '../renderer'));

  // The window at once, even while the engine waits below; the page's calls are held
  // until the engine is up.
  let engineUp: (up: { dispatch: Dispatch; dataDir: string }) => void = () => undefined;
  const ready = new Promise<{ dispatch: Dispatch; dataDir: string }>((r) => (engineUp = r));
  const held: Dispatch = async (name, payload) => (await ready).dispatch(name, payload);
  const contents = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null);
  const trusted = senderCheck(contents, devOrigin ?? APP_ORIGIN);
  registerCallChannel(held, trusted);
  registerFolderChannel({ dispatch: held, isTrusted: trusted, window: () => mainWindow });
  Menu.setApplicationMenu(
    buildMenu({
      window: () => mainWindow,
      dispatch: held,
      dataDir: async () => (await ready).dataDir,
      dev: devServer !== null, // a built app never has developer tools
    }),
  );
  mainWindow = createWindow();

  // A gex-desk command that holds the database (a script's ingest) is waited for, saying so.
  let closeWaiting = (): void => undefined;
  // Said until the endpoint is up: a command that finds the database locked meanwhile
  // gives this start a grace instead of failing at once (opening.ts).
  const config = loadConfig();
  const unsay = config.ok ? sayOpening(userDataDir(), config.value.dbPath, 'engine') : () => {};
  const starting = await startAfterCommands(
    userDataDir(),
    () =>
      startEngine({
        watchInbox: true,
        transport: 'ipc',
        // In the bundle the pipeline worker is its own file, run as an Electron utility process.
        workerEntry: join(here, 'pipeline-worker.js'),
        // So is the copier (a file on a network share is captured there: intake/copier.ts).
        copierEntry: join(here, 'copier.js'),
        launchWorker: launchUtilityWorker,
        // The rule analysis's worker thread, its own entry in the bundle too.
        rulesAnalysis: { entry: join(here, 'rules-worker.js') },
      }),
    (line) => {
      console.warn(`GEX Desk: ${line}`);
      closeWaiting = showWaiting(mainWindow, line);
    },
  );
  closeWaiting();
  if (!starting.ok) {
    unsay();
    return starting;
  }
  const running = starting.value;
  engine = running;
  // A failed launch releases the endpoint too (startup.ts shuts this down).
  started({ shutdown: (t) => stopEngine(running, t) });
  // `gex-desk` commands on this database go through this engine while the app runs.
  localEndpoint = await serveLocal(running, { home: userDataDir(), host: 'desktop' }).catch(
    (e: unknown) => {
      running.log.error('local.failed', { error: e instanceof Error ? e.stack : String(e) });
      return null;
    },
  );
  unsay(); // found by its discovery file now (or not reachable at all)
  const dispatch = createDispatcher(engine.handlers, { transport: 'ipc' });
  dispatchCall = dispatch;
  engineUp({ dispatch, dataDir: engine.config.dataDir });
  forwardEvents(engine, contents);
  openPaths({ files: pendingOpen.files.splice(0), refused: pendingOpen.refused.splice(0) });
  return ok(undefined);
}

/** Electron's side of a failed launch: the dialog, the log, the exit. */
const startupShell = {
  showError: (title: string, message: string) => dialog.showErrorBox(title, message),
  whoRuns: (dbPath: string) => whoRuns(userDataDir(), dbPath),
  exit: (code: number) => {
    quitting = 'done';
    engine = null;
    dispatchCall = null;
    app.exit(code);
  },
  log: (event: string, error: unknown) => {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (engine) engine.log.error(event, { error: detail });
    else console.error(event, detail);
  },
};

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  app.on('second-instance', (_event, argv, cwd) => {
    const handed = argFiles(argv, cwd);
    openPaths(handed);
    if (quitting !== 'no') {
      // Files handed over are named in their own box (openPaths); else say why nothing opens.
      if (handed.files.length + handed.refused.length === 0) sayClosing();
      return;
    }
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  const openFile = gathered((files) => openPaths({ files, refused: [] }));
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openFile(path);
  });
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => {
    // The engine stays set while it shuts down: no window on an engine that is closing.
    if (quitting !== 'no') sayClosing();
    else if (engine && !mainWindow) mainWindow = createWindow();
  });
  // Graceful shutdown: hold the quit until the engine has finished or re-queued its
  // running jobs and checkpointed the database, then quit for real.
  app.on('before-quit', (event) => {
    if (shutDown()) event.preventDefault();
  });
  app.whenReady().then(
    () => {
      // Linux and macOS: the system shuts down or restarts (delayed while the engine stops).
      powerMonitor.on('shutdown', (...args: unknown[]) => {
        const event = args[0] as { preventDefault?: () => void } | undefined;
        if (shutDown()) event?.preventDefault?.();
      });
      return launchOrExit(launch, startupShell);
    },
    (e: unknown) => {
      dialog.showErrorBox(START_FAILED_TITLE, String(e));
      app.exit(3);
    },
  );
}
