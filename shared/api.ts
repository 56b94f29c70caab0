// The API between the UI and the engine, declared once: every call (`domain:verb`,
// request schema, response schema) and every event (name, payload schema). Electron
// IPC (preload) and the browser host (HTTP + WebSocket) both implement exactly this
// map, so the renderer cannot tell them apart; handlers are generated from it and
// validate every request where it enters the engine.
import { z } from 'zod';
import {
  BucketFigures,
  Decision,
  Exposures,
  GammaProfilePoint,
  GEXExpiry,
  GEXSnapshot,
  GEXStrike,
  IsoTimestamp,
  JobStatus,
  PriorityLevel,
  PriorityRequest,
  ProcessingJob,
} from './domain.ts';
import { AppError, type Result } from './result.ts';
import { Diagnostic, RuleTrigger, WhatIfResult } from './rules.ts';
import { SnapshotCells } from './cells.ts';

export { SnapshotCells } from './cells.ts';

const justified = (r: { requested_priority?: unknown; justification?: string }) =>
  !r.requested_priority || (r.justification ?? '').trim().length > 0;

/**
 * A request to ingest one file, named in exactly one way: `file`, a path on the engine's
 * machine (desktop drop, CLI, inbox), or `upload`, the id the browser host gave an
 * uploaded file. Each transport accepts only its own (electron/host/handlers.ts): the
 * browser host never takes a path, the desktop app never an upload.
 */
export const SubmitRequest = z
  .object({
    file: z.string().min(1).optional(),
    upload: z.string().min(1).optional(),
    source: z.string().min(1).default('manual'),
    requested_priority: PriorityLevel.optional(),
    justification: z.string().optional(),
    author: z.string().optional(),
  })
  .refine((r) => (r.file === undefined) !== (r.upload === undefined), {
    message: 'name the file in exactly one way: `file` (a path) or `upload` (an upload id)',
    path: ['file'],
  })
  .refine(justified, { message: 'a manual priority needs a justification', path: ['justification'] });
export type SubmitRequest = z.infer<typeof SubmitRequest>;
/** What the engine is handed: a path, an upload already resolved to its stored file. */
export type FileSubmitRequest = Omit<SubmitRequest, 'upload'> & { file: string };

/**
 * The browser host's answer to an upload: the id to submit it with (`{upload}`), and
 * where it keeps the file, so that the page can show errors that name the stored file
 * with the user's own file name.
 */
export const UploadReceipt = z.object({ upload: z.string(), name: z.string(), bytes: z.number().int(), path: z.string() });
export type UploadReceipt = z.infer<typeof UploadReceipt>;

/** The engine's answer once a request is stored (or refused). */
export const SubmitAck = z.object({
  request_id: z.string(),
  job_id: z.string().nullable(),
  /**
   * `queued`: decided at arrival; `deciding`: staged and stored, its level decided once its
   * facts are read; `duplicate`: the content is already a snapshot; `failed`: the file
   * could not be read (the job is stored as failed); `rejected`: invalid request, nothing
   * stored but the audit entry.
   */
  status: z.enum(['queued', 'deciding', 'duplicate', 'failed', 'rejected']),
  decision: Decision.nullable(),
  snapshot_id: z.string().nullable(),
  error: AppError.nullable(),
});
export type SubmitAck = z.infer<typeof SubmitAck>;

export const LevelStats = z.object({
  level: PriorityLevel,
  waiting: z.number().int(),
  running: z.number().int(),
  oldest_wait_ms: z.number().nullable(),
  late: z.number().int(),
  latency_p50_ms: z.number().nullable(),
  latency_p90_ms: z.number().nullable(),
  latency_p99_ms: z.number().nullable(),
  completed_in_window: z.number().int(),
  /** The level's target (arrival → data available) and what happens to a late job, from the ACTIVE rules. */
  target_ms: z.number().nullable().default(null),
  on_late: z.enum(['flag', 'escalate']).nullable().default(null),
});
export const QueueStats = z.object({
  levels: z.array(LevelStats),
  workers: z.number().int(),
  busy_workers: z.number().int(),
  /** Dispatch held by an analyst: queued jobs wait (and may turn late), running ones finish. */
  paused: z.boolean().default(false),
  throughput_per_min: z.number(),
  window_ms: z.number(),
  totals: z.object({
    queued: z.number().int(),
    running: z.number().int(),
    completed: z.number().int(),
    failed: z.number().int(),
    /** Arrived, waiting for (or in) the facts read that decides their level. */
    deciding: z.number().int().default(0),
  }),
});
export type QueueStats = z.infer<typeof QueueStats>;

/** Where a snapshot comes from: this workstation's store, or an attached export folder (its path). */
export const LOCAL_ORIGIN = 'local';

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
});
export type SnapshotDetail = z.infer<typeof SnapshotDetail>;

