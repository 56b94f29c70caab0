// The answers of the snapshot calls (ANALYTICS.md): one snapshot's figures by strike,
// expiry and bucket, an underlying's history, the difference of two snapshots, and the
// levels board (each underlying's latest snapshot).
import { LeftExports } from '../left-exports.ts';
import { AuthorName } from './author.ts';
import { z } from 'zod';
import {
  BucketFigures,
  Exposures,
  GammaProfilePoint,
  GEXExpiry,
  GEXSnapshot,
  GEXStrike,
  GexConventions,
  IsoTimestamp,
} from '../domain.ts';
import { ConventionsCompared } from '../conventions-compare.ts';
import { blank } from '../visible.ts';
import { underlyingProblem } from '../underlyings.ts';
import { limitedText } from './free-text.ts';

/** Where a snapshot comes from: this workstation's store, or an attached export folder (its path). */
export const LOCAL_ORIGIN = 'local';

/**
 * A file of an attached export folder that could not be read (a copy still arriving, a
 * damaged one, one this user may not read): its whole path, and what was wrong with it.
 */
export const UnreadableFile = z.object({ path: z.string(), message: z.string() });
export type UnreadableFile = z.infer<typeof UnreadableFile>;

/**
 * An attached folder nothing is read from: `path` the folder, `message` why and what to do.
 * `cannot_read` when the folder itself could not be read (it does not exist — a network
 * share not mounted, a folder renamed —, is a file, or this user may not list it): what it
 * holds is missing from the answer. Without it, the folder holds no export (the per-user
 * folder, data/snapshots, an underlying's folder) and the message names the folder likely meant.
 */
export const AttachedFolderProblem = UnreadableFile.extend({
  cannot_read: z.literal(true).optional(),
});
export type AttachedFolderProblem = z.infer<typeof AttachedFolderProblem>;

export const SnapshotDetail = z.object({
  snapshot: GEXSnapshot,
  /** Per strike over all expiries, by strike. */
  strikes: z.array(GEXStrike),
  /** Per expiry, by date, with its bucket and walls. */
  expiries: z.array(GEXExpiry),
  profile: z.array(GammaProfilePoint),
  // Schema version 3 (ANALYTICS.md). Null on a snapshot stored before it; `note` says so.
  exposures: Exposures.nullable().default(null),
  absolute_gamma_strike: z.number().nullable().default(null),
  buckets: z.array(BucketFigures).nullable().default(null),
  measures_version: z.number().int().nullable().default(null),
  note: z.string().nullable().default(null),
  origin: z.string().default(LOCAL_ORIGIN),
  /**
   * The attached folders that could not be read while it was looked for (cannot_read above),
   * when any: the snapshot is the one asked for, but an id's start was not checked there.
   */
  unread_folders: z.array(UnreadableFile).optional(),
});
export type SnapshotDetail = z.infer<typeof SnapshotDetail>;

/** The forms a time bound takes, as a refusal names them (here and analytics/time-bounds.ts). */
export const TIME_BOUND_FORMS =
  'an ISO-8601 timestamp (2024-01-08T10:30:00-05:00, or exchange time without an offset) or a date YYYY-MM-DD';

/** `"yesterday" is not …`: a bound refused, by at most 40 characters of it, with the forms taken. */
export const notATimeBound = (value: unknown): string =>
  `${typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : 'a ' + typeof value} is not ${TIME_BOUND_FORMS}`;

/**
 * An ISO-8601 timestamp with offset; one without (`2024-01-08T09:30`: exchange time, as in
 * the files); or a date (YYYY-MM-DD: that day in the exchange's time zone). Anything else
 * is refused naming these forms (not zod's "Invalid input" of a union).
 */
export const TimeBound = z.union(
  [
    IsoTimestamp,
    z
      .string()
      .regex(
        /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/,
        'a timestamp without offset (exchange time)',
      ),
    z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
  ],
  { error: (issue) => notATimeBound(issue.input) },
);

