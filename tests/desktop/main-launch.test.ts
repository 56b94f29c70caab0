// The desktop shell's entry (electron/main/index.ts) with the Electron runtime replaced
// and the real engine: a menu or a window that cannot be created, or an engine that cannot
// start, ends in a dialog and exit 3 with the database already released and no worker left
// (tests/desktop/startup.test.ts: a step failing once the engine runs); a
// good launch starts the pipeline workers as utility processes (never with
// ELECTRON_RUN_AS_NODE), lets `gex-desk` commands through its local endpoint while it
// runs, and a quit waits for the engine to let go of the database and its endpoint.
import type { ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const state = vi.hoisted(() => ({
  windowFails: true,
  menuFails: false,
  packaged: false,
  dialogs: [] as { title: string; message: string; dbFree: boolean }[],
  exits: [] as number[],
  quits: 0,
  windows: 0,
  focused: 0,
  app: new Map<string, (...args: unknown[]) => void>(),
  dbPath: '',
  menu: null as { template: MenuItem[] } | null,
  /** How many windows there were when the menu was set. */
  windowsAtMenu: -1,
  /** The folders shell.openPath opened. */
  opened: [] as string[],
  /** What File → Open Files… picks. */
  picked: [] as string[],
  boxes: [] as Box[],
  /** Boxes stay open until pressed (else one without a signal is answered at once). */
  holdBoxes: false,
  /** The window's web contents (the renderer's calls come from it). */
  contents: null as unknown,
  /** The addresses the windows loaded. */
  loaded: [] as string[],
  /** The handlers of ipcMain.handle, by channel. */
  ipc: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
  /** The last window created (its events are emitted by the test). */
  window: null as { emit(event: string, ...args: unknown[]): void; webContents: unknown } | null,
  /** How many times a window's page was reloaded. */
  reloads: 0,
  /** The handlers of powerMonitor.on, by event. */
  power: new Map<string, (...args: unknown[]) => void>(),
}));
/** A message box shown: its options, and its button pressed (as the user would). */
interface Box {
  title?: string;
  message: string;
  detail?: string;
  buttons?: string[];
  signal?: AbortSignal;
  press: (button: number) => void;
}
interface MenuItem {
  label?: string;
  role?: string;
  accelerator?: string;
  visible?: boolean;
  submenu?: MenuItem[];
  click?: () => void;
}

vi.mock('electron', async () => {
  const { utilityProcess } = await import('./utility-process.ts');
  const { dbIsFree } = await import('./db-lock.ts');
  const noop = () => undefined;
  /** What a window and its web contents emit, as Electron would (the test emits them). */
  class Emitter {
    listeners = new Map<string, ((...args: unknown[]) => void)[]>();
    on(event: string, fn: (...args: unknown[]) => void) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
      return this;
    }
    emit(event: string, ...args: unknown[]) {
      for (const fn of this.listeners.get(event) ?? []) fn(...args);
    }
  }
  class WebContents extends Emitter {
    isDestroyed = () => false;
    send = noop;
    mainFrame = { url: 'http://localhost:5173/' };
    reload = () => void state.reloads++;
  }
  class BrowserWindow extends Emitter {
    webContents = new WebContents();
    constructor() {
      super();
      if (state.windowFails) throw new Error('Failed to create the window: no display');
      state.windows++;
      state.contents = this.webContents;
      state.window = this;
    }
    once = noop;
    maximize = noop;
    isDestroyed = () => false;
    isMinimized = () => false;
    restore = noop;
    focus = () => void state.focused++;
    loadURL = async (url: string) => void state.loaded.push(url);
  }
  const display = { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } };
  return {
    app: {
      get isPackaged() {
        return state.packaged;
      },
      setPath: noop,
      getPath: () => process.env.GEX_DESK_HOME,
      requestSingleInstanceLock: () => true,
      on: (event: string, fn: (...args: unknown[]) => void) => state.app.set(event, fn),
      whenReady: () => Promise.resolve(),
      exit: (code: number) => void state.exits.push(code),
      quit: () => void state.quits++,
    },
    BrowserWindow,
    dialog: {
      showErrorBox: (title: string, message: string) =>
        void state.dialogs.push({ title, message, dbFree: dbIsFree(state.dbPath) }),
      showOpenDialog: async () => ({ canceled: false, filePaths: state.picked }),
      // Open until a button is pressed, or until its signal closes it (as if cancelled).
      showMessageBox: (...args: unknown[]) =>
        new Promise((resolve) => {
          const options = args.at(-1) as Omit<Box, 'press'>;
          const press = (response: number) => resolve({ response, checkboxChecked: false });
          state.boxes.push({ ...options, press });
          options.signal?.addEventListener('abort', () => press(0));
          if (!options.signal && !state.holdBoxes) press(0);
        }),
    },
    Menu: {
      setApplicationMenu: (menu: { template: MenuItem[] }) => {
        if (state.menuFails) throw new Error('the menu failed');
        state.menu = menu;
        state.windowsAtMenu = state.windows;
      },
      buildFromTemplate: (template: unknown) => ({ template }),
    },
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) =>
        void state.ipc.set(channel, fn),
      removeHandler: noop,
    },
    protocol: { registerSchemesAsPrivileged: noop, handle: noop },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: noop },
        setPermissionRequestHandler: noop,
        setPermissionCheckHandler: noop,
      },
    },
    screen: { getAllDisplays: () => [display], getPrimaryDisplay: () => display },
    shell: { openPath: async (path: string) => void state.opened.push(path) },
    net: { fetch: noop },
    powerMonitor: {
      on: (event: string, fn: (...args: unknown[]) => void) => void state.power.set(event, fn),
    },
    utilityProcess,
  };
});