/** An ISO-8601 timestamp with offset, or a date (YYYY-MM-DD: that day in the exchange's time zone). */
export const TimeBound = z.union([IsoTimestamp, z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')]);

export const HistoryRequest = z.object({
  underlying: z.string().trim().min(1).max(32),
  /** Inclusive bounds on as_of. */
  from: TimeBound.optional(),
  to: TimeBound.optional(),
});

/** One snapshot of an underlying's history (ANALYTICS.md), oldest as_of first. */
export const HistoryPoint = z.object({
  id: z.string(),
  origin: z.string(),
  as_of: IsoTimestamp,
  spot: z.number(),
  total_gex: z.number(),
  zero_gamma: z.number().nullable(),
  call_wall: z.number().nullable(),
  put_wall: z.number().nullable(),
  dex: z.number().nullable(),
  vex: z.number().nullable(),
  cex: z.number().nullable(),
  absolute_gamma_strike: z.number().nullable(),
  note: z.string().nullable(),
});
export type HistoryPoint = z.infer<typeof HistoryPoint>;

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
});
export type SnapshotDiff = z.infer<typeof SnapshotDiff>;

/** An underlying's latest snapshot by as_of (the levels board). */
export const LevelsRow = z.object({
  underlying: z.string(),
  id: z.string(),
  origin: z.string(),
  as_of: IsoTimestamp,
  spot: z.number(),
  total_gex: z.number(),
  zero_gamma: z.number().nullable(),
  call_wall: z.number().nullable(),
  put_wall: z.number().nullable(),
  absolute_gamma_strike: z.number().nullable(),
  /** Seconds from as_of to now. */
  age_s: z.number(),
  note: z.string().nullable(),
});
export type LevelsRow = z.infer<typeof LevelsRow>;

/** A problem in a rule file (declared with the rule language). */
export { Diagnostic } from './rules.ts';

export const RuleVersion = z.object({
  version: z.number().int(),
  author: z.string(),
  comment: z.string(),
  created_at: IsoTimestamp,
  active: z.boolean(),
});
export type RuleVersion = z.infer<typeof RuleVersion>;

/**
 * What an audit entry records. A request's trail runs from `arrival` (its bytes staged)
 * through its `decision` (or `override`, or `rejected`), `started`, `preempted`,
 * `requeued` (a retryable failure, a restart, a shutdown), `retried` and `cancelled`
 * (by whom), `late` and `escalation`, to `completed` or `failed`. `rules` is a rule-set
 * activation; `source` a source's reliability override set or cleared (by whom, why);
 * `job` is how entries written before version 4 of the store were kinded.
 */
export const AuditKind = z.enum([
  'arrival',
  'decision',
  'override',
  'rejected',
  'started',
  'preempted',
  'requeued',
  'retried',
  'cancelled',
  'late',
  'escalation',
  'completed',
  'failed',
  'rules',
  'job',
  'source',
]);
export type AuditKind = z.infer<typeof AuditKind>;

