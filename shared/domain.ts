// The domain model, declared once as zod schemas; every type in the app is inferred
// from these. Field names are snake_case because they are also the DuckDB columns
// and the CLI's JSON, which other tools read.
import { z } from 'zod';
import { AppError } from './result.ts';

export const PRIORITY_LEVELS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export const PriorityLevel = z.enum(PRIORITY_LEVELS);
export type PriorityLevel = z.infer<typeof PriorityLevel>;

/** 0 for CRITICAL … 3 for LOW: lower runs first. */
export const levelRank = (level: PriorityLevel): number => PRIORITY_LEVELS.indexOf(level);
/** One level up (towards CRITICAL); CRITICAL stays. */
export const escalate = (level: PriorityLevel): PriorityLevel =>
  PRIORITY_LEVELS[Math.max(0, levelRank(level) - 1)]!;
/** One level down (towards LOW); LOW stays. */
export const demote = (level: PriorityLevel): PriorityLevel =>
  PRIORITY_LEVELS[Math.min(PRIORITY_LEVELS.length - 1, levelRank(level) + 1)]!;

/** ISO-8601 timestamp with an offset or Z. */
export const IsoTimestamp = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/,
    'an ISO-8601 timestamp with an offset or Z',
  );

/**
 * `deciding`: arrived and staged, its level not yet decided because the rules need facts
 * only a read of the whole file gives; it waits for that read ranked by the highest level
 * it could still get (its `priority` meanwhile).
 */
/** What a person or a script asks for: ingest this file. */
export const PriorityRequest = z.object({
  id: z.string(),
  file: z.string(),
  source: z.string().min(1),
  requested_priority: PriorityLevel.nullable(),
  justification: z.string().nullable(),
  author: z.string().nullable(),
  submitted_at: IsoTimestamp,
});
export type PriorityRequest = z.infer<typeof PriorityRequest>;

export const JobStatus = z.enum([
  'deciding',
  'queued',
  'running',
  'completed',
  'duplicate',
  'failed',
  'cancelled',
]);
export type JobStatus = z.infer<typeof JobStatus>;
export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set([
  'completed',
  'duplicate',
  'failed',
  'cancelled',
]);

/** Waiting: for a worker (`queued`), or for the read of its file that decides its level (`deciding`). */
export const isWaiting = (status: string): boolean => status === 'queued' || status === 'deciding';
/**
 * Running in the table, its run over: its result waits to be stored (its worker is free).
 * Not a state of its own — the row is `running` until the completion's commit.
 */
export const isStoring = (job: { status: string; run_ended_at?: string | null }): boolean =>
  job.status === 'running' && !!job.run_ended_at;
/** What the Queue shows as a job's status: its state, or `storing` for a running job whose run is over. */
export const shownStatus = (job: { status: string; run_ended_at?: string | null }): string =>
  isStoring(job) ? 'storing' : job.status;
/** Not ended yet: waiting or running (what the Queue's Active tab lists). */
export const isOpen = (status: string): boolean => isWaiting(status) || status === 'running';
/** May still be cancelled: open, and not storing (its result is stored whatever is asked). */
export const cancellable = (job: { status: string; run_ended_at?: string | null }): boolean =>
  isOpen(job.status) && !isStoring(job);

/**
 * A job that ended with no decision of the rules: it failed or was cancelled before its
 * facts read decided it (`rule` still `deciding`; its `priority` is only the upper bound
 * it waited at), or its file could not be read at arrival (`rule` `unreadable`; its
 * `priority` is only the stored default, LOW or the level requested).
 */
export const endedUndecided = (job: { status: string; rule: string | null }): boolean =>
  (job.rule === 'deciding' || job.rule === 'unreadable') &&
  TERMINAL_STATUSES.has(job.status as JobStatus);

