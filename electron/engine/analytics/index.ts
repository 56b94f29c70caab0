// Many snapshots at once (ANALYTICS.md): an underlying's history in as_of order, the diff
// of two snapshots, the levels board (each underlying's latest snapshot by as_of), and one
// snapshot in full — over the workstation's store and over export folders attached
// read-only (config `attach`, or `--attach DIR`). Snapshots of an attached folder are
// marked with its path as their origin; one whose content, under the same conventions, is
// already listed (the store, or an earlier folder) is listed once, from the first origin. History and levels read
// many files: one that cannot be read is named beside what the others gave, so that it
// hides only its own snapshot; one snapshot read in full (or diffed) unreadable is an error.
// An attached folder that cannot be read at all (a share not mounted, a folder renamed) is
// named the same way, beside what the store and the other folders gave: it hides only
// what it holds, and a snapshot looked for and not found is said to perhaps be there. So is
// one on a file system that can stall that did not answer its probe (attached-probe.ts):
// nothing of the engine's own touches it, not even a stat.
import { resolve } from 'node:path';
import type {
  AttachedFolderProblem,
  HistoryAnswer,
  HistoryRequest,
  LevelsAnswer,
  SnapshotCells,
  SnapshotDetail,
  SnapshotDiff,
  UnreadableFile,
} from '../../../shared/api.ts';
import { conventionsKey } from '../../../shared/domain.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import type { Store } from '../store/db.ts';
import { snapshotDetail } from '../store/snapshot-detail.ts';
import { exportCells, storeCells } from './cells.ts';
import { diffSnapshots } from './diff.ts';
import { exportDetail } from './export-detail.ts';
import type { AttachedProbes } from './attached-probe.ts';
import {
  attachedQuery,
  cannotBeRead,
  ExportFolder,
  type UnreadableExport,
} from './export-folder.ts';
import { ExportOrigin } from './export-origin.ts';
import { compareSnapshots, isLater } from './snapshot-order.ts';
import { StoreOrigin } from './store-origin.ts';
import { historyPoint, levelsRow, type SnapshotOrigin, type SnapshotSummary } from './summary.ts';
import { resolveBounds } from './time-bounds.ts';
import { AMBIGUOUS_SHOWN, idKey, MIN_ID_START, onlyId } from '../store/id-start.ts';
import { echoed, visibleName } from '../../../shared/visible.ts';

export interface AnalyticsOptions {
  store: Store;
  /** Export folders (other workstations' data folders) to read beside the store. */
  attach?: string[];
  /** The exchange's time zone: a date bound (YYYY-MM-DD) is that day there. */
  timeZone: string;
  /** Epoch ms now (levels' age); replaced only in tests about time. */
  now?: () => number;
  /**
   * The probes of attached folders on file systems that can stall, asked before each query
   * (shared by the queries of a desk); none: no folder is probed.
   */
  probes?: AttachedProbes;
}

/** The unreadable files as an answer lists them: each once, by path. */
const named = (files: UnreadableExport[]) =>
  [...new Map(files.map((f) => [f.file, f.unreadable])).values()].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );

export class Analytics {
  readonly #local: StoreOrigin;
  readonly #attached: ExportOrigin[];
  readonly #store: Store;
  readonly #timeZone: string;
  readonly #now: () => number;
  readonly #probes: AttachedProbes | undefined;
  /** The attached folders that did not answer their probe before this query, and why. */
  #silent = new Map<string, string>();

  constructor(opts: AnalyticsOptions) {
    this.#probes = opts.probes;
    this.#store = opts.store;
    this.#local = new StoreOrigin(opts.store);
    const roots = [...new Set((opts.attach ?? []).map((d) => resolve(d)))];
    this.#attached = roots.map((root) => new ExportOrigin(new ExportFolder(root)));
    this.#timeZone = opts.timeZone;
    this.#now = opts.now ?? Date.now;
  }

