// While the engine waits for a gex-desk command that holds the database (a script's
// ingest; up to GEX_DESK_LOCK_WAIT_MS), the window is up with nothing behind it yet: a box
// on it says what it waits for and offers Quit, and closes by itself once the wait is over.
import { app, dialog, type BrowserWindow, type MessageBoxOptions } from 'electron';
import { lockWaitMs } from '../host/local/wait-for-command.ts';

/** Shows the box (`line`: what is waited for); returns the function that closes it. */
export function showWaiting(win: BrowserWindow | null, line: string): () => void {
  const closed = new AbortController();
  const box: MessageBoxOptions = {
    type: 'info',
    title: 'GEX Desk is waiting',
    message: 'Waiting for the gex-desk command that is using the database',
    detail: `${line[0]!.toUpperCase()}${line.slice(1)}\n\nGEX Desk starts as soon as it has ended (it waits up to ${lockWaitMs() / 1000} s).`,
    buttons: ['Quit'],
    signal: closed.signal,
  };
  const shown = win ? dialog.showMessageBox(win, box) : dialog.showMessageBox(box);
  // Closed through the signal, the box answers as if cancelled: that is no Quit.
  void shown.then(
    () => closed.signal.aborted || app.quit(),
    () => undefined,
  );
  return () => closed.abort();
}
