// What every command shares: its exit codes (a public contract, see CONTRACTS.md), a
// usage error type, and writing JSON lines, aligned tables and snapshots to stdout (and
// stopping quietly when the reader of a pipe has gone). The text written for a person
// shows control and format characters escaped (shared/visible.ts): names and comments
// come from outside (a file named with an escape sequence would retitle the terminal, a
// carriage return overwrite a row); JSON lines are left as they are, for programs. Loads
// nothing but the shared GEX scale and shared/visible.ts (both without imports).
import type { GEXSnapshot } from '../../../shared/domain.ts';
import type { SnapshotLine } from '../../../shared/cli-lines.ts';
import { cellFigure, gexScale } from '../../../shared/gex-scale.ts';
import { visible, visibleLines } from '../../../shared/visible.ts';
import type { AppError, ErrorCode } from '../../../shared/result.ts';

export const EXIT = { ok: 0, rejected: 1, usage: 2, environment: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class UsageError extends Error {}

const ENVIRONMENT_CODES: ReadonlySet<ErrorCode> = new Set(['DB_LOCKED', 'IO']);

/**
 * Exit code for an error that stopped a whole command: the environment's (3) for a database
 * held, an I/O failure, and any error said to be the machine's doing (`transient`: a folder
 * on a share that did not answer, refused as the inbox with TIMEOUT); else rejected (1).
 */
export const exitFor = (error: AppError): ExitCode =>
  ENVIRONMENT_CODES.has(error.code) || error.transient ? EXIT.environment : EXIT.rejected;

export interface Output {
  line(text: string): void;
  json(value: unknown): void;
  error(text: string): void;
  /** A file's content, as is (`export --out -`). */
  bytes(data: string | Uint8Array): void;
}

/**
 * Writes to a stream until its reader has gone (`gex-desk snapshots --json | head -1`, or
 * the terminal itself: an ssh session dropped): then EPIPE (EIO from a terminal hung up),
 * which would otherwise end the process with a stack trace, stops the writing quietly, and
 * the command finishes its work (an ingest's requests are not abandoned, serve's shutdown
 * checkpoints the database) and exits with its own code.
 */
const READER_GONE = new Set(['EPIPE', 'EIO']);

type Writer = (text: string | Uint8Array) => void;

export function streamWriter(stream: NodeJS.WritableStream): Writer {
  let gone = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (!READER_GONE.has(e.code ?? '')) throw e;
    gone = true;
  });
  return (text) => {
    if (!gone) stream.write(text);
  };
}

let out: Writer | null = null;
let err: Writer | null = null;
const toStdout: Writer = (text) => (out ??= streamWriter(process.stdout))(text);
const toStderr: Writer = (text) => (err ??= streamWriter(process.stderr))(text);

/**
 * The terminal's output: lines and errors for a person, with every control and format
 * character but line breaks and tabs shown escaped (`\x1b`, `\r`, `\u202e`: visibleLines),
 * whichever command wrote them; JSON lines and a file's bytes as they are.
 */
export const stdio: Output = {
  line: (text) => toStdout(visibleLines(text) + '\n'),
  json: (value) => toStdout(JSON.stringify(value) + '\n'),
  error: (text) => toStderr(visibleLines(text) + '\n'),
  bytes: toStdout,
};

export const describeError = (e: AppError): string =>
  `${e.code}: ${e.message}${e.file && !e.message.includes(e.file) ? ` (${e.file}${e.line ? `:${e.line}` : ''})` : ''}`;

/**
 * An error that ends a command (NOT_FOUND, CONFLICT, a rule file refused, a database held),
 * said the one way every command says it: `CODE: message` on stderr for a person, and with
 * --json also `{"error": {"code", "message", …}}` on stdout for a script (`about`: the
 * keys that go before `error`, `jobs cancel`'s `job_id`). Only `jobs cancel`/`retry` and
 * `queue --drain` printed that line; the others left stdout empty and the code in free
 * text (`audit --request` not even there: QA ct2 F3). Its exit code.
 */
export function refuse(
  out: Output,
  error: AppError,
  json: boolean | undefined,
  about: Record<string, unknown> = {},
): ExitCode {
  refusalLine(out, error, json, about);
  out.error(describeError(error));
  return exitFor(error);
}

/**
 * With --json, the refusal's line on stdout alone: for a refusal already said on stderr in
 * its own words (a rule file's problems, as `rules check` says them).
 */
export function refusalLine(
  out: Output,
  error: AppError,
  json: boolean | undefined,
  about: Record<string, unknown> = {},
): void {
  if (json) out.json({ ...about, error });
}

/**
 * A figure to right-align: a dollar figure as `usd` writes it ("-11.00 Bn", "625.11 M",
 * "240,000", "-21 USD"), an age or a time ("454 d", "12 min", "347 ms", "3m 05s"), or none.
 */
const FIGURE =
  /^-?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?( Bn| M| USD| ms| s| min| h| d)?$|^\d+[mh] \d\d[sm]$|^—$/;