  /**
   * The attached folders nothing is read from, and why: those that cannot be read
   * (ExportFolder.unreadable: `cannot_read`), then those that hold no export (problem).
   */
  notExports(): AttachedFolderProblem[] {
    return this.#attached.flatMap((a): AttachedFolderProblem[] => {
      const unreadable = this.#unreadable(a);
      if (unreadable) return [{ path: a.origin, message: unreadable, cannot_read: true }];
      const problem = a.folder.problem();
      return problem ? [{ path: a.origin, message: problem }] : [];
    });
  }

  /** The attached folders that cannot be read, as an answer of one or two snapshots names them. */
  #unread(): UnreadableFile[] {
    return this.#attached.flatMap((a) => {
      const unreadable = this.#unreadable(a);
      return unreadable ? [{ path: a.origin, message: unreadable }] : [];
    });
  }

  get attached(): string[] {
    return this.#attached.map((a) => a.origin);
  }

  /**
   * The store, then each attached folder that can be read. One that cannot (gone, a file,
   * forbidden) is left out and named in the answer (notExports, #unread): it hides only what
   * it holds, never the store's snapshots or the other folders'.
   */
  #readable(): ExportOrigin[] {
    return this.#attached.filter((a) => this.#unreadable(a) === null);
  }

  /**
   * Why a folder cannot be read: it did not answer its probe (then nothing else touches
   * it), else ExportFolder.unreadable.
   */
  #unreadable(a: ExportOrigin): string | null {
    const silent = this.#silent.get(a.origin);
    return silent
      ? cannotBeRead(`it ${silent}`, 'try again once it answers, or change attach in config.json')
      : a.folder.unreadable();
  }

  /** Probes the attached folders that can stall (attached-probe.ts), before a query reads them. */
  async #probe(): Promise<void> {
    const probes = this.#probes;
    if (!probes) return;
    const said = await Promise.all(this.#attached.map((a) => probes.silent(a.origin)));
    this.#silent = new Map(
      this.#attached.flatMap((a, i): [string, string][] => {
        const why = said[i];
        return why ? [[a.origin, why]] : [];
      }),
    );
  }

  #origins(): SnapshotOrigin[] {
    return [this.#local, ...this.#readable()];
  }

  // Each query answers a Result: a file of an attached folder that cannot be read (a copy
  // still arriving) is BAD_SHAPE, naming it, not an internal error — or, in history and
  // levels, listed in `unreadable` beside the other files' rows.
  async history(req: HistoryRequest): Promise<Result<HistoryAnswer>> {
    await this.#probe();
    return attachedQuery(() => this.#history(req));
  }

  async levels(): Promise<Result<LevelsAnswer>> {
    await this.#probe();
    return attachedQuery(() => this.#levels());
  }

  async diff(fromId: string, toId: string): Promise<Result<SnapshotDiff>> {
    await this.#probe();
    return this.#naming(await attachedQuery(() => this.#diff(fromId, toId)));
  }

  async snapshot(id: string): Promise<Result<SnapshotDetail>> {
    await this.#probe();
    return this.#naming(
      await attachedQuery(() =>
        this.#read(id, (i) => snapshotDetail(this.#store, i), exportDetail),
      ),
    );
  }

  /** An answer of one or two snapshots, with the attached folders that could not be read, when any. */
  #naming<T extends object>(r: Result<T>): Result<T & { unread_folders?: UnreadableFile[] }> {
    if (!r.ok) return r;
    const unread = this.#unread();
    return unread.length === 0 ? r : ok({ ...r.value, unread_folders: unread });
  }

  /**
   * One snapshot's strike × expiry cells, from the store or the attached folder that holds
   * it: all, or with `windowShare` those of the strikes within spot ± that share.
   */
  async cells(id: string, windowShare?: number): Promise<Result<SnapshotCells>> {
    await this.#probe();
    return attachedQuery(() =>
      this.#read(
        id,
        (i) => storeCells(this.#store, i, windowShare),
        (folder, i) => exportCells(folder, i, windowShare),
      ),
    );
  }

  async #history(req: HistoryRequest): Promise<Result<HistoryAnswer>> {
    const bounds = resolveBounds(req.from, req.to, this.#timeZone);
    if (!bounds.ok) return bounds;
    const origins = this.#origins();
    const seen = new Set<string>();
    const all: SnapshotSummary[] = [];
    const unreadable: UnreadableExport[] = [];
    for (const origin of origins) {
      const read = await origin.history(req.underlying, bounds.value.fromMs, bounds.value.toMs);
      unreadable.push(...read.unreadable);
      for (const s of read.rows) {
        const key = sameSnapshotKey(s);
        if (seen.has(key)) continue;
        seen.add(key);
        all.push(s);
      }
    }
    if (
      all.length === 0 &&
      unreadable.length === 0 &&
      !(await this.#known(origins, req.underlying))
    ) {
      return err(
        'NOT_FOUND',
        `There is no snapshot of ${visibleName(req.underlying.toUpperCase())}${this.#where()}.${this.#wrongFolders()}`,
      );
    }
    // One order whatever the origin (snapshot-order.ts); the same snapshot in two origins
    // (its id) keeps the store's place, then the folders' (a stable sort).
    all.sort(compareSnapshots);
    return ok({
      rows: all.map(historyPoint),
      unreadable: named(unreadable),
      not_exports: this.notExports(),
      attached: this.attached,
    });
  }

  async #levels(): Promise<Result<LevelsAnswer>> {
    const origins = this.#origins();
    const best = new Map<string, SnapshotSummary>();
    const unreadable: UnreadableExport[] = [];
    for (const origin of origins) {
      const read = await origin.latest();
      unreadable.push(...read.unreadable);
      for (const s of read.rows) {
        const key = s.underlying.toUpperCase();
        const b = best.get(key);
        if (!b || isLater(s, b)) best.set(key, s);
      }
    }
    const now = this.#now();
    return ok({
      rows: [...best.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, s]) => levelsRow(s, now)),
      unreadable: named(unreadable),
      not_exports: this.notExports(),
      attached: this.attached,
    });
  }

  async #diff(fromId: string, toId: string): Promise<Result<SnapshotDiff>> {
    const origins = this.#origins();
    const a = await this.#find(origins, fromId);
    if (!a.ok) return a;
    const b = await this.#find(origins, toId);
    if (!b.ok) return b;
    return ok(
      diffSnapshots(
        a.value.summary,
        b.value.summary,
        await a.value.origin.strikes(a.value.summary.id),
        await b.value.origin.strikes(b.value.summary.id),
      ),
    );
  }

  /** What the store, else the first attached folder, gives for the snapshot `id` names (#resolve). */
  async #read<T>(
    id: string,
    local: (id: string) => Promise<T | undefined>,
    attached: (folder: ExportFolder, id: string) => Promise<T | undefined>,
  ): Promise<Result<T>> {
    const readable = this.#readable();
    const exact = async (i: string): Promise<T | undefined> => {
      const found = await local(i);
      if (found) return found;
      for (const a of readable) {
        const there = await attached(a.folder, i);
        if (there) return there;
      }
      return undefined;
    };
    const direct = await exact(idKey(id));
    if (direct) return ok(direct);
    const full = await this.#resolve(this.#origins(), id);
    if (!full.ok) return full;
    const found = await exact(full.value);
    return found ? ok(found) : this.#notFound(full.value);
  }

  async #find(
    origins: SnapshotOrigin[],
    id: string,
  ): Promise<Result<{ origin: SnapshotOrigin; summary: SnapshotSummary }>> {
    const exact = async (i: string) => {
      for (const origin of origins) {
        const summary = await origin.summary(i);
        if (summary) return { origin, summary };
      }
      return undefined;
    };
    const direct = await exact(idKey(id));
    if (direct) return ok(direct);
    const full = await this.#resolve(origins, id);
    if (!full.ok) return full;
    const found = await exact(full.value);
    return found ? ok(found) : this.#notFound(full.value);
  }

  #notFound(id: string, underlying = false): Result<never> {
    // An analyst who types a ticker where an id goes (`snapshot SPX`) is told where the ids are.
    const hint = underlying
      ? ` ${echoed(id.toUpperCase())} is an underlying, not a snapshot id: its history lists its snapshots with their ids.`
      : '';
    return err(
      'NOT_FOUND',
      `There is no snapshot ${echoed(id)}${this.#where()}.${hint}${this.#wrongFolders()}`,
    );
  }

  /**
   * The id of the one snapshot whose id begins with `prefix` (id-start.ts; looked up as
   * idKey gives it, named as given). NOT_FOUND when none; VALIDATION naming them when several.
   */
  async #resolve(origins: SnapshotOrigin[], prefix: string): Promise<Result<string>> {
    const ids: string[] = [];
    const key = idKey(prefix);
    if (key.length >= MIN_ID_START)
      for (const o of origins) ids.push(...(await o.idsStartingWith(key, AMBIGUOUS_SHOWN)));
    return (
      onlyId(prefix, ids, 'snapshot') ??
      this.#notFound(prefix, await this.#known(origins, prefix.trim().toUpperCase()))
    );
  }

  async #known(origins: SnapshotOrigin[], underlying: string): Promise<boolean> {
    for (const o of origins) if (await o.hasUnderlying(underlying)) return true;
    return false;
  }

  /**
   * The attached folders nothing is read from, as sentences after a "no snapshot": "The
   * attached folder P …", so that the app too shows P whole (clean-error.ts).
   */
  #wrongFolders(): string {
    return this.notExports()
      .map((f) => ` The attached folder ${f.path} ${f.message}.`)
      .join('');
  }

  #where(): string {
    return this.#attached.length === 0
      ? ''
      : ` (in the store or the attached folders ${this.attached.join(', ')})`;
  }
}

/**
 * What makes two origins' snapshots one: the same content computed under the same
 * conventions (the store's duplicate rule). The same file under other conventions is
 * another snapshot, with other figures; not recorded is its own kind.
 */
function sameSnapshotKey(s: SnapshotSummary): string {
  return `${s.content_hash} ${s.conventions ? conventionsKey(s.conventions) : 'not recorded'}`;
}
