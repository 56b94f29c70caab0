// The API between the UI and the engine, declared once: every call (`domain:verb`,
// request schema, response schema) and every event (name, payload schema). Electron
// IPC (preload) and the browser host (HTTP + WebSocket) both implement exactly this
// map, so the renderer cannot tell them apart; handlers are generated from it and
// validate every request where it enters the engine. The schemas of the requests and
// answers live by domain under shared/api/ and are re-exported here, so that the rest of
// the app imports the API from this one module.
import { z } from 'zod';
import { Decision, GEXSnapshot, JobStatus, ProcessingJob } from './domain.ts';
import { AppError, type Result } from './result.ts';
import { Diagnostic } from './rules.ts';
import { SnapshotCells, WindowShare } from './cells.ts';
import { AuditEntry, AuditKind } from './api/audit.ts';
import { AuthorName } from './api/author.ts';
import { Id, IdText } from './api/id.ts';
import { Health, InboxStatus } from './api/engine.ts';
import {
  RequestRecord,
  SOURCE_LOOKUP_MAX,
  SourceName,
  SubmitAck,
  SubmitRequest,
  type FileSubmitRequest,
} from './api/ingest.ts';
import { DrainResult, JobDetail, QueueStats } from './api/queue.ts';
import { ActiveRules, RuleVersion, WhatIfAnswer, WhatIfBaseline } from './api/rules.ts';
import {
  HistoryAnswer,
  AttachFolders,
  HistoryRequest,
  LevelsAnswer,
  AttachedCheck,
  AttachedChanged,
  SnapshotDetail,
  SnapshotDiff,
  PruneRequest,
  PruneResult,
  RemovedSnapshot,
  SnapshotsRemoved,
  UnderlyingName,
} from './api/snapshots.ts';
import { SourceRecord } from './api/sources.ts';
import { limitedText, optionalText } from './api/free-text.ts';
import { blank } from './visible.ts';

export { SnapshotCells, strikeWindow } from './cells.ts';
export * from './api/audit.ts';
export * from './api/author.ts';
export * from './api/engine.ts';
export * from './api/id.ts';
export * from './api/ingest.ts';
export * from './api/queue.ts';
export * from './api/rules.ts';
export * from './api/snapshots.ts';
export * from './api/sources.ts';

const call = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({
  request,
  response,
});
const none = z.strictObject({});

