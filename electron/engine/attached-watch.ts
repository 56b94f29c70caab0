// Whether the attached export folders changed. Another desk writes and removes snapshots
// there with no event of this one, so an open view (the levels board, History, a
// snapshot's workbench) would show a removed snapshot and miss new ones for as long as it
// stays open. The views ask every few seconds while open (snapshots:attachedCheck); this
// answers from the folders' listings alone, never reading a file: the `snapshots` dataset
// (one file per snapshot: <root>/snapshots/underlying=U/date=D/<id>.parquet) names every
// snapshot a folder holds. A directory's modification time moves when an entry is added,
// removed or renamed in it, so a directory whose time has not moved is not listed again:
// a look at an unchanged folder of 1,000 snapshots is one stat per directory (its
// underlyings and dates), not 1,000 files read. A time within TRUST_AFTER_MS of our
// listing is not trusted (a file added in the same tick of a coarse clock, as on a network
// share): that directory is listed again at the next look. Attached folders are often on a
// share, which can stall: the look's file calls never run on the engine's thread (async),
// one look runs at a time (a stalled one holds one I/O thread, not one more every few
// seconds), and a caller waits for it at most WAIT_MS (answered as no change meanwhile).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SNAPSHOTS_DATASET } from './export-layout.ts';

/** A modification time this close to our listing of the directory may hide a later change. */
const TRUST_AFTER_MS = 2000;
/** How long a caller waits for a look under way (a stalled share): then no change, for now. */
const WAIT_MS = 5000;

interface Listed {
  mtimeMs: number;
  listedAtMs: number;
  names: string[];
}

export interface AttachedLook {
  /** Something changed since the last look (none before the first: it is the baseline). */
  changed: boolean;
  /** Ids of snapshots in the folders at the last look and not now. */
  gone: string[];
  dirs: number;
  listed: number;
}

/** The last look at the configured folders: each directory's listing, and the ids found. */
export class AttachedWatch {
  #dirs = new Map<string, Listed>();
  #key: string | null = null;
  /** The ids each folder held at the last look (a folder not there: none). */
  #ids = new Map<string, Set<string>>();
  #missing = '';
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  #under: Promise<AttachedLook> | null = null;

  /**
   * Looks at `folders` (the attached export folders configured now), or waits for the look
   * under way (at most `waitMs`: a look that has not ended by then answers no change).
   */
  async look(folders: readonly string[], waitMs = WAIT_MS): Promise<AttachedLook> {
    this.#under ??= this.#look(folders).finally(() => (this.#under = null));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<AttachedLook>((resolve) => {
      timer = setTimeout(() => resolve({ changed: false, gone: [], dirs: 0, listed: 0 }), waitMs);
    });
    try {
      return await Promise.race([this.#under, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #look(folders: readonly string[]): Promise<AttachedLook> {
    const count = { dirs: 0, listed: 0 };
    const seen = new Map<string, Listed>();
    const ids = new Map<string, Set<string>>();
    const missing: string[] = [];
    const list = async (dir: string, want: 'dirs' | 'files'): Promise<string[] | null> => {
      let mtimeMs: number;
      try {
        mtimeMs = (await stat(dir)).mtimeMs;
      } catch {
        return null;
      }
      count.dirs++;
      const was = this.#dirs.get(dir);
      const now = this.#now();
      let entry: Listed;
      if (was && was.mtimeMs === mtimeMs && was.listedAtMs - mtimeMs > TRUST_AFTER_MS) entry = was;
      else {
        count.listed++;
        let names: string[];
        try {
          names = (await readdir(dir, { withFileTypes: true }))
            .filter((d) =>
              want === 'dirs'
                ? d.isDirectory() && !d.name.startsWith('.')
                : d.isFile() && d.name.endsWith('.parquet') && !d.name.startsWith('.'),
            )
            .map((d) => d.name);
        } catch {
          return null;
        }
        entry = { mtimeMs, listedAtMs: now, names };
      }
      seen.set(dir, entry);
      return entry.names;
    };
    for (const folder of folders) {
      const root = join(folder, SNAPSHOTS_DATASET);
      const underlyings = await list(root, 'dirs');
      if (underlyings === null) {
        missing.push(folder);
        continue;
      }
      const held = new Set<string>();
      ids.set(folder, held);
      for (const u of underlyings.filter((n) => n.startsWith('underlying='))) {
        const dates = (await list(join(root, u), 'dirs')) ?? [];
        for (const d of dates.filter((n) => n.startsWith('date='))) {
          for (const f of (await list(join(root, u, d), 'files')) ?? [])
            held.add(f.slice(0, -'.parquet'.length));
        }
      }
    }
    const key = JSON.stringify(folders);
    const missingKey = missing.join('\n');
    const first = this.#key === null;
    // Gone: removed from a folder still there. A folder that vanished (a share unmounted)
    // is a change, said by the views' next load, but does not close its open snapshots.
    const gone: string[] = [];
    let came = false;
    for (const [folder, now] of ids) {
      const was = this.#ids.get(folder);
      if (!was) continue;
      let left = 0;
      for (const id of was)
        if (now.has(id)) left++;
        else gone.push(id);
      if (now.size !== left) came = true;
    }
    const changed =
      !first && (key !== this.#key || missingKey !== this.#missing || gone.length > 0 || came);
    this.#dirs = seen;
    this.#key = key;
    this.#ids = ids;
    this.#missing = missingKey;
    return { changed, gone, ...count };
  }
}