/**
 * Its level only the rules' upper bound, no decision yet: a job waiting for (or in) the
 * read of its file's facts (`rule` still `deciding`, not ended), or an audit entry written
 * while it was (its `arrival`, status unknown to it). Shown "≤ HIGH", never as a level.
 */
export const atUpperBound = (x: { rule: string | null; status?: string }): boolean =>
  x.rule === 'deciding' &&
  (x.status === undefined || !TERMINAL_STATUSES.has(x.status as JobStatus));

/**
 * A job's level as the command line's JSON gives it (CONTRACTS.md): the stored one, or
 * null for a job no rule decided (`endedUndecided`) — whose stored LOW, requested level or
 * upper bound is no decision, and whose `rule` (`unreadable`, `deciding`) is no rule of
 * the rule set — as a `rejected` request has none.
 */
export const decidedLevel = (
  job: Pick<ProcessingJob, 'status' | 'rule' | 'priority' | 'effective_priority' | 'decided_at'>,
): {
  priority: PriorityLevel | null;
  effective_priority: PriorityLevel | null;
  rule: string | null;
  decided_at: string | null;
} =>
  endedUndecided(job)
    ? { priority: null, effective_priority: null, rule: null, decided_at: null }
    : {
        priority: job.priority,
        effective_priority: job.effective_priority,
        rule: job.rule,
        decided_at: job.decided_at,
      };

export const ProcessingJob = z.object({
  id: z.string(),
  request_id: z.string(),
  file: z.string(),
  source: z.string(),
  underlying: z.string().nullable(),
  /** The content's SHA-256: names its staged bytes and makes a repeat a duplicate. */
  content_hash: z.string().nullable().default(null),
  priority: PriorityLevel,
  /** The level after any escalation. */
  effective_priority: PriorityLevel,
  rule: z.string(),
  rule_version: z.number().int().nullable(),
  status: JobStatus,
  /** How many times the job's row was written; an event with a lower one is older than what is shown. */
  revision: z.number().int().nonnegative().default(0),
  /** The request's arrival: every wait and latency counts from here. */
  submitted_at: IsoTimestamp,
  /**
   * The order the job was stored in (the order its capture ended): breaks what arrival
   * and `arrival_order` leave tied.
   */
  seq: z.number().int().nonnegative().default(0),
  /**
   * Its request's place in arrival order: the files of one command share their arrival to
   * the millisecond and are stored as their captures end, so this — not `seq` — is the
   * order they were submitted in. Null for a job whose request was stored before places
   * were given (then `seq`; `arrivalPlace`).
   */
  arrival_order: z.number().int().nonnegative().nullable().default(null),
  /** When its level was decided: the arrival, or the end of its facts read. */
  decided_at: IsoTimestamp.nullable().default(null),
  started_at: IsoTimestamp.nullable(),
  /**
   * When its worker's run ended with a result, which then waited to be stored: its Ran time
   * is started_at → run_ended_at. A running job that has one is storing (its worker is
   * free; its commit may wait in the store's lane behind higher work). Null until then,
   * and for a job that did not complete.
   */
  run_ended_at: IsoTimestamp.nullable().default(null),
  /** When it ended: for a completed job, when its snapshot was stored (data available). */
  finished_at: IsoTimestamp.nullable(),
  attempts: z.number().int().nonnegative(),
  late: z.boolean(),
  error: AppError.nullable(),
  snapshot_id: z.string().nullable(),
  /** 0..1 while running. */
  progress: z.number().min(0).max(1).nullable(),
});
export type ProcessingJob = z.infer<typeof ProcessingJob>;

/**
 * A job's place among jobs of the same arrival millisecond, lower first: its request's
 * `arrival_order`, -1 (before any given) when it has none; `seq` breaks what is left.
 */
export const arrivalPlace = (job: Pick<ProcessingJob, 'arrival_order'>): number =>
  job.arrival_order ?? -1;

