// What a request is decided from that only the store knows — whether its content is
// already a snapshot under the engine's conventions (whose totals are then this file's
// too; the same bytes under other conventions are another snapshot, and a snapshot stored
// before conventions were recorded stays its content's duplicate, as it was), the total GEX it is
// compared with (GUIDELINES v2: the latest EARLIER request of the same underlying whose
// file was read, else the latest snapshot of it), its source's record and an analyst's
// override of its reliability as of its arrival — kept in memory.
// The engine is the only writer of the database, so it can: loaded once at start, then
// kept by the events every change is announced with (after its commit). A burst of
// arrivals then needs no query before its decision: at 70 files a second, one query
// each (6 ms here) was most of what held acknowledgements back.
import {
  conventionsKey,
  DEFAULT_CONVENTIONS,
  MEASURES_VERSION,
  type GexConventions,
  TERMINAL_STATUSES,
  type GEXSnapshot,
  type ProcessingJob,
} from '../../../shared/domain.ts';
import type { GexChangeBase } from '../../../shared/api.ts';
import { INPUT_ERRORS } from '../../../shared/result.ts';
import { num, type Store } from '../store/db.ts';
import { conventionsOf } from '../store/snapshots.ts';
import { isLater } from '../analytics/snapshot-order.ts';
import { failedOnInput, keptFailures, reliabilityOf } from '../store/sources.ts';

export interface RequestContext {
  duplicate: {
    id: string;
    total_volume: number;
    total_open_interest: number;
    total_gex: number;
  } | null;
  /** The total GEX `gex_change` compares with; null when there is none (a first snapshot is news). */
  previous_total_gex: number | null;
  /** Whose total that is: the previous request's (its file read) or a stored snapshot's. */
  previous: GexChangeBase | null;
  /**
   * No earlier request of the underlying (or of one not known yet) may still bring a total:
   * `previous_total_gex` is final. False while one is waiting for its read or its run, which
   * may make it this request's previous one (so `gex_change` is not known at arrival).
   */
  previous_final: boolean;
  /** The source has a record (a row in `sources`) now; its reliability is read at the arrival (sourceAt). */
  source_known: boolean;
}

/**
 * What a request's `gex_change` was computed against (QA gd F5: nowhere said, so an analyst
 * checking a level against the Snapshots list found another "previous"): the previous
 * request of the underlying whose file was read (queued, running or done, a duplicate too),
 * else the latest snapshot stored before the arrival; its total GEX.
 */
export type { GexChangeBase };

/** A source's record: its outcomes counted, and an analyst's override of its reliability. */
interface SourceRecord {
  ok: number;
  failed: number;
  override: number | null;
}

/**
 * A change of a source's record, at the moment the memory learnt it (its clock): what a
 * request that arrived before it reads without (sourceAt).
 */
interface RecordChange {
  atMs: number;
  /** The order learnt in. */
  seq: number;
  source: string;
  /** The record before the change. */
  was: SourceRecord;
}

interface StoredSnapshot {
  id: string;
  underlying: string;
  total_volume: number;
  total_open_interest: number;
  total_gex: number;
  /** The measures it was stored with; an older one is ingested again, not a duplicate. */
  measures_version: number;
  /** The conventions key it was computed under (conventionsKey); null: not recorded. */
  conventions: string | null;
  asOfMs: number;
  createdMs: number;
}

/**
 * Where a request stands in arrival order: its arrival, then the order the engine took it
 * in — the files of one command share its start as their arrival, to the millisecond.
 */
interface Arrived {
  arrivedMs: number;
  seq: number;
}

const before = (a: Arrived, b: Arrived) =>
  a.arrivedMs < b.arrivedMs || (a.arrivedMs === b.arrivedMs && a.seq < b.seq);

interface Read extends Arrived {
  requestId: string;
  totalGex: number;
}

const key = (underlying: string) => underlying.toUpperCase();

