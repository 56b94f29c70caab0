// The desktop app's launch, guarded: whatever goes wrong while it starts — the engine
// refuses to start (the database is held by another process, a bad config file) or a
// later step throws (the window, the menu) — the user sees a dialog saying why, the
// engine (if it started) is shut down so that neither the database lock nor a worker
// outlives the app, and the app exits with 3. The launch never ends in an unhandled
// rejection.
import type { AppError, Result } from '../../shared/result.ts';

/** What the guard needs of a started engine. */
export interface Releasable {
  shutdown(timeoutMs?: number): Promise<void>;
}

/** What the guard needs of Electron (replaced in tests). */
export interface StartupShell {
  showError(title: string, message: string): void;
  exit(code: number): void;
  log(event: string, error: unknown): void;
  /** Which GEX Desk program runs an engine on `dbPath` ("gex-desk serve, PID 123"), if one does. */
  whoRuns?(dbPath: string): string | null;
}

/**
 * A launch: `started` is told about the engine as soon as it runs, so that a later
 * failure can release it; an engine that could not start is an error value.
 */
export type Launch = (started: (engine: Releasable) => void) => Promise<Result<void>>;

export const START_FAILED_TITLE = 'GEX Desk cannot start';

export function describeStartError(e: AppError, who: string | null = null): string {
  if (e.code === 'DB_LOCKED' && who)
    return `GEX Desk already runs on the database ${e.file} (${who}).\n\nUse that one, or stop it and start GEX Desk again.`;
  const where = e.file ? `\n\n${e.file}` : '';
  const hint =
    e.code === 'DB_LOCKED'
      ? '\n\nClose the other program that uses the database (a gex-desk command?) and start GEX Desk again.'
      : '';
  return `${e.message}${where}${hint}`;
}

/** Runs `launch`; true when the app is up, false when it failed and the app is exiting. */
export async function launchOrExit(launch: Launch, shell: StartupShell): Promise<boolean> {
  let engine: Releasable | null = null;
  let message: string;
  try {
    const launched = await launch((e) => (engine = e));
    if (launched.ok) return true;
    const { error } = launched;
    message = describeStartError(
      error,
      error.code === 'DB_LOCKED' && error.file ? (shell.whoRuns?.(error.file) ?? null) : null,
    );
  } catch (e) {
    shell.log('launch.failed', e);
    message = `Starting the window failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  // Release the database before the (modal) dialog, so that it is free while the user reads.
  const held = engine as Releasable | null;
  if (held) {
    try {
      await held.shutdown(5000);
    } catch (e) {
      shell.log('launch.shutdown_failed', e);
    }
  }
  try {
    shell.showError(START_FAILED_TITLE, message);
  } catch (e) {
    shell.log('launch.dialog_failed', e);
  }
  shell.exit(3);
  return false;
}
