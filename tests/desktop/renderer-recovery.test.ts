// A window whose page died or hangs gets its page back (electron/main/renderer-recovery.ts),
// with the Electron runtime replaced: a window and its web contents that emit what
// Electron emits, and message boxes answered as the analyst would.
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

interface Box {
  title: string;
  message: string;
  buttons: string[];
  signal?: AbortSignal;
  press: (button: number) => void;
}
const state = vi.hoisted(() => ({ boxes: [] as Box[], quits: 0 }));

vi.mock('electron', () => ({
  app: { quit: () => void state.quits++ },
  dialog: {
    showMessageBox: (_win: unknown, options: Omit<Box, 'press'>) =>
      new Promise((resolve) => {
        const press = (response: number) => resolve({ response, checkboxChecked: false });
        state.boxes.push({ ...options, press });
        options.signal?.addEventListener('abort', () => press(0));
      }),
  },
}));

const { recoverRenderer, RELOADS } = await import('../../electron/main/renderer-recovery.ts');

/** A BrowserWindow as far as the recovery uses it. */
class Contents extends EventEmitter {
  reloads = 0;
  reload(): void {
    this.reloads++;
  }
  // Electron: "will cause the render-process-gone event to be emitted with reason=killed".
  forcefullyCrashRenderer(): void {
    this.emit('render-process-gone', {}, { reason: 'killed', exitCode: 9 });
  }
}
class Win extends EventEmitter {
  webContents = new Contents();
  isDestroyed = () => false;
}
function setUp() {
  state.boxes = [];
  state.quits = 0;
  let t = 1_000_000;
  const win = new Win();
  recoverRenderer(win as never, () => t);
  const gone = (reason: string) =>
    win.webContents.emit('render-process-gone', {}, { reason, exitCode: 0 });
  return { win, contents: win.webContents, gone, later: (ms: number) => (t += ms) };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('a page that died', () => {
  it('is reloaded, at most 3 times a minute; then a box says so and offers Reload or Quit', async () => {
    const { contents, gone, later } = setUp();
    gone('clean-exit'); // the window closing
    expect(contents.reloads).toBe(0);
    gone('crashed');
    expect(contents.reloads).toBe(1);
    later(61_000);
    for (let i = 0; i < RELOADS; i++) gone('oom');
    expect(contents.reloads).toBe(1 + RELOADS);
    gone('crashed');
    gone('crashed');
    expect(contents.reloads).toBe(1 + RELOADS);
    expect(state.boxes).toHaveLength(1);
    expect(state.boxes[0]).toMatchObject({
      message: expect.stringContaining(`stopped ${RELOADS + 1} times within a minute`),
      buttons: ['Reload', 'Quit'],
    });
    state.boxes[0]!.press(0);
    await settle();
    expect(contents.reloads).toBe(2 + RELOADS);
    gone('crashed'); // counted afresh after the analyst's Reload
    expect(contents.reloads).toBe(3 + RELOADS);
    for (let i = 0; i < RELOADS; i++) gone('crashed');
    expect(state.boxes).toHaveLength(2);
    state.boxes[1]!.press(1);
    await settle();
    expect(state.quits).toBe(1);
  });
});

describe('a page that stops answering', () => {
  it('gets a Wait/Reload box; Reload starts a new renderer and loads the page in it', async () => {
    const { win, contents } = setUp();
    win.emit('unresponsive');
    win.emit('unresponsive');
    expect(state.boxes).toHaveLength(1);
    expect(state.boxes[0]).toMatchObject({ buttons: ['Wait', 'Reload'] });
    state.boxes[0]!.press(1);
    await settle();
    expect(contents.reloads).toBe(1);
  });

  it('Wait leaves the page alone; the box closes by itself when the page answers again', async () => {
    const { win, contents } = setUp();
    win.emit('unresponsive');
    state.boxes[0]!.press(0);
    await settle();
    win.emit('unresponsive');
    expect(state.boxes).toHaveLength(2);
    win.emit('responsive');
    expect(state.boxes[1]!.signal!.aborted).toBe(true);
    await settle();
    expect(contents.reloads).toBe(0);
  });
});