const { forkCalls, launched } = await import('./utility-process.ts');
const { discoveryFile, holderFile, writeHolder } =
  await import('../../electron/host/local/discovery.ts');
const { runCli } = await import('../cli/run-cli.ts');
const { dbIsFree, holdDb } = await import('./db-lock.ts');
const { writeCboeCsv } = await import('../fixtures/option-chains.ts');

const root = mkdtempSync(join(tmpdir(), 'gex-main-'));
const saved = { ...process.env };
let n = 0;
const poll = <T>(fn: () => T) => expect.poll(fn, { timeout: 30_000, interval: 25 });

/** Imports the shell afresh, as a new app launch, on its own user folder. */
async function launchApp(opts: {
  windowFails: boolean;
  menuFails?: boolean;
  config?: string;
  /** Done in the new user folder before the launch. */
  before?: (home: string, dbPath: string) => Promise<void>;
  /** A built app, launched with these arguments (argv[0] the program) in its user folder. */
  packaged?: (home: string) => string[];
}): Promise<void> {
  const home = join(root, String(++n));
  mkdirSync(home, { recursive: true });
  if (opts.config !== undefined) writeFileSync(join(home, 'config.json'), opts.config);
  await opts.before?.(home, join(home, 'gex-desk.duckdb'));
  Object.assign(process.env, {
    GEX_DESK_HOME: home,
    GEX_DESK_WORKERS: '1',
    ELECTRON_RENDERER_URL: 'http://localhost:5173',
  });
  Object.assign(state, {
    windowFails: opts.windowFails,
    menuFails: opts.menuFails ?? false,
    packaged: opts.packaged !== undefined,
    dialogs: [],
    exits: [],
    quits: 0,
    windows: 0,
    focused: 0,
    menu: null,
    windowsAtMenu: -1,
    opened: [],
    picked: [],
    boxes: [],
    holdBoxes: false,
    contents: null,
    loaded: [],
    window: null,
    reloads: 0,
    dbPath: join(home, 'gex-desk.duckdb'),
  });
  state.app.clear();
  state.ipc.clear();
  state.power.clear();
  vi.resetModules();
  if (opts.packaged) process.argv = opts.packaged(home);
  await import('../../electron/main/index.ts');
}

/** Once the engine is up: a call of the window's, held until then, answered. */
async function engineUp(): Promise<void> {
  await poll(() => state.contents).not.toBeNull();
  const contents = state.contents as { mainFrame: unknown };
  const call = state.ipc.get('gex:call')!;
  await call({ sender: contents, senderFrame: contents.mainFrame }, 'queue:stats', {});
}
const fileItem = (label: string) =>
  state.menu!.template.find((m) => m.label === 'File')!.submenu!.find((i) => i.label === label)!;