/** One option contract after a reader has normalised it. */
export const ContractRow = z.object({
  underlying: z.string(),
  as_of: IsoTimestamp,
  spot: z.number().positive(),
  expiry: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  strike: z.number().positive(),
  option_type: z.enum(['C', 'P']),
  open_interest: z.number().nonnegative(),
  volume: z.number().nonnegative(),
  iv: z.number().nonnegative().nullable(),
  gamma: z.number().nullable(),
  bid: z.number().nullable(),
  ask: z.number().nullable(),
});
export type ContractRow = z.infer<typeof ContractRow>;

export const DroppedRows = z.object({ reason: z.string(), rows: z.number().int().nonnegative() });
export type DroppedRows = z.infer<typeof DroppedRows>;
export const DataQuality = z.object({
  /** Share of usable contract rows, 0..1. */
  score: z.number().min(0).max(1),
  rows_total: z.number().int().nonnegative(),
  rows_used: z.number().int().nonnegative(),
  dropped: z.array(DroppedRows),
  /**
   * Rows used, but unable to give every measure (e.g. IV 0 or missing: no vanna, no charm),
   * with the reason. Absent on snapshots stored before schema version 3.
   */
  partial: z.array(DroppedRows).optional(),
});
export type DataQuality = z.infer<typeof DataQuality>;

/** How GEX is computed; the defaults are the public reference's conventions. */
export const GexConventions = z.object({
  contract_multiplier: z.number().positive().default(100),
  /** Size of the move GEX is quoted for: 0.01 = per 1%. */
  move: z.number().positive().default(0.01),
  /** `business-262`: Mon–Fri days ÷ 262; `act-365`: calendar days ÷ 365. */
  day_count: z.enum(['business-262', 'act-365']).default('business-262'),
  rate: z.number().default(0),
  dividend_yield: z.number().default(0),
  profile_points: z.number().int().min(2).max(2000).default(60),
  profile_low: z.number().positive().default(0.8),
  profile_high: z.number().positive().default(1.2),
  /** Time zone of exchange timestamps that carry no offset (CBOE JSON, CSV "EST"). */
  exchange_time_zone: z.string().default('America/New_York'),
});
export type GexConventions = z.infer<typeof GexConventions>;

/**
 * Conventions as one canonical text — every field, in the schema's order — the key a
 * snapshot's figures are told apart by (the same bytes under other conventions are another
 * snapshot) and what the store and the export files record.
 */
export const conventionsKey = (c: GexConventions): string =>
  JSON.stringify(
    Object.fromEntries(
      Object.keys(GexConventions.shape).map((k) => [k, c[k as keyof GexConventions]]),
    ),
  );

/** The defaults (no `conventions` in the config). */
export const DEFAULT_CONVENTIONS: GexConventions = GexConventions.parse({});

/** GEX is in USD per 1% move of the underlying. */
export const GEXSnapshot = z.object({
  id: z.string(),
  underlying: z.string(),
  as_of: IsoTimestamp,
  spot: z.number(),
  contracts: z.number().int().nonnegative(),
  total_gex: z.number(),
  call_gex: z.number(),
  put_gex: z.number(),
  zero_gamma: z.number().nullable(),
  call_wall: z.number().nullable(),
  put_wall: z.number().nullable(),
  max_pain: z.number().nullable(),
  total_open_interest: z.number().nonnegative(),
  total_volume: z.number().nonnegative(),
  quality: DataQuality,
  content_hash: z.string(),
  format: z.string(),
  source_file: z.string(),
  parquet: z.string(),
  created_at: IsoTimestamp,
  request_id: z.string().nullable(),
  job_id: z.string().nullable(),
  /**
   * The conventions its figures were computed under (every field, defaults filled in);
   * null for a snapshot stored before they were recorded (2026-12-06): not known.
   */
  conventions: GexConventions.nullable().default(null),
});
export type GEXSnapshot = z.infer<typeof GEXSnapshot>;

