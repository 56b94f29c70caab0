// A gex-desk command that opened the database itself (nothing else was running) leaves
// a holder note (discovery.ts) and ends by itself. Whoever then finds the database
// locked by it — the next command, `gex-desk serve`, the desktop app — waits for it to
// end and opens again, instead of failing: scripts that overlap take turns. Up to
// GEX_DESK_LOCK_WAIT_MS (2 min by default); anything else holding the database is
// reported at once (a command that has locked it but not noted it yet says that it is
// opening it: opening.ts). The note is looked for in the user folder of whoever
// waits, then in the one the mark beside the database names (db-mark.ts): a command run
// with another GEX_DESK_HOME is waited for too.
import { setTimeout as delay } from 'node:timers/promises';
import { err, type AppError, type Result } from '../../../shared/result.ts';
import { envNumberOr } from '../../engine/env.ts';
import { homesOf } from './db-mark.ts';
import { holderFile, readHolder, type Holder } from './discovery.ts';
import { lockPidOf, openingHolder } from './opening.ts';

/** A command's holder note, and the user folder it was found in. */
export type FoundHolder = Holder & { home: string };

/** How long to wait for a command that holds the database (GEX_DESK_LOCK_WAIT_MS). */
export function lockWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  return envNumberOr(env, 'GEX_DESK_LOCK_WAIT_MS');
}

/**
 * The command that holds the database of a DB_LOCKED error (its `file`): a live holder
 * note whose process is the one the lock names; null when something else holds it.
 */
export function commandHolding(home: string, locked: AppError): FoundHolder | null {
  if (locked.code !== 'DB_LOCKED' || !locked.file) return null;
  const lockPid = /PID (\d+)/.exec(locked.message)?.[1];
  for (const h of homesOf(home, locked.file)) {
    const holder = readHolder(holderFile(h, locked.file));
    if (holder && (!lockPid || Number(lockPid) === holder.pid)) return { ...holder, home: h };
  }
  return null;
}

/**
 * A command notes that it holds the database just after it has opened it: one that locked
 * it a moment ago may not have yet. How long the lock's process is given to — only when it
 * said it was opening the database as a command (opening.ts): any other holder, a plain
 * DuckDB process or an engine, has no note to wait for.
 */
const NOTE_GRACE_MS = 2_000;

/** The command holding the database once its note appears, within `ms`; null if none does. */
async function noteWithin(home: string, locked: AppError, ms: number): Promise<FoundHolder | null> {
  if (locked.code !== 'DB_LOCKED' || !locked.file) return null;
  const lockPid = lockPidOf(locked.message);
  if (lockPid === undefined) return null;
  for (const until = Date.now() + ms; Date.now() < until;) {
    if (openingHolder(home, locked.file, lockPid)?.kind !== 'command') return null;
    await delay(100);
    const holder = commandHolding(home, locked);
    if (holder) return holder;
  }
  return null;
}

/**
 * Resolves once `holder` has let go of the database (its note is gone or another's), at
 * `deadline`, or once `signal` is aborted.
 */
export async function holderEnded(
  dbPath: string,
  holder: FoundHolder,
  deadline: number,
  signal?: AbortSignal,
): Promise<void> {
  const file = holderFile(holder.home, dbPath);
  while (readHolder(file)?.pid === holder.pid && Date.now() < deadline && !signal?.aborted)
    await delay(100);
}

export function busyMessage(db: string, h: Holder, waitedMs: number): string {
  const what = h.kind === 'engine' ? 'running jobs' : 'reading it';
  return `The database ${db} is in use by another gex-desk command (PID ${h.pid}, ${what} since ${h.started_at}), which has not finished after ${waitedMs / 1000} s of waiting (GEX_DESK_LOCK_WAIT_MS). Wait for it to end, then try again.`;
}

export const waitingLine = (db: string, h: Holder): string =>
  `the database ${db} is in use by another gex-desk command (PID ${h.pid}); waiting for it to finish…`;

/**
 * `start` (an engine on the database), again after each command that held the database
 * has ended; its own result otherwise. `onWait` is told once, when waiting begins.
 * `signal` (the command interrupted) ends the wait at once, with CANCELLED: nothing is
 * opened. A `start` under way is let finish.
 */
export async function startAfterCommands<T>(
  home: string,
  start: () => Promise<Result<T>>,
  onWait: (line: string) => void,
  signal?: AbortSignal,
): Promise<Result<T>> {
  const waitMs = lockWaitMs();
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    const r = await start();
    if (r.ok) return r;
    const holder =
      commandHolding(home, r.error) ?? (await noteWithin(home, r.error, NOTE_GRACE_MS));
    if (!holder) return r;
    if (signal?.aborted)
      return err(
        'CANCELLED',
        `interrupted while waiting for another gex-desk command (PID ${holder.pid}) to finish with the database ${r.error.file}`,
        { file: r.error.file },
      );
    if (Date.now() >= deadline)
      return {
        ok: false,
        error: { ...r.error, message: busyMessage(r.error.file!, holder, waitMs) },
      };
    if (!told) onWait(waitingLine(r.error.file!, holder));
    told = true;
    await holderEnded(r.error.file!, holder, deadline, signal);
  }
}