export const AuditEntry = z.object({
  id: z.number().int(),
  at: IsoTimestamp,
  kind: AuditKind,
  request_id: z.string().nullable(),
  job_id: z.string().nullable(),
  /** The file as the analyst named it, and its underlying once known. */
  file: z.string().nullable().default(null),
  underlying: z.string().nullable().default(null),
  rule_version: z.number().int().nullable(),
  rule: z.string().nullable(),
  priority: PriorityLevel.nullable(),
  facts: z.record(z.string(), z.unknown()).nullable(),
  explanation: z.string(),
  actor: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** A level of the active rule set: its processing target and what happens to a late job. */
export const LevelPolicyInfo = z.object({
  level: PriorityLevel,
  target_ms: z.number(),
  on_late: z.enum(['flag', 'escalate']),
});
export type LevelPolicyInfo = z.infer<typeof LevelPolicyInfo>;

export const ActiveRules = z.object({
  version: z.number().int().nullable(),
  text: z.string(),
  /** The levels in order (CRITICAL first), as the active rule set defines them. */
  levels: z.array(LevelPolicyInfo),
});
export type ActiveRules = z.infer<typeof ActiveRules>;

/** A stored request with the facts its decision was made from (as they were at arrival). */
export const RequestRecord = PriorityRequest.extend({
  /** The given facts; null when the file could not be read. */
  facts: z.record(z.string(), z.unknown()).nullable(),
  /** The facts the rule set derived from them (age_s, freshness, …). */
  derived: z.record(z.string(), z.unknown()).nullable(),
  /** Facts not known when the level was decided (decided at arrival, before the file was read). */
  unknown: z.array(z.string()).nullable().default(null),
});
export type RequestRecord = z.infer<typeof RequestRecord>;

export const Health = z.object({
  ok: z.boolean(),
  db_path: z.string(),
  data_dir: z.string(),
  inbox: z.string(),
  workers: z.number().int(),
  rule_version: z.number().int().nullable(),
  started_at: IsoTimestamp,
  /** `local`: the command line's endpoint beside a running engine (a Unix socket or named pipe). */
  transport: z.enum(['ipc', 'http', 'local']),
  /** Final job states whose write failed and is being retried (a full disk, say). */
  pending_final_writes: z.number().int().default(0),
});

/** A job and, once it has one, its snapshot's figures (the job drawer; `gex-desk ingest`). */
export const JobDetail = z.object({ job: ProcessingJob, snapshot: GEXSnapshot.nullable() });
export type JobDetail = z.infer<typeof JobDetail>;

/** `queue:drain`: the queue once empty, and how the jobs that ended meanwhile ended. */
export const DrainResult = z.object({
  stats: QueueStats,
  completed: z.number().int(),
  failed: z.number().int(),
});
export type DrainResult = z.infer<typeof DrainResult>;

/** What-if of an edited rule set on the last N decided requests (not activated). */
export const WhatIfAnswer = WhatIfResult.extend({
  /** The active version the requests are compared against (they were decided by theirs). */
  active_version: z.number().int().nullable(),
});
export type WhatIfAnswer = z.infer<typeof WhatIfAnswer>;

/** An analyst's correction of a source's reliability. */
export const SourceOverride = z.object({
  reliability: z.number().min(0).max(1),
  justification: z.string(),
  author: z.string().nullable(),
  at: IsoTimestamp,
});

/** A data source's record, as the sources view and `gex-desk sources` show it. */
export const SourceRecord = z.object({
  id: z.string(),
  name: z.string(),
  /** Final outcomes: completed (or duplicate) ingests, and failures that say the data was bad. */
  completed: z.number().int(),
  failed: z.number().int(),
  /** completed ÷ (completed + failed); 1 without history. */
  computed_reliability: z.number().min(0).max(1),
  /** What new requests' `source_reliability` fact is: the override when set, else the computed one. */
  reliability: z.number().min(0).max(1),
  override: SourceOverride.nullable(),
  /** The arrival of its latest request. */
  last_ingest_at: IsoTimestamp.nullable(),
  created_at: IsoTimestamp,
  /** What this reliability sets off under the active rules (e.g. G4 below its threshold). */
  triggers: z.array(RuleTrigger),
  rule_version: z.number().int().nullable(),
});
export type SourceRecord = z.infer<typeof SourceRecord>;

/** The watched inbox: its folders, how many files ended in each, and whether it is watched. */
export const InboxStatus = z.object({
  dir: z.string(),
  processing: z.string(),
  done: z.string(),
  failed: z.string(),
  /** Files (not `.reason.txt`) in each folder now. */
  counts: z.object({ processing: z.number().int(), done: z.number().int(), failed: z.number().int() }),
  /** False where no engine watches it (a one-shot command, or the folder could not be made). */
  watching: z.boolean(),
  /** Where `inbox:set` keeps the choice (config.json in the per-user folder, or GEX_DESK_CONFIG). */
  config_file: z.string(),
});
export type InboxStatus = z.infer<typeof InboxStatus>;

const call = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response });
const none = z.object({}).strict();