const workersGone = () =>
  launched.every((p) => p.child.exitCode !== null || p.child.signalCode !== null);

const argv = process.argv;
beforeEach(() => {
  forkCalls.length = 0;
});
afterEach(() => {
  process.argv = argv;
});
afterAll(() => {
  process.env = saved;
  for (const p of launched) p.child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

describe('the desktop shell', () => {
  it('when the menu cannot be set: a dialog saying why, exit 3, no engine started', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      await launchApp({ windowFails: false, menuFails: true });
      await poll(() => state.exits).toEqual([3]);
      expect(state.dialogs).toEqual([
        {
          title: 'GEX Desk cannot start',
          message: expect.stringContaining('the menu failed'),
          dbFree: true,
        },
      ]);
      expect(state.windows).toBe(0);
      expect(forkCalls).toEqual([]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('when the window cannot be created: a dialog saying why, exit 3, no engine started', async () => {
    await launchApp({ windowFails: true });
    await poll(() => state.exits).toEqual([3]);
    expect(state.dialogs).toEqual([
      {
        title: 'GEX Desk cannot start',
        message: expect.stringContaining('no display'),
        dbFree: true,
      },
    ]);
    expect(forkCalls).toEqual([]);
  });

  it('when the engine cannot start: a dialog naming the problem, exit 3, nothing started', async () => {
    await launchApp({ windowFails: false, config: '{"workers": 0}' });
    await poll(() => state.exits).toEqual([3]);
    expect(state.dialogs[0]!.message).toContain('workers');
    expect(forkCalls).toEqual([]);
    expect(dbIsFree(state.dbPath)).toBe(true);
  });

  it('starts workers as utility processes without ELECTRON_RUN_AS_NODE, and a quit releases the database', async () => {
    delete process.env.ELECTRON_RUN_AS_NODE;
    await launchApp({ windowFails: false });
    await poll(() => forkCalls.length).toBeGreaterThan(0);
    for (const call of forkCalls) {
      expect(call.modulePath).toMatch(/electron[/\\]main[/\\]pipeline-worker\.js$/);
      expect(call.options.env?.ELECTRON_RUN_AS_NODE).toBeUndefined();
      expect(call.options.execArgv?.some((a) => a.startsWith('--max-old-space-size='))).toBe(true);
    }
    await engineUp();
    expect(state.windows).toBe(1);
    expect(dbIsFree(state.dbPath)).toBe(false);
    expect(state.dialogs).toEqual([]);
    // While the app runs, a gex-desk command on its database goes through it.
    const home = dirname(state.dbPath);
    const discovery = discoveryFile(home, state.dbPath);
    expect(JSON.parse(readFileSync(discovery, 'utf8'))).toMatchObject({
      pid: process.pid,
      host: 'desktop',
    });
    const jobs = await runCli(['jobs', '--json'], { home });
    expect(jobs.stderr).toBe('');
    expect(jobs.code).toBe(0);
    let prevented = false;
    state.app.get('before-quit')!({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await poll(() => state.quits).toBe(1);
    expect(dbIsFree(state.dbPath)).toBe(true);
    expect(existsSync(discovery)).toBe(false);
    await poll(workersGone).toBe(true);
    expect(state.exits).toEqual([]);
  });
});

describe('the window', () => {
  const contents = () => state.window!.webContents as { emit(e: string, ...a: unknown[]): void };
  it('gets its page back when the page died (renderer-recovery.ts): reloaded, not left dead', async () => {
    await launchApp({ windowFails: false });
    await engineUp();
    contents().emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(state.reloads).toBe(0);
    contents().emit('render-process-gone', {}, { reason: 'crashed', exitCode: 11 });
    expect(state.reloads).toBe(1);
    state.window!.emit('unresponsive');
    expect(state.boxes.at(-1)).toMatchObject({ title: 'GEX Desk is not responding' });
    state.app.get('before-quit')!({ preventDefault: () => undefined });
    await poll(() => state.quits).toBe(1);
  });
});

describe('while the app closes after its window was closed', () => {
  const closingBoxes = () => state.boxes.filter((b) => b.title === 'GEX Desk is closing');
  /** The window's close button: 'closed', then window-all-closed → app.quit() → before-quit. */
  async function closeWindow(): Promise<void> {
    await launchApp({ windowFails: false });
    await engineUp();
    state.packaged = true;
    state.holdBoxes = true;
    state.window!.emit('closed');
    state.app.get('before-quit')!({ preventDefault: () => undefined });
  }

  it('a relaunch without files is told the app is closing; the quit waits until that is read', async () => {
    await closeWindow();
    // The second instance exits at once; the first gets this.
    state.app.get('second-instance')!({}, ['gex-desk-app'], dirname(state.dbPath));
    expect(closingBoxes()).toEqual([
      expect.objectContaining({
        detail: expect.stringContaining('finishing or re-queueing its running jobs'),
      }),
    ]);
    // A second relaunch meanwhile: the same box, not a second one.
    state.app.get('second-instance')!({}, ['gex-desk-app'], dirname(state.dbPath));
    expect(closingBoxes()).toHaveLength(1);
    await poll(() => dbIsFree(state.dbPath)).toBe(true);
    expect(state.quits).toBe(0);
    closingBoxes()[0]!.press(0);
    await poll(() => state.quits).toBe(1);
    expect(state.windows).toBe(1);
  });

  it('macOS: a Dock click opens no window on the closing engine; it says the app is closing', async () => {
    await closeWindow();
    state.app.get('activate')!();
    expect(state.windows).toBe(1);
    expect(closingBoxes()).toHaveLength(1);
    closingBoxes()[0]!.press(0);
    await poll(() => state.quits).toBe(1);
    expect(state.windows).toBe(1);
  });
});

describe('the session or the system ending (no before-quit comes)', () => {
  /** A preventable event, as Electron passes it. */
  const preventable = () => {
    const e = { prevented: false, preventDefault: () => void (e.prevented = true) };
    return e;
  };
  async function endedBy(emit: () => void): Promise<void> {
    await launchApp({ windowFails: false });
    await engineUp();
    const discovery = discoveryFile(dirname(state.dbPath), state.dbPath);
    expect(dbIsFree(state.dbPath)).toBe(false);
    emit();
    // The engine stops as on a quit: database and endpoint released, workers gone, then quit.
    await poll(() => state.quits).toBe(1);
    expect(dbIsFree(state.dbPath)).toBe(true);
    expect(existsSync(discovery)).toBe(false);
    await poll(workersGone).toBe(true);
  }

  it('Windows: log off or shut down (the window’s query-session-end, held meanwhile; session-end)', async () => {
    const query = preventable();
    await endedBy(() => state.window!.emit('query-session-end', query));
    expect(query.prevented).toBe(true);
    await endedBy(() => state.window!.emit('session-end', preventable()));
  });

  it('Linux and macOS: the system shuts down (powerMonitor shutdown, held meanwhile)', async () => {
    const shutdown = preventable();
    await endedBy(() => state.power.get('shutdown')!(shutdown));
    expect(shutdown.prevented).toBe(true);
    // Once stopped, nothing is held any more.
    const again = preventable();
    state.power.get('shutdown')!(again);
    expect(again.prevented).toBe(false);
  });
});

describe('files handed to the app', () => {
  const home = () => dirname(state.dbPath);
  /** Distinct option chains in the app's folder. */
  const chains = (...seeds: number[]) =>
    seeds.map((seed) => {
      const file = join(home(), `chain-${seed}.csv`);
      writeCboeCsv(file, { seed, underlying: 'SPX' });
      return file;
    });
  const jobs = async () => (await runCli(['jobs', '--json'], { home: home() })).lines;
  async function quit(): Promise<void> {
    state.app.get('before-quit')!({ preventDefault: () => undefined });
    await poll(() => state.quits).toBe(1);
  }

  it('from the menu, a second launch and macOS open-file are submitted with the default source', async () => {
    await launchApp({ windowFails: false });
    await engineUp();
    const [menuFile, argFile, openedFile] = chains(1, 2, 3);
    state.picked = [menuFile!];
    fileItem('Open Files…').click!();
    // A packaged app takes its arguments as files (in development they are Electron's own).
    state.packaged = true;
    state.app.get('second-instance')!({}, ['gex-desk-app', argFile], home());
    state.app.get('open-file')!({ preventDefault: () => undefined }, openedFile);
    await poll(async () => (await jobs()).length).toBe(3);
    // As the app's own dialog and `gex-desk ingest` submit: the source the analyst's
    // overrides and the rules' reliability facts are kept for.
    expect(new Set((await jobs()).map((j) => j.source))).toEqual(new Set(['manual']));
    await quit();
  });

  it('a refused file is named in the same box whether it came from the menu or a second launch', async () => {
    await launchApp({ windowFails: false });
    await engineUp();
    const junk = join(home(), 'notes.csv');
    writeFileSync(junk, 'not an option chain\n');
    state.picked = [junk];
    fileItem('Open Files…').click!();
    await poll(() => state.boxes.length).toBe(1);
    expect(state.boxes[0]).toMatchObject({
      title: 'Some files were not queued',
      message: expect.stringContaining(`${junk}: `),
    });
    state.packaged = true;
    state.app.get('second-instance')!({}, ['gex-desk-app', junk], home());
    await poll(() => state.boxes.length).toBe(2);
    const shown = ({ title, message }: Box) => ({ title, message });
    expect(shown(state.boxes[1]!)).toEqual(shown(state.boxes[0]!));
    await quit();
  });

  /** The box naming the files not queued: one line each. */
  const notQueued = () => {
    const boxes = state.boxes.filter((b) => b.title === 'Some files were not queued');
    expect(boxes).toHaveLength(1);
    return boxes[0]!.message.split('\n');
  };
  /** Two links to each other: any stat of them fails (ELOOP). */
  const linkLoop = (dir: string) => {
    symlinkSync(join(dir, 'loop-b.csv'), join(dir, 'loop-a.csv'));
    symlinkSync(join(dir, 'loop-a.csv'), join(dir, 'loop-b.csv'));
    return join(dir, 'loop-a.csv');
  };

  it('a file argument that cannot be checked (a loop of links) does not stop the launch: it is named in the box, the others are queued', async () => {
    await launchApp({
      windowFails: false,
      before: async (dir) =>
        void writeCboeCsv(join(dir, 'good.csv'), { seed: 6, underlying: 'SPX' }),
      packaged: (dir) => ['gex-desk-app', linkLoop(dir), join(dir, 'good.csv')],
    });
    await engineUp();
    expect(state.exits).toEqual([]);
    expect(state.dialogs).toEqual([]);
    await poll(() => state.boxes.length).toBe(1);
    expect(notQueued()).toEqual([expect.stringMatching(/loop-a\.csv: IO .*ELOOP/)]);
    expect((await jobs()).map((j) => j.file)).toContain(join(home(), 'good.csv'));
    await quit();
  });

  it('a second launch naming a file that cannot be checked (a name too long) focuses the window and queues the others', async () => {
    await launchApp({ windowFails: false });
    await engineUp();
    const [good] = chains(7);
    const tooLong = join(home(), `${'x'.repeat(300)}.csv`);
    state.packaged = true;
    state.app.get('second-instance')!({}, ['gex-desk-app', good, tooLong], home());
    expect(state.focused).toBe(1);
    await poll(() => state.boxes.length).toBe(1);
    expect(notQueued()).toEqual([expect.stringMatching(/x{300}\.csv: .*ENAMETOOLONG/)]);
    expect((await jobs()).map((j) => j.file)).toContain(good);
    await quit();
  });

  it('a missing file and a folder named on the command line are named in the box with why', async () => {
    await launchApp({ windowFails: false });
    await engineUp();
    const [good] = chains(8);
    mkdirSync(join(home(), 'chains'));
    state.packaged = true;
    state.app.get('second-instance')!({}, ['gex-desk-app', 'spx.csv', good, 'chains'], home());
    await poll(() => state.boxes.length).toBe(1);
    expect(notQueued()).toEqual([
      `${join(home(), 'spx.csv')}: FILE_NOT_FOUND ${join(home(), 'spx.csv')} does not exist`,
      expect.stringMatching(
        /chains: NOT_A_FILE .*chains is a folder, not a file: give the files in it/,
      ),
    ]);
    expect((await jobs()).map((j) => j.file)).toContain(good);
    await quit();
  });

  it("a file:// URI of another host's file and an unmatched pattern are named in the box", async () => {
    await launchApp({ windowFails: false });
    await engineUp();
    const [good] = chains(10);
    const remote = 'file://fileserver/chains/spx.csv';
    state.packaged = true;
    state.app.get('second-instance')!({}, ['gex-desk-app', remote, good, '*.parquet'], home());
    await poll(() => state.boxes.length).toBe(1);
    const pattern = join(home(), '*.parquet');
    expect(notQueued()).toEqual([
      `${remote}: FILE_NOT_FOUND not a file on this computer`,
      `${pattern}: FILE_NOT_FOUND ${pattern} does not exist`,
    ]);
    expect((await jobs()).map((j) => j.file)).toContain(good);
    await quit();
  });

  it('a file handed over while the app shuts down is said not queued, and the quit waits until that is read', async () => {
    await launchApp({ windowFails: false });
    await engineUp();
    const [file] = chains(9);
    state.packaged = true;
    state.holdBoxes = true;
    state.app.get('before-quit')!({ preventDefault: () => undefined });
    // The relaunch reaches the first instance, which still holds the single-instance lock.
    state.app.get('second-instance')!({}, ['gex-desk-app', file], home());
    await poll(() => state.boxes.length).toBe(1);
    expect(state.boxes[0]).toMatchObject({
      title: 'Some files were not queued',
      message: `${file}: SHUTTING_DOWN GEX Desk is closing — open it again in a moment`,
    });
    await poll(() => dbIsFree(state.dbPath)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(state.quits).toBe(0);
    state.boxes[0]!.press(0);
    await poll(() => state.quits).toBe(1);
    const after = await runCli(['jobs', '--json'], { home: home() });
    expect(after.code).toBe(0);
    expect(after.lines).toEqual([]);
  });

  it('several files refused at once from Finder (one open-file event each) are named in one box', async () => {
    await launchApp({ windowFails: false });
    await engineUp();
    const junk = [1, 2, 3].map((i) => {
      const file = join(home(), `notes-${i}.csv`);
      writeFileSync(file, 'not an option chain\n');
      return file;
    });
    for (const file of junk) state.app.get('open-file')!({ preventDefault: () => undefined }, file);
    await poll(() => state.boxes.length).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(notQueued()).toEqual(junk.map((file) => expect.stringContaining(`${file}: `)));
    await quit();
  });

  it("takes a file manager's file:// URIs (Open with, a .desktop file's %U) as files", async () => {
    await launchApp({ windowFails: false });
    await engineUp();
    mkdirSync(join(home(), 'my chains'));
    const file = join(home(), 'my chains', 'spx #1.csv');
    writeCboeCsv(file, { seed: 4, underlying: 'SPX' });
    state.packaged = true;
    state.app.get('second-instance')!({}, ['gex-desk-app', pathToFileURL(file).href], home());
    await poll(async () => (await jobs()).map((j) => j.file)).toEqual([file]);
    expect(state.boxes).toEqual([]);
    await quit();
  });
});

describe('while a gex-desk command holds the database', () => {
  let holder: ChildProcess | null = null;
  /** The database held as a `gex-desk ingest` holds it: locked, with its holder note. */
  const held = async (home: string, dbPath: string) => {
    holder = await holdDb(dbPath);
    const note = { pid: holder.pid!, kind: 'engine', started_at: new Date().toISOString() };
    writeHolder(holderFile(home, dbPath), note);
  };
  const release = () => holder?.kill('SIGKILL');
  afterEach(release);
  const waitingBox = () => state.boxes.find((b) => b.title === 'GEX Desk is waiting');

  it('the window comes at once, saying what it waits for; a second launch focuses it, its files, the calls and the menu wait for the engine', async () => {
    await launchApp({ windowFails: false, before: held });
    await poll(() => state.windows).toBe(1);
    await poll(waitingBox).toBeDefined();
    expect(waitingBox()).toMatchObject({
      message: 'Waiting for the gex-desk command that is using the database',
      detail: expect.stringContaining(`(PID ${holder!.pid})`),
      buttons: ['Quit'],
    });
    // The renderer's calls are held, not refused.
    const contents = state.contents;
    const call = state.ipc.get('gex:call')!(
      { sender: contents, senderFrame: (contents as { mainFrame: unknown }).mainFrame },
      'queue:stats',
      {},
    );
    // A second launch, with a file.
    const home = dirname(state.dbPath);
    const [file, picked] = [join(home, 'chain.csv'), join(home, 'picked.csv')];
    writeCboeCsv(file!, { seed: 5, underlying: 'SPX' });
    writeCboeCsv(picked!, { seed: 6, underlying: 'SPX' });
    state.packaged = true;
    state.app.get('second-instance')!({}, ['gex-desk-app', file], home);
    expect(state.focused).toBe(1);
    // The app's own menu: its items work, what needs the engine waits for it.
    state.picked = [picked!];
    fileItem('Open Files…').click!();
    fileItem('Open Data Folder').click!();
    await new Promise((r) => setTimeout(r, 300));
    expect(state.opened).toEqual([]);
    expect(waitingBox()!.signal!.aborted).toBe(false);

    release();
    await poll(() => waitingBox()!.signal!.aborted).toBe(true);
    await expect(call).resolves.toMatchObject({ ok: true });
    const jobs = async () => (await runCli(['jobs', '--json'], { home })).lines.map((j) => j.file);
    await poll(async () => new Set(await jobs())).toEqual(new Set([file, picked]));
    expect(state.opened).toEqual([join(home, 'data')]);
    expect(state.quits).toBe(0); // the box closed by itself is no Quit
    state.app.get('before-quit')!({ preventDefault: () => undefined });
    await poll(() => state.quits).toBe(1);
  });

  it("the built app's own menu is set before its window, without developer tools or Reload, while it waits", async () => {
    await launchApp({ windowFails: false, before: held, packaged: () => ['gex-desk-app'] });
    await poll(waitingBox).toBeDefined();
    expect(state.windows).toBe(1);
    expect(state.windowsAtMenu).toBe(0);
    const roles = state.menu!.template.flatMap((m) => [
      m.role,
      ...(m.submenu ?? []).map((i) => i.role),
    ]);
    expect(roles).toContain('zoomIn');
    // Zoom in with Ctrl+= too (the role's Ctrl+Plus needs Shift on a US keyboard).
    const view = state.menu!.template.find((m) => m.label === 'View')!.submenu!;
    expect(view.filter((i) => i.role === 'zoomIn')).toEqual([
      { role: 'zoomIn' },
      expect.objectContaining({ accelerator: 'CmdOrCtrl+=', visible: false }),
    ]);
    expect(roles).not.toContain('toggleDevTools');
    expect(roles).not.toContain('reload');
    // Its own files, not the dev server ELECTRON_RENDERER_URL names (launchApp sets it).
    expect(process.env.ELECTRON_RENDERER_URL).toBe('http://localhost:5173');
    expect(state.loaded).toEqual(['app://gex/index.html']);
    expect(
      state.menu!.template.find((m) => m.label === 'File')!.submenu!.map((i) => i.label),
    ).toEqual(['Open Files…', 'Open Data Folder', undefined, 'Quit']);
    release();
    await poll(() => waitingBox()!.signal!.aborted).toBe(true);
    state.app.get('before-quit')!({ preventDefault: () => undefined });
    await poll(() => state.quits).toBe(1);
  });

  it("the waiting box's Quit quits", async () => {
    await launchApp({ windowFails: false, before: held });
    await poll(waitingBox).toBeDefined();
    waitingBox()!.press(0);
    await poll(() => state.quits).toBe(1);
    // Electron would have exited here; the stand-in app goes on until its engine is up.
    release();
    await engineUp();
    state.app.get('before-quit')!({ preventDefault: () => undefined });
    await poll(() => state.quits).toBe(2);
  });
});