/**
 * A number as a person reads it: a file's spot of 243.59999999999997 (binary floating
 * point's rendering of 240 × 1.015) reads 243.6; 12 significant digits keep every digit a
 * price is quoted with. Output for programs (--json) keeps the stored value.
 */
export const plain = (n: number): string =>
  Number.isInteger(n) || !Number.isFinite(n) ? String(n) : String(Number(n.toPrecision(12)));

/**
 * Column names of exposures with their units (ANALYTICS.md: "units are stated with every
 * figure"): GEX in USD per 1% move of the underlying, DEX in USD of delta, VEX per vol
 * point, CEX per day. Levels (spot, walls, zero gamma) are prices of the underlying.
 */
const UNITS: Record<string, string> = {
  GEX: 'USD/1%',
  DEX: 'USD',
  VEX: 'USD/vol pt',
  CEX: 'USD/day',
};
export const withUnits = (names: string[]): string[] =>
  names.map((n) => {
    const unit = n.split(' ').find((w) => UNITS[w]);
    return unit ? `${n} ${UNITS[unit]}` : n;
  });

/** A dollar figure in a table column, written in the column's one scale (`table`). */
export interface Usd {
  usd: number | null;
}
/** A dollar figure for a table cell: the table writes its column in one scale. */
export const money = (v: number | null): Usd => ({ usd: v });

type Cell = string | number | null | Usd;
const isUsd = (c: Cell): c is Usd => typeof c === 'object' && c !== null;

/** "-432,946": a figure with its decimals and thousands separators, as the app writes it. */
const grouped = (v: number, digits: number): string =>
  new Intl.NumberFormat('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(v === 0 ? 0 : v);

/**
 * Dollar figures read side by side (a column, A beside B) in one scale, that of the largest
 * (shared/gex-scale.ts `cellFigure`, the rule of the app's tables: whole dollars when none
 * reaches 1 M): "-345.40 Bn", "0.0065 Bn" and "-0.00043 Bn" (two significant digits at
 * least, never "0.01" nor "-0.00"), never "2.31 M" below it; one too small for the column's
 * six decimals in its own scale ("-21 USD"); whole dollars with separators ("-432,946"); a
 * non-zero figure never reads 0 ("0.47").
 */
export function usdIn(values: (number | null)[]): (v: number | null) => string {
  const scale = gexScale(values);
  return (v) => {
    const f = cellFigure(v, scale);
    if (f === null) return '—';
    const text = grouped(f.value, f.digits);
    if (f.own) return `${text} ${f.scale.unit || 'USD'}`;
    return scale.unit === '' ? text : `${text} ${scale.unit}`;
  };
}

function usdColumn(rows: Cell[][], i: number): (c: Usd) => string {
  const f = usdIn(
    rows.map((r) => r[i]).flatMap((c) => (c !== undefined && isUsd(c) ? [c.usd] : [])),
  );
  return (c) => f(c.usd);
}

/** Marks drawn on the letter before them (a decomposed "ü" is u + U+0308): no column of their own. */
const COMBINING = /[\p{Mn}\p{Me}]/u;
/**
 * East Asian wide and full-width characters (CJK, Hangul, full-width forms) and emoji:
 * two columns. Emoji are the pictograph blocks (U+1F300–1F64F, 1F680–1F6FF transport and
 * map, 1F900–1F9FF, 1FA70–1FAFF) and every character shown as an emoji by default
 * (Emoji_Presentation: ✅ and ⚡ in U+2600–27BF, the regional indicators of a flag),
 * as terminals draw them.
 */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f680}-\u{1f6ff}\u{1f900}-\u{1f9ff}\u{1fa70}-\u{1faff}\u{20000}-\u{3fffd}\p{Emoji_Presentation}]/u;
/** What makes a cluster one emoji glyph: VS16 (emoji presentation), ZWJ, a skin tone, a keycap. */
const EMOJI_JOINER = /\ufe0f|\u200d|\u20e3|\p{Emoji_Modifier}/u;
const PICTOGRAPH = /[\p{Extended_Pictographic}\p{Regional_Indicator}]/u;
const FLAG = /^\p{Regional_Indicator}{2}$/u;
const PLAIN = /^[\x20-\x7e]*$/;
let graphemes: Intl.Segmenter | undefined;

/** The columns one user-perceived character takes. */
function clusterWidth(g: string): number {
  // One emoji drawn of several code points (👩‍💻, ❤️, 👍🏽, 1️⃣, a flag): one wide glyph.
  const joined = EMOJI_JOINER.test(g) && (PICTOGRAPH.test(g) || g.endsWith('\u20e3'));
  if (g.length > 1 && (FLAG.test(g) || joined)) return 2;
  let n = 0;
  for (const c of g) n += COMBINING.test(c) ? 0 : WIDE.test(c) ? 2 : 1;
  return n;
}

/**
 * The columns `text` takes in a terminal: a combining mark none, a wide character or an
 * emoji two (a sequence drawn as one emoji, 👩‍💻 or a flag, two in all), any other one (a
 * character beyond U+FFFF too, which is two UTF-16 units). By `length`, a source named
 * with a decomposed "Zürich", in CJK or with an emoji pushed its row's columns out of line.
 */