export const calls = {
  'engine:health': call(none, Health),
  'ingest:submit': call(SubmitRequest, SubmitAck),
  'jobs:get': call(z.strictObject({ id: Id }), JobDetail),
  /**
   * Newest first; `after`: the id of the last job of the previous page (the list goes on
   * after it); `source`: only the jobs of that data source.
   */
  'jobs:list': call(
    z.strictObject({
      status: JobStatus.optional(),
      source: SourceName.optional(),
      limit: z.number().int().min(1).max(100_000).default(10_000),
      after: Id.optional(),
    }),
    z.array(ProcessingJob),
  ),
  /** `author`: who asked, recorded in the audit trail. */
  'jobs:cancel': call(z.strictObject({ id: IdText, author: AuthorName.optional() }), ProcessingJob),
  'jobs:retry': call(z.strictObject({ id: IdText, author: AuthorName.optional() }), ProcessingJob),
  /**
   * Whether a retry of the job would find the bytes captured when its file arrived (a
   * retry runs them, never the analyst's path): false once they are no longer kept.
   */
  'jobs:bytesKept': call(z.strictObject({ id: Id }), z.object({ kept: z.boolean() })),
  'queue:stats': call(none, QueueStats),
  'queue:pause': call(none, QueueStats),
  'queue:resume': call(none, QueueStats),
  /** Runs until nothing is queued, deciding or running (CONFLICT while the queue is paused). */
  'queue:drain': call(none, DrainResult),
  /** Newest as-of first (then created_at, then id); `after`: the id of the last snapshot of the previous page. */
  'snapshots:list': call(
    z.strictObject({
      underlying: UnderlyingName.optional(),
      limit: z.number().int().min(1).max(10_000).default(200),
      after: Id.optional(),
    }),
    z.array(GEXSnapshot),
  ),
  /**
   * The stored snapshots of these ids (those that exist, in no particular order): the
   * Queue's rows ask for the snapshots of the jobs on screen, whatever their age.
   */
  'snapshots:many': call(
    z.object({ ids: z.array(Id).min(1).max(1000) }).strict(),
    z.array(GEXSnapshot),
  ),
  /** How many snapshots are stored (the list above stops at its limit). */
  'snapshots:count': call(none, z.object({ total: z.number().int().min(0) })),
  'snapshots:get': call(z.strictObject({ id: IdText, attach: AttachFolders }), SnapshotDetail),
  /**
   * The strike × expiry cells of a snapshot (the heatmap; the charts under an expiry
   * filter); with `window_share`, only those of the strikes within spot ± that share.
   */
  'snapshots:cells': call(
    z.strictObject({ id: IdText, attach: AttachFolders, window_share: WindowShare.optional() }),
    SnapshotCells,
  ),
  'snapshots:history': call(HistoryRequest, HistoryAnswer),
  'snapshots:diff': call(z.strictObject({ from: Id, to: Id, attach: AttachFolders }), SnapshotDiff),
  'snapshots:levels': call(z.strictObject({ attach: AttachFolders }), LevelsAnswer),
  /**
   * Looks whether the configured attached folders changed (their listings: no file is
   * read), announcing snapshots:attachedChanged when they did; the open views ask every
   * few seconds (another desk writes there with no event of this one).
   */
  'snapshots:attachedCheck': call(none, AttachedCheck),
  /**
   * Removes a snapshot of this workstation's store (one ingested by mistake): its figures
   * and its export files, audited as `removed` (who, why, what it was). The request and job
   * that made it keep their trail; the same file may be ingested again.
   */
  'snapshots:remove': call(
    z.strictObject({
      id: Id,
      justification: limitedText('a justification')
        .trim()
        .refine((s) => !blank(s), 'removing a snapshot needs a justification'),
      author: AuthorName.optional(),
    }),
    RemovedSnapshot,
  ),
  /** Removes every snapshot of this store before a time (of one underlying), each audited as `removed`. */
  'snapshots:prune': call(PruneRequest, PruneResult),
  'rules:active': call(none, ActiveRules),
  'rules:check': call(
    z.strictObject({ text: z.string() }),
    z.object({ ok: z.boolean(), diagnostics: z.array(Diagnostic) }),
  ),
  'rules:dryRun': call(
    z.strictObject({
      text: z.string(),
      facts: z.array(z.record(z.string(), z.unknown())).max(10_000),
    }),
    z.array(z.union([Decision, z.object({ error: AppError })])),
  ),
  /**
   * Stores `text` as the new active version. `base`: the version the change was made
   * against; refused (CONFLICT, naming the version active now, its author and comment) when
   * another is active by then, and nothing is activated. Without it, `text` replaces
   * whatever is active.
   */
  'rules:activate': call(
    z.strictObject({
      text: z.string(),
      author: AuthorName,
      comment: optionalText('a comment').default(''),
      base: z.number().int().min(1).optional(),
    }),
    RuleVersion,
  ),
  'rules:history': call(none, z.array(RuleVersion)),
  'rules:get': call(
    z.strictObject({ version: z.number().int() }),
    z.object({ version: z.number().int(), text: z.string() }),
  ),
  /**
   * Activates version `version`'s text again, as a new version. `base`: the version the
   * rollback was compared against; refused as `rules:activate` refuses a stale base
   * (CONFLICT; NOT_FOUND when no such version was stored), nothing activated.
   */
  'rules:rollback': call(
    z.strictObject({
      version: z.number().int(),
      author: AuthorName,
      comment: optionalText('a comment').optional(),
      base: z.number().int().min(1).optional(),
    }),
    RuleVersion,
  ),
  'rules:schema': call(none, z.record(z.string(), z.unknown())),
  'requests:get': call(
    z.strictObject({ ids: z.array(IdText).min(1).max(1000) }),
    z.array(RequestRecord),
  ),
  /**
   * Replays the last `last` decided requests under `text` (RULES_INVALID / RULES_SYNTAX when
   * it is not valid), compared with their level at arrival or with the active rules (`baseline`).
   */
  'rules:whatif': call(
    z.strictObject({
      text: z.string(),
      last: z.number().int().min(1).max(100_000).default(1000),
      /** Default `arrival`. */
      baseline: WhatIfBaseline.optional(),
    }),
    WhatIfAnswer,
  ),
  /** `order`: `newest` first (default) or `oldest` first (a request's timeline). */
  /** `after`: the id of the last entry of the previous page (the list goes on after it, in its order). */
  'audit:list': call(
    z.strictObject({
      request_id: IdText.optional(),
      limit: z.number().int().min(1).max(10_000).default(500),
      order: z.enum(['newest', 'oldest']).default('newest'),
      after: z.number().int().optional(),
      /** Only entries of this kind (the Sources view: `source`, however long the trail). */
      kind: AuditKind.optional(),
      /** Only entries of one of these kinds (the Audit view's chips; with `kind`, of both). */
      kinds: z.array(AuditKind).max(AuditKind.options.length).optional(),
      /**
       * Only entries whose file, underlying (or their job's), request, analyst or explanation
       * holds this text, in any letter case (the Audit view's filter box).
       */
      text: z.string().max(500).optional(),
      /** Only entries of this source: a source's changes and its jobs' entries, its id exactly. */
      source: z.string().max(SOURCE_LOOKUP_MAX).optional(),
    }),
    z.array(AuditEntry),
  ),
  'sources:list': call(none, z.array(SourceRecord)),
  /** Sets a reliability override (audited as `source`); new requests of the source use it. */
  'sources:set': call(
    z.strictObject({
      id: SourceName,
      reliability: z.number().min(0).max(1),
      justification: limitedText('a justification')
        .trim()
        .refine((s) => !blank(s), 'a reliability override needs a justification'),
      author: AuthorName.optional(),
    }),
    SourceRecord,
  ),
  'sources:clear': call(
    z.strictObject({
      id: SourceName,
      justification: optionalText('a justification').optional(),
      author: AuthorName.optional(),
    }),
    SourceRecord,
  ),
  'inbox:get': call(none, InboxStatus),
  /**
   * Watches another folder from now on and keeps the choice; refused by the browser host (a
   * path). A folder that already holds files is refused (CONFLICT, field `take_existing`)
   * unless `take_existing`: the inbox would ingest and move each of them.
   */
  'inbox:set': call(
    z.strictObject({ dir: z.string().trim().min(1), take_existing: z.boolean().optional() }),
    InboxStatus,
  ),
} as const;

export const events = {
  'job:updated': ProcessingJob,
  'queue:stats': QueueStats,
  'snapshot:created': GEXSnapshot,
  /** Snapshots were removed (snapshots:remove, snapshots:prune), in one event however many. */
  'snapshots:removed': SnapshotsRemoved,
  /** The attached export folders changed (a snapshot came or went there, a folder vanished). */
  'snapshots:attachedChanged': AttachedChanged,
  'rules:activated': RuleVersion,
  'audit:appended': AuditEntry,
  /** The inbox's folder or counts changed. */
  'inbox:updated': InboxStatus,
  /** A source's override was set or cleared. */
  'source:updated': SourceRecord,
  /**
   * The engine's database failed (a full disk): nothing more can be stored, and no job can
   * end, until it is opened again. Said once; `engine:health` says it from then on.
   */
  'engine:failed': AppError,
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
type HandlerRequest<K extends CallName> = K extends 'ingest:submit'
  ? FileSubmitRequest
  : z.infer<(typeof calls)[K]['request']>;

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
