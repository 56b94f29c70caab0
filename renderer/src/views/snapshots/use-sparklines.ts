// The levels board's sparklines (each underlying's total GEX over its snapshots), read
// for the rows on screen only, at most SPARK_READS at a time, and again only for an
// underlying that has a new snapshot (or after a removal). Asking for every row at once,
// and again at every arrival, broke the board at 2,700 underlyings: Chromium refused the
// requests past its limit (net::ERR_INSUFFICIENT_RESOURCES), 1,557 rows never got their
// sparkline, and the next view's first request waited seconds behind the rest.
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { LevelsRow } from '../../../../shared/api.ts';
import type { GexClient } from '../../api/client.ts';
import { useApp } from '../../state/store.ts';
import { exchangeZoneOf, wallClockX } from '../../components/plot/exchange-time.ts';

/** The most history requests the board has in flight at once. */
export const SPARK_READS = 4;

export interface Spark {
  /** Total GEX of every snapshot, oldest first; null when the history could not be read. */
  values: number[] | null;
  /** Each one's exchange wall-clock time (exchange-time.ts wallClockX): spaced by time. */
  at: number[];
  /** The latest snapshot it was read for; '' once stale (drawn until read again). */
  of: string;
}

export class SparkReader {
  readonly #client: GexClient;
  readonly #publish: (sparks: ReadonlyMap<string, Spark>) => void;
  readonly #sparks = new Map<string, Spark>();
  #rows: readonly LevelsRow[] = [];
  readonly #visible = new Set<string>();
  readonly #reading = new Set<string>();
  /** Read while they went stale: kept stale when their answer comes. */
  readonly #staleWhileRead = new Set<string>();
  #closed = true;

  constructor(client: GexClient, publish: (sparks: ReadonlyMap<string, Spark>) => void) {
    this.#client = client;
    this.#publish = publish;
  }

  /** The board's rows as loaded: each underlying's latest snapshot. */
  show(rows: readonly LevelsRow[]): void {
    this.#rows = rows;
    this.#pump();
  }

  /** Rows that came on screen (true) or went off it (false), by underlying. */
  see(changes: Iterable<[string, boolean]>): void {
    for (const [underlying, onScreen] of changes)
      if (onScreen) this.#visible.add(underlying);
      else this.#visible.delete(underlying);
    this.#pump();
  }

  /** These underlyings' histories changed (a snapshot arrived); every one's when none are named. */
  stale(underlyings?: Iterable<string>): void {
    const names = underlyings && new Set([...underlyings].map((u) => u.toUpperCase()));
    for (const [underlying, spark] of this.#sparks)
      if (!names || names.has(underlying.toUpperCase()))
        this.#sparks.set(underlying, { ...spark, of: '' });
    for (const underlying of this.#reading)
      if (!names || names.has(underlying.toUpperCase())) this.#staleWhileRead.add(underlying);
    this.#pump();
  }

  /** Reads start again (the board is shown). */
  open(): void {
    this.#closed = false;
    this.#pump();
  }

  /** No more reads start (the board is gone); the answers of those in flight are dropped. */
  close(): void {
    this.#closed = true;
  }

  /** Starts reads of rows on screen whose sparkline is missing or stale, SPARK_READS at most. */
  #pump(): void {
    if (this.#closed) return;
    for (const row of this.#rows) {
      if (this.#reading.size >= SPARK_READS) return;
      const u = row.underlying;
      if (!this.#visible.has(u) || this.#reading.has(u) || this.#sparks.get(u)?.of === row.id)
        continue;
      void this.#read(u, row.id);
    }
  }

  async #read(underlying: string, latest: string): Promise<void> {
    this.#reading.add(underlying);
    const res = await this.#client.call('snapshots:history', { underlying });
    this.#reading.delete(underlying);
    if (this.#closed) return;
    const stale = this.#staleWhileRead.delete(underlying);
    this.#sparks.set(underlying, {
      values: res.ok ? res.value.rows.map((p) => p.total_gex) : null,
      at: res.ok
        ? wallClockX(
            res.value.rows.map((p) => p.as_of),
            exchangeZoneOf(
              res.value.rows,
              useApp.getState().health?.conventions?.exchange_time_zone,
            ),
          )
        : [],
      of: stale ? '' : latest,
    });
    this.#publish(new Map(this.#sparks));
    this.#pump();
  }
}

const NONE: ReadonlyMap<string, Spark> = new Map();

/** A sparkline's cell on the board (none when a narrow window drops the column). */
const CELLS = '[data-underlying] .td-spark';

/**
 * The sparklines of the board's rows on screen: `board` holds the rows, `rows` are the
 * levels as loaded. Read again, when new rows are loaded, for the underlyings with a
 * snapshot that arrived since the rows before, and for every one after a removal.
 */
export function useSparklines(
  rows: readonly LevelsRow[],
  board: RefObject<HTMLElement | null>,
): ReadonlyMap<string, Spark> {
  const client = useApp((s) => s.client);
  const [sparks, setSparks] = useState(NONE);
  const reader = useMemo(() => client && new SparkReader(client, setSparks), [client]);
  // Reads start only while the board is on screen.
  useEffect(() => {
    reader?.open();
    return () => reader?.close();
  }, [reader]);

  // Which sparkline cells are on screen (in the board's box and in the window).
  const watch = useRef<IntersectionObserver | null>(null);
  useEffect(() => {
    if (!reader) return;
    const io = new IntersectionObserver((entries) =>
      reader.see(
        entries.map((e) => [
          e.target.closest<HTMLElement>('[data-underlying]')?.dataset.underlying ?? '',
          e.isIntersecting,
        ]),
      ),
    );
    watch.current = io;
    return () => {
      io.disconnect();
      watch.current = null;
    };
  }, [reader]);
  // Every cell drawn is watched, those of new rows or of the column shown again included
  // (observing a cell already watched does nothing; one removed reports leaving the screen).
  useEffect(() => {
    for (const el of board.current?.querySelectorAll(CELLS) ?? []) watch.current?.observe(el);
  });

  const since = useRef<{ ids: Set<string>; removals: number; attached: number } | null>(null);
  useEffect(() => {
    if (!reader) return;
    const { snapshots, removals, attachedChanges: attached } = useApp.getState();
    const last = since.current;
    // A removal, or an attached folder changed (another desk's snapshots came or went):
    // every history may differ.
    if (last && (removals !== last.removals || attached !== last.attached)) reader.stale();
    else if (last)
      reader.stale(snapshots.filter((s) => !last.ids.has(s.id)).map((s) => s.underlying));
    since.current = { ids: new Set(snapshots.map((s) => s.id)), removals, attached };
    reader.show(rows);
  }, [reader, rows]);
  return sparks;
}
