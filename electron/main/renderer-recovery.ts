// A window whose page has died or hangs is given its page back, so that the analyst need
// not quit (which stops the running jobs) to get a working window: a renderer that is gone
// (crashed, killed, out of memory) is reloaded — at most RELOADS times a minute, then a box
// says so and offers to try again or quit —, and one that stops answering gets a box
// offering to wait or reload (it closes by itself if the page answers again).
import { app, dialog, type BrowserWindow } from 'electron';

/** Reloads after a crash allowed within WINDOW_MS before the analyst is asked. */
export const RELOADS = 3;
const WINDOW_MS = 60_000;

export function recoverRenderer(win: BrowserWindow, now: () => number = Date.now): void {
  const contents = win.webContents;
  const reloads: number[] = [];
  let asking = false;

  contents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit' || win.isDestroyed()) return;
    const t = now();
    while (reloads.length > 0 && t - reloads[0]! >= WINDOW_MS) reloads.shift();
    if (reloads.length < RELOADS) {
      reloads.push(t);
      contents.reload();
      return;
    }
    if (asking) return;
    asking = true;
    void dialog
      .showMessageBox(win, {
        type: 'error',
        title: 'GEX Desk’s window keeps failing',
        message: `The window’s page stopped ${RELOADS + 1} times within a minute (${details.reason})`,
        detail:
          'It was reloaded each time and is not reloaded again by itself. Running jobs carry on. ' +
          'Reload it once more, or quit GEX Desk (running jobs are finished or re-queued) and start it again.',
        buttons: ['Reload', 'Quit'],
        defaultId: 0,
        cancelId: 0,
      })
      .then(({ response }) => {
        asking = false;
        if (response === 1) app.quit();
        else if (!win.isDestroyed()) {
          reloads.length = 0;
          contents.reload();
        }
      })
      .catch(() => (asking = false));
  });

  let hung: AbortController | null = null;
  win.on('unresponsive', () => {
    if (hung) return;
    const box = new AbortController();
    hung = box;
    void dialog
      .showMessageBox(win, {
        type: 'warning',
        title: 'GEX Desk is not responding',
        message: 'The window is not responding',
        detail:
          'Wait for it, or reload the page (what is not saved on the page is lost; running jobs carry on).',
        buttons: ['Wait', 'Reload'],
        defaultId: 0,
        cancelId: 0,
        signal: box.signal,
      })
      .then(({ response }) => {
        hung = null;
        // A new renderer: its end reloads the page (render-process-gone above), counted.
        if (response === 1 && !box.signal.aborted && !win.isDestroyed())
          contents.forcefullyCrashRenderer();
      })
      .catch(() => (hung = null));
  });
  // The page answers again: the box has nothing left to ask.
  win.on('responsive', () => hung?.abort());
}