export const calls = {
  'engine:health': call(none, Health),
  'ingest:submit': call(SubmitRequest, SubmitAck),
  'jobs:get': call(z.object({ id: z.string().min(1) }), JobDetail),
  'jobs:list': call(
    z.object({ status: JobStatus.optional(), limit: z.number().int().min(1).max(100_000).default(10_000) }),
    z.array(ProcessingJob),
  ),
  /** `author`: who asked, recorded in the audit trail. */
  'jobs:cancel': call(z.object({ id: z.string(), author: z.string().min(1).optional() }), ProcessingJob),
  'jobs:retry': call(z.object({ id: z.string(), author: z.string().min(1).optional() }), ProcessingJob),
  'queue:stats': call(none, QueueStats),
  'queue:pause': call(none, QueueStats),
  'queue:resume': call(none, QueueStats),
  /** Runs until nothing is queued, deciding or running (CONFLICT while the queue is paused). */
  'queue:drain': call(none, DrainResult),
  'snapshots:list': call(
    z.object({ underlying: z.string().optional(), limit: z.number().int().min(1).max(10_000).default(200) }),
    z.array(GEXSnapshot),
  ),
  'snapshots:get': call(z.object({ id: z.string() }), SnapshotDetail),
  /** The strike × expiry cells of a snapshot (the heatmap; the charts under an expiry filter). */
  'snapshots:cells': call(z.object({ id: z.string() }), SnapshotCells),
  'snapshots:history': call(HistoryRequest, z.array(HistoryPoint)),
  'snapshots:diff': call(z.object({ from: z.string().min(1), to: z.string().min(1) }), SnapshotDiff),
  'snapshots:levels': call(none, z.array(LevelsRow)),
  'rules:active': call(none, ActiveRules),
  'rules:check': call(z.object({ text: z.string() }), z.object({ ok: z.boolean(), diagnostics: z.array(Diagnostic) })),
  'rules:dryRun': call(
    z.object({ text: z.string(), facts: z.array(z.record(z.string(), z.unknown())).max(10_000) }),
    z.array(z.union([Decision, z.object({ error: AppError })])),
  ),
  'rules:activate': call(
    z.object({ text: z.string(), author: z.string().min(1), comment: z.string().default('') }),
    RuleVersion,
  ),
  'rules:history': call(none, z.array(RuleVersion)),
  'rules:get': call(z.object({ version: z.number().int() }), z.object({ version: z.number().int(), text: z.string() })),
  'rules:rollback': call(
    z.object({ version: z.number().int(), author: z.string().min(1), comment: z.string().optional() }),
    RuleVersion,
  ),
  'rules:schema': call(none, z.record(z.string(), z.unknown())),
  'requests:get': call(z.object({ ids: z.array(z.string()).min(1).max(1000) }), z.array(RequestRecord)),
  /** Replays the last `last` decided requests under `text` (RULES_INVALID / RULES_SYNTAX when it is not valid). */
  'rules:whatif': call(
    z.object({ text: z.string(), last: z.number().int().min(1).max(100_000).default(1000) }),
    WhatIfAnswer,
  ),
  /** `order`: `newest` first (default) or `oldest` first (a request's timeline). */
  'audit:list': call(
    z.object({
      request_id: z.string().optional(),
      limit: z.number().int().min(1).max(10_000).default(500),
      order: z.enum(['newest', 'oldest']).default('newest'),
    }),
    z.array(AuditEntry),
  ),
  'sources:list': call(none, z.array(SourceRecord)),
  /** Sets a reliability override (audited as `source`); new requests of the source use it. */
  'sources:set': call(
    z.object({
      id: z.string().min(1),
      reliability: z.number().min(0).max(1),
      justification: z.string().trim().min(1, 'a reliability override needs a justification'),
      author: z.string().min(1).optional(),
    }),
    SourceRecord,
  ),
  'sources:clear': call(
    z.object({ id: z.string().min(1), justification: z.string().optional(), author: z.string().min(1).optional() }),
    SourceRecord,
  ),
  'inbox:get': call(none, InboxStatus),
  /** Watches another folder from now on and keeps the choice; refused by the browser host (a path). */
  'inbox:set': call(z.object({ dir: z.string().min(1) }), InboxStatus),
} as const;

export const events = {
  'job:updated': ProcessingJob,
  'queue:stats': QueueStats,
  'snapshot:created': GEXSnapshot,
  'rules:activated': RuleVersion,
  'audit:appended': AuditEntry,
  /** The inbox's folder or counts changed. */
  'inbox:updated': InboxStatus,
  /** A source's override was set or cleared. */
  'source:updated': SourceRecord,
} as const;

export type CallName = keyof typeof calls;
export type EventName = keyof typeof events;
export type CallRequest<K extends CallName> = z.input<(typeof calls)[K]['request']>;
export type CallResponse<K extends CallName> = z.infer<(typeof calls)[K]['response']>;
export type EventPayload<K extends EventName> = z.infer<(typeof events)[K]>;

/** What the renderer holds (`window.gex` in Electron, a WebSocket client in a browser). */
export interface GexApi {
  call<K extends CallName>(name: K, request: CallRequest<K>): Promise<Result<CallResponse<K>>>;
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void;
}

/** What the engine implements: one handler per call, given an already-validated request. */
export type CallHandlers = {
  [K in CallName]: (request: HandlerRequest<K>) => Promise<Result<CallResponse<K>>>;
};
type HandlerRequest<K extends CallName> = K extends 'ingest:submit' ? FileSubmitRequest : z.infer<(typeof calls)[K]['request']>;

/** What the Electron preload exposes as `window.gex`: the API plus the path of a dropped file. */
export interface GexBridge extends GexApi {
  /** The file's path on disk (Electron's `webUtils.getPathForFile`); '' when it has none. */
  pathForFile(file: File): string;
  /** The native folder picker (main/folders.ts): the chosen folder, or null when cancelled. */
  chooseFolder(defaultPath?: string): Promise<Result<string | null>>;
  /** Shows one of the inbox's folders in the file manager (no other path is opened). */
  openFolder(path: string): Promise<Result<null>>;
}

/** IPC channel names (Electron transport), declared in the dependency-free shared/channels.ts. */
export { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, IPC_FOLDER_CHANNEL } from './channels.ts';