/**
 * Export folders (other workstations' data folders) to read for this call beside those the
 * engine's configuration attaches: the command line's `--attach`, which a running engine
 * must honour as the command's own store would. Paths on the engine's machine, so the
 * browser host refuses them (electron/host/handlers.ts).
 */
export const AttachFolders = z.array(z.string().min(1)).max(32).optional();

/**
 * An underlying a request names (snapshots:history, :list, :prune): trimmed, 1 to
 * UNDERLYING_MAX characters, none of them one a file's underlying may not hold either
 * (shared/underlyings.ts underlyingProblem, also at its ends): `SP` + U+200B + `X` names no underlying, and an answer echoing
 * it said "There is no snapshot of SPX." while SPX had snapshots.
 */
export const UnderlyingName = z
  .string()
  .superRefine((s, ctx) => {
    const why = underlyingProblem(s);
    if (why) ctx.addIssue({ code: 'custom', message: `the underlying ${why}` });
  })
  .trim()
  .min(1, 'an underlying needs a ticker');

export const HistoryRequest = z.strictObject({
  underlying: UnderlyingName,
  /** Inclusive bounds on as_of. */
  from: TimeBound.optional(),
  to: TimeBound.optional(),
  attach: AttachFolders,
});
export type HistoryRequest = z.infer<typeof HistoryRequest>;

/**
 * A snapshot's levels as the history and the levels board list them: where it comes from,
 * when, and the figures an analyst trades on. `note` says why a figure is null (a snapshot
 * stored before the measure existed).
 */
const SnapshotLevels = z.object({
  id: z.string(),
  origin: z.string(),
  as_of: IsoTimestamp,
  spot: z.number(),
  total_gex: z.number(),
  zero_gamma: z.number().nullable(),
  call_wall: z.number().nullable(),
  put_wall: z.number().nullable(),
  absolute_gamma_strike: z.number().nullable(),
  note: z.string().nullable(),
  /**
   * The conventions its figures were computed under; null when not recorded (stored before
   * 2026-12-06). Snapshots side by side under other conventions are told apart by these
   * (shared/conventions-compare.ts).
   */
  conventions: GexConventions.nullable(),
});

/** One snapshot of an underlying's history (ANALYTICS.md), oldest as_of first. */
export const HistoryPoint = SnapshotLevels.extend({
  dex: z.number().nullable(),
  vex: z.number().nullable(),
  cex: z.number().nullable(),
});
export type HistoryPoint = z.infer<typeof HistoryPoint>;

/**
 * The answer of a call that reads many snapshots (history, levels): what every readable
 * file gave, and each file that could not be read, so that one such file hides only
 * itself and is named, never a shorter answer in silence.
 */
const partialAnswer = <Row extends z.ZodType>(row: Row) =>
  z.object({
    rows: z.array(row),
    unreadable: z.array(UnreadableFile),
    /**
     * Attached folders nothing is read from (AttachedFolderProblem): one that could not be
     * read (missing, a file, forbidden; `cannot_read`), or that holds no export. Said, so
     * that an answer without their snapshots is not taken for all there is.
     */
    not_exports: z.array(AttachedFolderProblem),
    /**
     * Every attached folder of the call (configured, or `attach`), read or not, by the path
     * its snapshots' `origin` names: what the app tells their labels apart among, so that
     * one folder keeps one label while another does not answer (text/origin.ts).
     */
    attached: z.array(z.string()).default([]),
  });

/** An underlying's history, oldest as_of first. */
export const HistoryAnswer = partialAnswer(HistoryPoint);
export type HistoryAnswer = z.infer<typeof HistoryAnswer>;

export const StrikeChange = z.object({
  strike: z.number(),
  net_gex_change: z.number(),
  call_open_interest_change: z.number(),
  put_open_interest_change: z.number(),
});
export type StrikeChange = z.infer<typeof StrikeChange>;