/**
 * The four exposures of a snapshot (ANALYTICS.md): gex in USD per 1% move, dex in USD of
 * delta, vex in USD of delta per 1 vol point, cex in USD of delta per day.
 */
export const Exposures = z.object({
  gex: z.number(),
  dex: z.number(),
  vex: z.number(),
  cex: z.number(),
});
export type Exposures = z.infer<typeof Exposures>;

/** `0dte`: expires on the snapshot's date (exchange time zone); `monthly`: the third Friday; `weekly`: any other. */
export const EXPIRY_BUCKETS = ['0dte', 'weekly', 'monthly'] as const;
export const ExpiryBucket = z.enum(EXPIRY_BUCKETS);
export type ExpiryBucket = z.infer<typeof ExpiryBucket>;

export const BucketFigures = z.object({
  bucket: ExpiryBucket,
  net_gex: z.number(),
  call_wall: z.number().nullable(),
  put_wall: z.number().nullable(),
});
export type BucketFigures = z.infer<typeof BucketFigures>;

/**
 * GEX of one strike: of one expiry, or (expiry null) of all expiries together. dex, vex and
 * cex are null for a snapshot stored before schema version 3 (not computed then).
 */
export const GEXStrike = z.object({
  snapshot_id: z.string(),
  strike: z.number(),
  expiry: z.string().nullable(),
  call_gex: z.number(),
  put_gex: z.number(),
  net_gex: z.number(),
  dex: z.number().nullable().default(null),
  vex: z.number().nullable().default(null),
  cex: z.number().nullable().default(null),
  call_open_interest: z.number(),
  put_open_interest: z.number(),
  call_volume: z.number(),
  put_volume: z.number(),
});
export type GEXStrike = z.infer<typeof GEXStrike>;

/**
 * A strike's figures that add up over its expiries, in the order the command line writes
 * them (`snapshot --json` strikes, `export` columns) and export folders are summed by.
 */
export const STRIKE_FIGURES = [
  'call_gex',
  'put_gex',
  'net_gex',
  'dex',
  'vex',
  'cex',
  'call_open_interest',
  'put_open_interest',
  'call_volume',
  'put_volume',
] as const satisfies readonly (keyof GEXStrike)[];

/** One expiry of a snapshot; the fields that came with schema version 3 are null before it. */
export const GEXExpiry = z.object({
  snapshot_id: z.string(),
  expiry: z.string(),
  bucket: ExpiryBucket.nullable().default(null),
  call_gex: z.number(),
  put_gex: z.number(),
  net_gex: z.number(),
  dex: z.number().nullable().default(null),
  vex: z.number().nullable().default(null),
  cex: z.number().nullable().default(null),
  call_open_interest: z.number(),
  put_open_interest: z.number(),
  call_volume: z.number().nullable().default(null),
  put_volume: z.number().nullable().default(null),
  call_wall: z.number().nullable().default(null),
  put_wall: z.number().nullable().default(null),
});
export type GEXExpiry = z.infer<typeof GEXExpiry>;

/** The schema version that brought the exposures, expiries and buckets; also the measures' version. */
export const MEASURES_VERSION = 3;

/** What a snapshot gained with schema version 3; null on snapshots stored before it. */
export const SnapshotMeasures = z.object({
  /** The version of the measures' definitions that computed them (3). */
  measures_version: z.number().int(),
  exposures: Exposures,
  absolute_gamma_strike: z.number().nullable(),
  buckets: z.array(BucketFigures),
});
export type SnapshotMeasures = z.infer<typeof SnapshotMeasures>;

export const GammaProfilePoint = z.object({ level: z.number(), gex: z.number() });
export type GammaProfilePoint = z.infer<typeof GammaProfilePoint>;

/** The outcome of a priority decision. */
export const Decision = z.object({
  priority: PriorityLevel,
  rule: z.string(),
  explanation: z.string(),
  rule_version: z.number().int().nullable(),
});
export type Decision = z.infer<typeof Decision>;