/**
 * Where an unread request stands: `arriving` (being captured and decided at the door: its
 * job not written yet), `deciding` (waiting for its facts read), `decided` (decided at its
 * arrival, its job queued or running: its total comes with its run, unless a later
 * request whose level depends on it reads its file first).
 */
type Unread = 'arriving' | 'deciding' | 'decided';

export class IntakeMemory {
  /** The engine's conventions (conventionsKey): what a run of a request computes under. */
  readonly #conventions: string;
  /** Per content hash, its snapshots (one per conventions they were computed under). */
  #byHash = new Map<string, StoredSnapshot[]>();
  #byId = new Map<string, StoredSnapshot>();
  /** Per underlying, the snapshot with the latest as_of. */
  #latest = new Map<string, StoredSnapshot>();
  /** Per underlying, the requests whose file was read, in arrival order. */
  #reads = new Map<string, Read[]>();
  #readOf = new Map<string, string>();
  /**
   * Requests whose total may still become known — arrived, not read, not ended — by id:
   * their underlying (null until known), arrival, and where they stand (Unread). `oneOf`:
   * while the underlying is not known, the only ones it may be (a first name ending in a
   * digit: PO01 → PO01, PO0, PO; sniff.ts `underlying_one_of`); null: any.
   */
  #unread = new Map<
    string,
    Arrived & { key: string | null; oneOf: string[] | null; state: Unread }
  >();
  /** Requests waiting for the earlier reads of their underlying (whenEarlierRead). */
  #waiters = new Set<{ still: () => boolean; resolve: () => void }>();
  /** Each request's place in arrival order among those of the same millisecond. */
  #seqOf = new Map<string, number>();
  #seq = 0;
  /** The latest arrival the engine has taken (stored, or since its start): none goes before it. */
  #lastArrivalMs = -Infinity;
  #sources = new Map<string, SourceRecord>();
  /**
   * The sources' changes at or after the latest arrival taken, in the order learnt: a
   * request that arrived before one reads the record without it, however long its capture
   * waited (sourceAt). Earlier ones count for every arrival still to come (placeArrival).
   */
  #changes: RecordChange[] = [];
  #changeSeq = 0;
  /**
   * The latest arrival's millisecond, and how many changes were learnt when it was first
   * stamped: those of that millisecond learnt before count for it (an override set, then a
   * file sent within the same millisecond), those learnt after do not — for any request
   * of the arrival, whenever it is stamped.
   */
  #stamped = { ms: -Infinity, seq: 0 };
  readonly #clock: () => number;
  /** The last revision of each job whose final state was counted (an event may come twice). */
  #counted = new Map<string, number>();
  /**
   * Jobs whose failure on input counts against their source, by id: their source. The
   * failure keeps counting while an analyst's retry of it waits or runs (and after a retry
   * that is cancelled); the retry's end replaces it, as in the store (recordOutcome): a
   * success takes it back, a failure on input again is the same failure, not one more.
   */
  #failures = new Map<string, string>();

  constructor(conventions: GexConventions = DEFAULT_CONVENTIONS, clock: () => number = Date.now) {
    this.#conventions = conventionsKey(conventions);
    this.#clock = clock;
  }

