// Export files to remove once their snapshots' rows are gone. Removing snapshots deletes
// the rows in a transaction and the files after its commit: an engine killed in between
// left the files for good, and a workstation attaching the folder read the removed
// snapshots from them again. The files are noted here before the commit, and the note
// goes once they are removed; a note a dead process left is settled at the next start
// (and before the next removal): its files go when their snapshot is gone from the
// store, and stay when the transaction never committed.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeDirs } from '../make-dirs.ts';
import { ownFolder } from '../own-folder.ts';
import type { Store } from './db.ts';

export interface Noted {
  snapshot_id: string;
  files: string[];
}

/**
 * Removes the files that exist; returns those removed (one another program holds open on
 * Windows stays). A partition folder (`date=…`, then `underlying=…`) left empty goes too,
 * that every reader of the folder would otherwise step over for good (a writer that needs
 * it again makes it again: parquet-out.ts).
 */
export function removeFiles(files: readonly string[]): string[] {
  const removed: string[] = [];
  for (const f of files) {
    if (!existsSync(f)) continue;
    try {
      rmSync(f, { force: true });
      removed.push(f);
    } catch {
      // Left out.
    }
  }
  for (const folder of new Set(removed.map(dirname))) {
    if (removeIfEmpty(folder)) removeIfEmpty(dirname(folder));
  }
  return removed;
}

/** Whether the folder was empty and is gone (a writer that creates it again meanwhile wins). */
function removeIfEmpty(folder: string): boolean {
  try {
    rmdirSync(folder);
    return true;
  } catch {
    return false; // not empty, or gone already
  }
}

export class RemovalIntents {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Notes the files of these snapshots; returns the note, to give to `done` once they are removed. */
  note(noted: Noted[]): string {
    makeDirs(this.#dir);
    const path = join(this.#dir, `${randomUUID()}.json`);
    writeFileSync(path, JSON.stringify(noted));
    return path;
  }

  done(note: string): void {
    rmSync(note, { force: true });
  }

  /** Settles what dead processes left noted; returns the files removed. */
  async settle(store: Store): Promise<string[]> {
    if (!existsSync(this.#dir)) return [];
    const notes = readdirSync(this.#dir).map((name) => join(this.#dir, name));
    const removed: string[] = [];
    for (const note of notes) {
      let noted: Noted[] = [];
      try {
        noted = JSON.parse(readFileSync(note, 'utf8')) as Noted[];
      } catch {
        // Cut short by the kill while it was written: the transaction had not begun to commit.
      }
      if (noted.length > 0) {
        const kept = await store.all<{ id: string }>(
          `SELECT id FROM gex_snapshots WHERE list_contains(from_json($1, '["VARCHAR"]'), id)`,
          [JSON.stringify(noted.map((n) => n.snapshot_id))],
        );
        const stored = new Set(kept.map((r) => r.id));
        for (const n of noted)
          if (!stored.has(n.snapshot_id)) removed.push(...removeFiles(n.files));
      }
      this.done(note);
    }
    return removed;
  }
}

/** The notes of a database's removals: in a folder of its own in the data folder. */
export const removalIntentsOf = (c: { dataDir: string; dbPath: string }): RemovalIntents =>
  new RemovalIntents(ownFolder(c.dataDir, c.dbPath, 'removing'));
