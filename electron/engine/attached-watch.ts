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
// share): that directory is listed again at the next look.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SNAPSHOTS_DATASET } from './export-layout.ts';

/** A modification time this close to our listing of the directory may hide a later change. */
const TRUST_AFTER_MS = 2000;

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

  /** Looks at `folders` (the attached export folders configured now). */
  look(folders: readonly string[]): AttachedLook {
    const count = { dirs: 0, listed: 0 };
    const seen = new Map<string, Listed>();
    const ids = new Map<string, Set<string>>();
    const missing: string[] = [];
    const list = (dir: string, want: 'dirs' | 'files'): string[] | null => {
      let mtimeMs: number;
      try {
        mtimeMs = statSync(dir).mtimeMs;
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
          names = readdirSync(dir, { withFileTypes: true })
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
      const underlyings = list(root, 'dirs');
      if (underlyings === null) {
        missing.push(folder);
        continue;
      }
      const held = new Set<string>();
      ids.set(folder, held);
      for (const u of underlyings.filter((n) => n.startsWith('underlying='))) {
        for (const d of (list(join(root, u), 'dirs') ?? []).filter((n) => n.startsWith('date='))) {
          for (const f of list(join(root, u, d), 'files') ?? [])
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