export function textWidth(text: string): number {
  if (PLAIN.test(text)) return text.length;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let n = 0;
  for (const { segment } of graphemes.segment(text)) n += clusterWidth(segment);
  return n;
}

/**
 * `text` in at most `width` columns (textWidth): when wider, its start and its end with
 * "…" between, so that long names alike but for their middle ("vendor-eu-2026-…-feed-a",
 * "…-feed-b") stay told apart. Never splits a character drawn of several code points (an
 * emoji, a letter and its accent); a wide one that would overrun is left to the "…".
 */
export function middleCut(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const parts = [...graphemes.segment(text)].map(({ segment }) => segment);
  const room = Math.max(0, width - 1);
  const take = (xs: string[], max: number): string[] => {
    const kept: string[] = [];
    let used = 0;
    for (const x of xs) {
      const w = clusterWidth(x);
      if (used + w > max) break;
      kept.push(x);
      used += w;
    }
    return kept;
  };
  const head = take(parts, Math.ceil(room / 2));
  const headWidth = head.reduce((n, g) => n + clusterWidth(g), 0);
  const tail = take([...parts].reverse(), room - headWidth).reverse();
  return `${head.join('')}…${tail.join('')}`;
}

/** How a table is drawn: the widest a named column's text may be (cut in its middle, `middleCut`). */
export interface TableOptions {
  widest?: Record<string, number>;
}

/**
 * A plain aligned table; numbers and dollar figures right-aligned; control and format
 * characters in a text cell shown escaped (`visible`), so that a row stays one row. The dollar figures of a
 * column (`money`) are written in one scale, that of its largest figure (shared/gex-scale.ts,
 * as the app's tables), so that an analyst compares digits of one size down a column.
 * A column given a widest width (`options.widest`, by its name) has its longer text cut in
 * the middle, so that one long name does not widen every line of the table.
 */
export function table(names: string[], rows: Cell[][], options: TableOptions = {}): string {
  const headers = names.map(visible);
  const columns = headers.map((_, i) =>
    rows.some((r) => r[i] !== undefined && isUsd(r[i]!)) ? usdColumn(rows, i) : null,
  );
  const widest = names.map((n) => options.widest?.[n]);
  // A cell is one line: a line break or tab in a name is shown, as any control character.
  const text = (c: string, i: number): string => {
    const shown = visible(c);
    return widest[i] === undefined ? shown : middleCut(shown, widest[i]);
  };
  const cells = rows.map((r) =>
    r.map((c, i) =>
      c === null ? '—' : isUsd(c) ? columns[i]!(c) : typeof c === 'number' ? plain(c) : text(c, i),
    ),
  );
  const widths = headers.map((h, i) =>
    Math.max(textWidth(h), ...cells.map((r) => textWidth(r[i]!))),
  );
  const numeric = headers.map(
    (_, i) =>
      rows.length > 0 &&
      rows.every(
        (r) =>
          typeof r[i] === 'number' ||
          isUsd(r[i]!) ||
          r[i] === null ||
          (typeof r[i] === 'string' && FIGURE.test(r[i])),
      ),
  );
  const fmt = (r: string[]) =>
    r
      .map((c, i) => {
        const pad = ' '.repeat(Math.max(0, widths[i]! - textWidth(c)));
        return numeric[i] ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  return [fmt(headers), ...cells.map(fmt)].join('\n');
}

/** "1 snapshot", "3 snapshots". */
export const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * One USD figure in a sentence (a snapshot's summary line, an ingest's): in Bn, M or whole
 * dollars with separators, whichever reads best (shared/gex-scale.ts): "-5.62 M",
 * "-432,946", never "-432946" beside them. Figures read one under another (a table's column) go through
 * `money`/`usdIn` instead, in one scale.
 */
export function usd(v: number | null): string {
  return usdIn([v])(v);
}

/** The `snapshot` object of CONTRACTS.md, extended with the figures analysts also asked for. */
export const snapshotJson = (s: GEXSnapshot): SnapshotLine => ({
  id: s.id,
  underlying: s.underlying,
  as_of: s.as_of,
  spot: s.spot,
  contracts: s.contracts,
  total_gex: s.total_gex,
  call_gex: s.call_gex,
  put_gex: s.put_gex,
  zero_gamma: s.zero_gamma,
  call_wall: s.call_wall,
  put_wall: s.put_wall,
  parquet: s.parquet,
  max_pain: s.max_pain,
  total_open_interest: s.total_open_interest,
  total_volume: s.total_volume,
  quality: s.quality,
  format: s.format,
  content_hash: s.content_hash,
  // The conventions its figures were computed under (every field); null: not recorded.
  conventions: s.conventions,
});

/** A time measured, as a person reads it: "347 ms", "3m 05s" (shared/elapsed.ts, as the app writes it). */
export { elapsed } from '../../../shared/elapsed.ts';

/** A level target as the rule files write them: "30 s", "5 min", "2 h" (— when unknown). */
export function duration(ms: number | null): string {
  if (ms === null) return '—';
  const units: [number, string][] = [
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  for (const [size, unit] of units)
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}`;
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}