  /** `conventions`: the engine's (its config's), which its runs compute under. */
  static async load(
    store: Store,
    conventions: GexConventions = DEFAULT_CONVENTIONS,
  ): Promise<IntakeMemory> {
    const m = new IntakeMemory(conventions);
    // Every snapshot and every read request, however long the history: as JSON (allJson),
    // which takes a third off what a long history adds to the start (20,000 snapshots and
    // 30,000 requests: 195 → 130 ms).
    for (const r of await store.allJson<
      Omit<StoredSnapshot, 'conventions'> & { content_hash: string; conventions: string | null }
    >(
      `SELECT id, content_hash, conventions::VARCHAR AS conventions, underlying, total_volume::DOUBLE AS total_volume,
         total_open_interest::DOUBLE AS total_open_interest, total_gex::DOUBLE AS total_gex,
         coalesce(measures_version, 0)::DOUBLE AS measures_version,
         epoch_ms(as_of)::DOUBLE AS asOfMs, epoch_ms(created_at)::DOUBLE AS createdMs
       FROM gex_snapshots`,
    ))
      m.#addSnapshot(r.content_hash, { ...r, conventions: keyOf(conventionsOf(r.conventions)) });
    const reads = await store.allJson<{
      id: string;
      underlying: string;
      arrived: number;
      total_gex: number;
      seq: number;
      arrival_order: number | null;
    }>(
      `SELECT r.id, r.underlying, epoch_ms(r.submitted_at)::DOUBLE AS arrived, r.total_gex::DOUBLE AS total_gex,
         j.seq::DOUBLE AS seq, r.arrival_order::DOUBLE AS arrival_order
       FROM requests r JOIN jobs j ON j.request_id = r.id
       WHERE r.total_gex IS NOT NULL AND r.underlying IS NOT NULL AND j.status NOT IN ('failed', 'cancelled')`,
    );
    const unread = await store.all<{
      id: string;
      underlying: string | null;
      arrived: number;
      seq: number;
      arrival_order: number | null;
      status: string;
    }>(
      `SELECT r.id, coalesce(j.underlying, r.underlying) AS underlying, epoch_ms(r.submitted_at)::DOUBLE AS arrived,
         j.seq::DOUBLE AS seq, r.arrival_order::DOUBLE AS arrival_order, j.status
       FROM requests r JOIN jobs j ON j.request_id = r.id
       WHERE r.total_gex IS NULL AND j.status IN ('deciding', 'queued', 'running')`,
    );
    // Each request's place in arrival order, read and unread alike: the files of one command
    // share its arrival to the millisecond, and are placed as they were submitted (their
    // stored `arrival_order`; their jobs' `seq` for requests stored before it was, which is
    // the order their captures ended). A sort by arrival alone left ties in the order the
    // store gave them. Places given from now on follow every stored one.
    const inOrder = [...reads, ...unread].sort(
      (a, b) =>
        a.arrived - b.arrived ||
        (a.arrival_order !== null && b.arrival_order !== null
          ? a.arrival_order - b.arrival_order
          : a.seq - b.seq),
    );
    const last = await store.all<{ n: number | null; at: number | null }>(
      'SELECT max(arrival_order)::DOUBLE AS n, epoch_ms(max(submitted_at))::DOUBLE AS at FROM requests',
    );
    m.#seq = last[0]?.n ?? 0;
    m.#lastArrivalMs = last[0]?.at ?? -Infinity;
    m.#stamped = { ms: m.#lastArrivalMs, seq: 0 };
    for (const r of inOrder) m.#seqFor(r.id);
    for (const r of reads) m.noteRead(r.id, r.underlying, r.arrived, r.total_gex);
    // Those whose underlying is not known yet: the ones their file's ends said it may be.
    const oneOf = await underlyingsAtArrival(
      store,
      unread.filter((r) => r.underlying === null).map((r) => r.id),
    );
    for (const r of unread) {
      m.noteArrival(
        r.id,
        r.arrived,
        r.underlying,
        r.status === 'deciding' ? 'deciding' : 'decided',
        oneOf.get(r.id) ?? null,
      );
    }
    for (const r of await store.all(
      'SELECT id, ingests_ok, ingests_failed, reliability_override FROM sources',
    ))
      m.#sources.set(r.id as string, {
        ok: num(r.ingests_ok),
        failed: num(r.ingests_failed),
        override: r.reliability_override === null ? null : num(r.reliability_override),
      });
    // The failures counted before this start, which a retry's success may still take back:
    // those of failed jobs, and those of retries not ended (or cancelled) when it stopped.
    for (const r of await store.all<{ id: string; source: string }>(
      `SELECT id, source FROM jobs
       WHERE status = 'failed' AND json_extract_string(error, '$.code') IN (${[...INPUT_ERRORS]
         .map((c) => `'${c}'`)
         .join(', ')})`,
    ))
      m.#failures.set(r.id, r.source);
    for (const r of await keptFailures(store)) m.#failures.set(r.job_id, r.source);
    return m;
  }

  /** What the store knows for a request (`content_hash` null: not captured yet, no duplicate known). */
  context(q: {
    content_hash: string | null;
    underlying: string | null;
    source: string;
    arrivedMs: number;
    /** The request itself, which is not its own previous one. */
    request_id?: string;
  }): RequestContext {
    const stored = q.content_hash === null ? undefined : this.#stored(q.content_hash);
    const duplicate = stored && stored.measures_version >= MEASURES_VERSION ? stored : null;
    const previous =
      q.underlying === null ? null : this.#previous(key(q.underlying), this.#place(q));
    return {
      duplicate: duplicate && {
        id: duplicate.id,
        total_volume: duplicate.total_volume,
        total_open_interest: duplicate.total_open_interest,
        total_gex: duplicate.total_gex,
      },
      previous_total_gex: previous?.total_gex ?? null,
      previous,
      previous_final:
        q.underlying !== null &&
        this.#unreadBefore(key(q.underlying), this.#place(q), q.request_id).length === 0,
      source_known: this.#sources.has(q.source),
    };
  }

  /**
   * The source's reliability as of an arrival (GUIDELINES v2: the facts are the
   * arrival's): its record, or an analyst's override, with every change learnt after
   * `arrivedMs` left out (in its own millisecond: after its first request was stamped) —
   * the failures of requests that arrived with it or later and ended while it waited for
   * its capture do not count, every request of one arrival reads the same figure, and a
   * later arrival never an older one. Asked when the arrival is stamped (submit.ts),
   * before anything is awaited: changes before the latest arrival taken are no longer
   * kept apart (placeArrival).
   */
  sourceAt(sourceId: string, arrivedMs: number): { reliability: number } {
    let record = this.#sources.get(sourceId);
    // Changes are kept in the order learnt, their times never going back: those after the
    // arrival are the last ones.
    const after = (c: RecordChange) =>
      c.atMs > arrivedMs ||
      (c.atMs === arrivedMs && !(arrivedMs === this.#stamped.ms && c.seq < this.#stamped.seq));
    for (let i = this.#changes.length - 1; i >= 0 && after(this.#changes[i]!); i--)
      if (this.#changes[i]!.source === sourceId) record = this.#changes[i]!.was;
    return {
      // An analyst's override (sources:set) wins over the record until it is cleared.
      reliability: record?.override ?? reliabilityOf(record?.ok ?? 0, record?.failed ?? 0),
    };
  }

  /** The record of a source about to change (`was` kept for the arrivals before the change). */
  #changing(sourceId: string): SourceRecord {
    const now = Math.max(
      this.#clock(),
      this.#lastArrivalMs,
      this.#changes.at(-1)?.atMs ?? -Infinity,
    );
    const source = this.#sources.get(sourceId);
    // No record before: the change is the source's first (an arrival before it reads none).
    this.#changes.push({
      atMs: now,
      seq: this.#changeSeq++,
      source: sourceId,
      was: source ? { ...source } : { ok: 0, failed: 0, override: null },
    });
    const next = source ?? { ok: 0, failed: 0, override: null };
    this.#sources.set(sourceId, next);
    return next;
  }

  /**
   * The snapshot a job of this content would be the duplicate of (stored under the engine's
   * conventions and the current measures), or null: asked just before a run, so that a copy
   * that waited for another run of its content ends as its duplicate without running again.
   */
  duplicateOf(hash: string): string | null {
    const stored = this.#stored(hash);
    return stored && stored.measures_version >= MEASURES_VERSION ? stored.id : null;
  }

  /**
   * The snapshot of this content under the engine's conventions, else one stored before
   * conventions were recorded (not known: the duplicate of its content, as it was).
   */
  #stored(hash: string): StoredSnapshot | undefined {
    const all = this.#byHash.get(hash) ?? [];
    return (
      all.find((s) => s.conventions === this.#conventions) ??
      all.find((s) => s.conventions === null)
    );
  }

  /** A request's place in arrival order; one the engine never took comes after its millisecond's. */
  #place(q: { arrivedMs: number; request_id?: string }): Arrived {
    const seq = q.request_id === undefined ? undefined : this.#seqOf.get(q.request_id);
    return { arrivedMs: q.arrivedMs, seq: seq ?? Infinity };
  }

  #seqFor(requestId: string): number {
    let seq = this.#seqOf.get(requestId);
    if (seq === undefined) this.#seqOf.set(requestId, (seq = ++this.#seq));
    return seq;
  }

  /** The latest earlier read request's total, else the latest snapshot's. */
  #previous(underlying: string, at: Arrived): GexChangeBase | null {
    const reads = this.#reads.get(underlying);
    if (reads) {
      // Reads are kept in arrival order: the last one before `at`.
      let lo = 0;
      let hi = reads.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (before(reads[mid]!, at)) lo = mid + 1;
        else hi = mid;
      }
      if (lo > 0) {
        const r = reads[lo - 1]!;
        return { request_id: r.requestId, snapshot_id: null, total_gex: r.totalGex };
      }
    }
    const s = this.#latestBefore(underlying, at.arrivedMs);
    return s ? { request_id: null, snapshot_id: s.id, total_gex: s.total_gex } : null;
  }

  /**
   * The underlying's latest snapshot stored before `arrivedMs`: one a later request stored
   * while this one waited for its read is not what it is compared with.
   */
  #latestBefore(underlying: string, arrivedMs: number): StoredSnapshot | undefined {
    const latest = this.#latest.get(underlying);
    if (!latest || latest.createdMs < arrivedMs) return latest;
    let found: StoredSnapshot | undefined;
    for (const s of this.#byId.values())
      if (key(s.underlying) === underlying && s.createdMs < arrivedMs)
        if (!found || isLater(ordered(s), ordered(found))) found = s;
    return found;
  }

  /**
   * The unread requests of `k` (or of an underlying not known yet that may be `k`) that
   * arrived before `at`; with `decided`, only those decided at their arrival (true) or only
   * the others (false). One whose file's ends named the underlyings it may be (PO01: PO01,
   * PO0 or PO) is not one of any other (QA ib F1: every such file of a LOW batch was read
   * by each later request whose level depends on `gex_change`, one worker turn each).
   */
  #unreadBefore(k: string, at: Arrived, self: string | undefined, decided?: boolean): string[] {
    const found: string[] = [];
    for (const [id, u] of this.#unread)
      if (id !== self && before(u, at) && mayBe(u, k))
        if (decided === undefined || (u.state === 'decided') === decided) found.push(id);
    return found;
  }

  /**
   * The requests of `underlying` (or of one not known yet) that arrived before this one and
   * still wait for their facts read, or are still arriving: read now, the total of the last
   * of them would be this request's previous one (GUIDELINES v2), so a decision that
   * depends on `gex_change` waits for them (intake/decide.ts). A request decided at its
   * arrival, whose total comes only with its run, is not waited for (earlierDecidedUnread).
   */
  earlierStillDeciding(requestId: string, underlying: string, arrivedMs: number): string[] {
    const at = this.#place({ arrivedMs, request_id: requestId });
    return this.#unreadBefore(key(underlying), at, requestId, false);
  }

  /**
   * The requests of `underlying` (or of one not known yet) that arrived before this one,
   * were decided at their arrival and are not read yet: their totals come with their runs,
   * which may be hours away at LOW, so a later request whose level depends on `gex_change`
   * reads their files itself (intake/decide.ts).
   */
  earlierDecidedUnread(requestId: string, underlying: string, arrivedMs: number): string[] {
    const at = this.#place({ arrivedMs, request_id: requestId });
    return this.#unreadBefore(key(underlying), at, requestId, true);
  }

  /**
   * Settles once no request `earlierStillDeciding` names is left: woken by the memory's
   * own notes (a read, an end, an underlying learnt, a job written decided), so a waiting
   * request is decided the moment the one before it is read, not at the next poll.
   */
  whenEarlierRead(requestId: string, underlying: string, arrivedMs: number): Promise<void> {
    const still = () => this.earlierStillDeciding(requestId, underlying, arrivedMs).length > 0;
    if (!still()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.add({ still, resolve }));
  }

  /**
   * Settles once none of `requestIds` may still bring a total (read, settled or ended): a
   * later request whose reads of their files failed waits for their runs (intake/decide.ts).
   */
  whenSettled(requestIds: readonly string[]): Promise<void> {
    const still = () => requestIds.some((id) => this.#unread.has(id));
    if (!still()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.add({ still, resolve }));
  }

  /** A request left the unread, was decided, or its underlying became known: wake the waits it ended. */
  #wake(): void {
    for (const w of this.#waiters)
      if (!w.still()) {
        this.#waiters.delete(w);
        w.resolve();
      }
  }

  /** No longer unread: read, settled or ended. */
  #noLongerUnread(requestId: string): void {
    if (this.#unread.delete(requestId) && this.#waiters.size > 0) this.#wake();
  }

  /**
   * Where a request arrives that was given `givenMs` (the command line's own arrival, or
   * the engine's clock): never before an arrival the engine has already taken. A request
   * back-dated past requests already decided would be recorded as arriving before them,
   * so that they were compared with the wrong request; arrival order is the order the
   * engine learns of requests. Requests given the same instant still share one arrival
   * (they are clamped alike) and keep the order they were taken in (`arrival_order`).
   */
  placeArrival(givenMs: number): number {
    if (givenMs > this.#lastArrivalMs) this.#stamped = { ms: givenMs, seq: this.#changeSeq };
    this.#lastArrivalMs = Math.max(givenMs, this.#lastArrivalMs);
    // Changes before it count for every arrival from now on.
    let kept = 0;
    while (kept < this.#changes.length && this.#changes[kept]!.atMs < this.#lastArrivalMs) kept++;
    if (kept > 0) this.#changes.splice(0, kept);
    return this.#lastArrivalMs;
  }

  /**
   * A request arrived (its underlying null until its file's first bytes give it): until it
   * is read or ends, the later requests of its underlying cannot know what they compare with.
   * Gives its place in arrival order (stored with the request: `arrival_order`).
   */
  noteArrival(
    requestId: string,
    arrivedMs: number,
    underlying: string | null = null,
    state: Unread = 'arriving',
    oneOf: readonly string[] | null = null,
  ): number {
    const seq = this.#seqFor(requestId);
    this.#unread.set(requestId, {
      key: underlying === null ? null : key(underlying),
      oneOf: underlying === null && oneOf ? oneOf.map(key) : null,
      arrivedMs,
      seq,
      state,
    });
    return seq;
  }

  /** Whether the request may still bring a total (arrived, not read, not ended). */
  unread(requestId: string): boolean {
    return this.#unread.has(requestId);
  }

  /** The request waits for its facts read (its level was not decided at its arrival). */
  noteDeciding(requestId: string): void {
    const u = this.#unread.get(requestId);
    if (u) u.state = 'deciding';
  }

  /**
   * What a request's first bytes say its underlying is; when they do not, the ones it may
   * be (`oneOf`: sniff.ts `underlying_one_of`), or nothing (null: any).
   */
  noteUnderlying(
    requestId: string,
    underlying: string | null,
    oneOf: readonly string[] | null = null,
  ): void {
    const u = this.#unread.get(requestId);
    if (!u || (underlying === null && oneOf === null)) return;
    if (underlying !== null) {
      u.key = key(underlying);
      u.oneOf = null;
    } else u.oneOf = oneOf!.map(key);
    if (this.#waiters.size > 0) this.#wake();
  }

  /** A request that brings no total (refused, unreadable, or ended at its arrival). */
  noteSettled(requestId: string): void {
    this.#noLongerUnread(requestId);
  }

  /** A request's file was read (its facts read, or its run): later requests compare with it. */
  noteRead(requestId: string, underlying: string, arrivedMs: number, totalGex: number): void {
    this.#noLongerUnread(requestId);
    if (this.#readOf.has(requestId)) return;
    const k = key(underlying);
    const reads = this.#reads.get(k) ?? [];
    this.#reads.set(k, reads);
    const read = { requestId, arrivedMs, seq: this.#seqFor(requestId), totalGex };
    let at = reads.length;
    while (at > 0 && before(read, reads[at - 1]!)) at--;
    reads.splice(at, 0, read);
    this.#readOf.set(requestId, k);
  }

  /** A snapshot was stored (or its measures filled in). */
  onSnapshot(s: GEXSnapshot & { measures_version?: number | null }): void {
    this.#addSnapshot(s.content_hash, {
      id: s.id,
      underlying: s.underlying,
      total_volume: s.total_volume,
      total_open_interest: s.total_open_interest,
      total_gex: s.total_gex,
      measures_version: s.measures_version ?? MEASURES_VERSION,
      conventions: keyOf(s.conventions),
      asOfMs: Date.parse(s.as_of),
      createdMs: Date.parse(s.created_at),
    });
  }

  /** Follows every job:updated event: a job's final state counts in its source's record once. */
  onJob(job: ProcessingJob): void {
    if (!TERMINAL_STATUSES.has(job.status)) {
      const state = job.status === 'deciding' ? 'deciding' : 'decided';
      const u = this.#unread.get(job.request_id);
      if (u?.state === 'arriving' && state === 'decided') {
        // Its job is written, decided at its arrival: no longer waited for, read if need be.
        u.state = state;
        if (this.#waiters.size > 0) this.#wake();
      }
      // Retried after it ended unread: its total may come again.
      if (!u && !this.#readOf.has(job.request_id))
        this.noteArrival(job.request_id, Date.parse(job.submitted_at), job.underlying, state);
      return;
    }
    if ((this.#counted.get(job.id) ?? -1) >= job.revision) return;
    this.#noLongerUnread(job.request_id);
    this.#counted.set(job.id, job.revision);
    // Known from its first end on, whatever the end (source_known: its row exists).
    if (!this.#sources.has(job.source))
      this.#sources.set(job.source, { ok: 0, failed: 0, override: null });
    if (job.status === 'completed' || job.status === 'duplicate') {
      // A duplicate ingested nothing: no success (store/sources.ts recordOutcome); a
      // retried failure it ends is taken back all the same.
      const changes = job.status === 'completed' || this.#failures.has(job.id);
      if (changes) {
        const source = this.#changing(job.source);
        if (job.status === 'completed') source.ok++;
        // A retried failure, replaced by its retry's end.
        if (this.#failures.delete(job.id)) source.failed = Math.max(source.failed - 1, 0);
      }
      const snapshot = job.snapshot_id ? this.#byId.get(job.snapshot_id) : undefined;
      if (!snapshot) return;
      // A run that found its content stored has brought that snapshot's measures up to date.
      if (job.status === 'duplicate') snapshot.measures_version = MEASURES_VERSION;
      noteCompleted(this, job, snapshot);
      return;
    }
    // A retry that fails on input again is the failure already counted.
    if (failedOnInput(job) && !this.#failures.has(job.id)) {
      this.#changing(job.source).failed++;
      this.#failures.set(job.id, job.source);
    }
    // A failed or cancelled request is no longer what the next one compares with.
    const k = this.#readOf.get(job.request_id);
    if (k === undefined) return;
    this.#readOf.delete(job.request_id);
    const reads = this.#reads.get(k)!;
    reads.splice(
      reads.findIndex((r) => r.requestId === job.request_id),
      1,
    );
  }

  /** An analyst set or cleared a source's reliability override. */
  onSource(s: { id: string; override: { reliability: number } | null }): void {
    this.#changing(s.id).override = s.override?.reliability ?? null;
  }

  /**
   * A snapshot was removed (snapshots:remove): its content is no longer a duplicate, and its
   * underlying's latest is the one before it. The request that made it stays a read request,
   * as the guidelines count it.
   */
  onSnapshotRemoved(s: { id: string; content_hash: string; underlying: string }): void {
    const same = (this.#byHash.get(s.content_hash) ?? []).filter((o) => o.id !== s.id);
    if (same.length > 0) this.#byHash.set(s.content_hash, same);
    else this.#byHash.delete(s.content_hash);
    this.#byId.delete(s.id);
    const k = key(s.underlying);
    if (this.#latest.get(k)?.id !== s.id) return;
    this.#latest.delete(k);
    for (const other of this.#byId.values()) if (key(other.underlying) === k) this.#offer(other);
  }

  #addSnapshot(hash: string, s: StoredSnapshot): void {
    // The same snapshot again (its measures filled in) replaces itself.
    const same = (this.#byHash.get(hash) ?? []).filter(
      (o) => o.id !== s.id && o.conventions !== s.conventions,
    );
    this.#byHash.set(hash, [...same, s]);
    this.#byId.set(s.id, s);
    this.#offer(s);
  }

  /**
   * Makes `s` its underlying's latest when it is, by the one order of snapshots
   * (snapshot-order.ts: as_of, created_at, id — what the levels board shows as latest); a
   * snapshot offered again (its measures filled in) replaces itself.
   */
  #offer(s: StoredSnapshot): void {
    const k = key(s.underlying);
    const latest = this.#latest.get(k);
    if (!latest || latest.id === s.id || isLater(ordered(s), ordered(latest)))
      this.#latest.set(k, s);
  }
}

/**
 * Per request, the underlyings its arrival entry says its file's ends allowed
 * (`underlying_one_of`), for requests whose underlying is still not known: so that after
 * a restart a backlog of such files is not taken for files of any underlying.
 */
async function underlyingsAtArrival(store: Store, ids: string[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  if (ids.length === 0) return found;
  const rows = await store.all<{ request_id: string; one_of: string | null }>(
    `SELECT request_id, json_extract(facts, '$.underlying_one_of')::VARCHAR AS one_of
       FROM audit_log WHERE kind = 'arrival' AND request_id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`,
    ids,
  );
  for (const r of rows) {
    const names: unknown = r.one_of === null ? null : JSON.parse(r.one_of);
    if (Array.isArray(names) && names.length > 0 && names.every((n) => typeof n === 'string'))
      found.set(r.request_id, names);
  }
  return found;
}

/** Whether an unread request may be of the underlying `k`: its own, or one it may be, or any. */
const mayBe = (u: { key: string | null; oneOf: string[] | null }, k: string): boolean =>
  u.key === null ? u.oneOf === null || u.oneOf.includes(k) : u.key === k;

const ordered = (s: StoredSnapshot) => ({ as_of_ms: s.asOfMs, created_ms: s.createdMs, id: s.id });

const keyOf = (c: GexConventions | null | undefined): string | null =>
  c ? conventionsKey(c) : null;

/** A request decided without a facts read gets its total from its snapshot when it completes. */
function noteCompleted(m: IntakeMemory, job: ProcessingJob, snapshot: StoredSnapshot): void {
  m.noteRead(job.request_id, snapshot.underlying, Date.parse(job.submitted_at), snapshot.total_gex);
}

/** GUIDELINES: |total − previous| ÷ |previous|; null when there is no previous total or it was 0. */
export const gexChange = (total: number, previous: number | null): number | null =>
  previous === null || previous === 0 ? null : Math.abs(total - previous) / Math.abs(previous);