/** A → B: moves are B − A (null when either side has none); strikes where anything changed. */
export const SnapshotDiff = z.object({
  from: z.string(),
  to: z.string(),
  from_as_of: IsoTimestamp,
  to_as_of: IsoTimestamp,
  total_gex_change: z.number(),
  zero_gamma_move: z.number().nullable(),
  call_wall_move: z.number().nullable(),
  put_wall_move: z.number().nullable(),
  strikes: z.array(StrikeChange),
  /** A's and B's conventions, and whether they differ (or are not known to: not recorded). */
  conventions: ConventionsCompared,
  /** The attached folders that could not be read while A and B were looked for, when any. */
  unread_folders: z.array(UnreadableFile).optional(),
});
export type SnapshotDiff = z.infer<typeof SnapshotDiff>;

/** An underlying's latest snapshot by as_of (the levels board). */
export const LevelsRow = SnapshotLevels.extend({
  underlying: z.string(),
  /** Seconds from as_of to now. */
  age_s: z.number(),
});
export type LevelsRow = z.infer<typeof LevelsRow>;

/** The levels board: each underlying's latest readable snapshot, by underlying. */
export const LevelsAnswer = partialAnswer(LevelsRow);
export type LevelsAnswer = z.infer<typeof LevelsAnswer>;

/** A snapshot removed from the store (snapshots:remove): what it was, and its export files deleted. */
export const RemovedSnapshot = z.object({
  snapshot: GEXSnapshot,
  /** The export files removed with it (the strike, expiry and snapshot datasets'). */
  files: z.array(z.string()),
  /** Its export files left on disk, by folder (shared/left-exports.ts); none most often. */
  left: z.array(LeftExports),
});
export type RemovedSnapshot = z.infer<typeof RemovedSnapshot>;

/** Every snapshot before a time (of one underlying, if given): what an old history is pruned by. */
export const PruneRequest = z.strictObject({
  /** as_of strictly before this instant; a date YYYY-MM-DD is that day's start in the exchange's time zone. */
  before: TimeBound,
  underlying: UnderlyingName.optional(),
  justification: limitedText('a justification')
    .trim()
    .refine((s) => !blank(s), 'removing snapshots needs a justification'),
  author: AuthorName.optional(),
  /** Only say what would be removed. */
  dry_run: z.boolean().default(false),
});

export const PruneResult = z.object({
  dry_run: z.boolean(),
  /** How many snapshots were (or would be) removed, of which underlyings, and their as_of range. */
  count: z.number().int().min(0),
  underlyings: z.array(z.string()),
  oldest: IsoTimestamp.nullable(),
  newest: IsoTimestamp.nullable(),
  /** Export files deleted (0 on a dry run). */
  files: z.number().int().min(0),
  /** Their export files left on disk, by folder, counted (shared/left-exports.ts). */
  left: z.array(LeftExports),
});
export type PruneResult = z.infer<typeof PruneResult>;

/**
 * A look at the attached export folders' listings (snapshots:attachedCheck): whether a
 * snapshot came or went, or a folder appeared or vanished, since the engine's last look.
 */
export const AttachedCheck = z.object({
  /** The export folders attached now. */
  folders: z.number().int().min(0),
  /** Something changed since the last look (announced as snapshots:attachedChanged). */
  changed: z.boolean(),
  /** Directories looked at, and of them those listed again (their time had changed). */
  dirs: z.number().int().min(0),
  listed: z.number().int().min(0),
});
export type AttachedCheck = z.infer<typeof AttachedCheck>;

/** The attached folders changed: the views that read them load again; `gone`: ids no longer there. */
export const AttachedChanged = z.object({ gone: z.array(z.string()) });
export type AttachedChanged = z.infer<typeof AttachedChanged>;

/** Snapshots removed (snapshots:remove, snapshots:prune): what the views and the engine's memory forget. */
export const SnapshotsRemoved = z.object({
  snapshots: z.array(
    z.object({ id: z.string(), underlying: z.string(), content_hash: z.string() }),
  ),
});
export type SnapshotsRemoved = z.infer<typeof SnapshotsRemoved>;
