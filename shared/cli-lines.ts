// The JSON lines of `gex-desk ingest --json` and `gex-desk jobs --json`, which the firm's
// scripts read (CONTRACTS.md): declared once, so that the command's types come from them
// and a test can hold a line to them. A request no rule decided (its file unreadable at
// arrival, or ended before the read of its facts decided it) has `priority`,
// `effective_priority` and `rule` null, as a rejected request does: its stored level is a
// default or the bound it waited at, no decision.
import { z } from 'zod';
import { GEXSnapshot, IsoTimestamp, JobStatus, PriorityLevel } from './domain.ts';
import { AppError } from './result.ts';

/**
 * The `snapshot` object of CONTRACTS.md, extended with the figures analysts also asked for
 * (and `conventions`, null when not recorded): the snapshot less what only the desk keeps.
 */
export const SnapshotLine = GEXSnapshot.pick({
  id: true,
  underlying: true,
  as_of: true,
  spot: true,
  contracts: true,
  total_gex: true,
  call_gex: true,
  put_gex: true,
  zero_gamma: true,
  call_wall: true,
  put_wall: true,
  parquet: true,
  max_pain: true,
  total_open_interest: true,
  total_volume: true,
  quality: true,
  format: true,
  content_hash: true,
  conventions: true,
});
export type SnapshotLine = z.infer<typeof SnapshotLine>;

/** One request's line of `gex-desk ingest --json` (and of `jobs retry --json`). */
export const IngestLine = z.object({
  file: z.string(),
  request_id: z.string().nullable(),
  job_id: z.string().nullable().optional(),
  status: z.enum(['completed', 'duplicate', 'failed', 'rejected']),
  /** The level the rules (or an override) decided; null when none did. */
  priority: PriorityLevel.nullable(),
  /** The rule that decided it; null when none did. */
  rule: z.string().nullable(),
  /** Arrival → data available (for a duplicate: → when it was found to be one). */
  latency_ms: z.number().nullable(),
  snapshot: SnapshotLine.optional(),
  error: AppError.optional(),
});
export type IngestLine = z.infer<typeof IngestLine>;

/** One job's line of `gex-desk jobs --json` (and of `jobs cancel --json`). */
export const JobLine = z.object({
  id: z.string(),
  request_id: z.string(),
  file: z.string(),
  underlying: z.string().nullable(),
  /** The level decided; null when no rule decided one. */
  priority: PriorityLevel.nullable(),
  /** The level after any escalation; null when no rule decided one. */
  effective_priority: PriorityLevel.nullable(),
  status: JobStatus,
  submitted_at: IsoTimestamp,
  /** When its level was decided; null when no rule decided one. */
  decided_at: IsoTimestamp.nullable(),
  started_at: IsoTimestamp.nullable(),
  run_ended_at: IsoTimestamp.nullable(),
  /** When it ended; for a duplicate, when it was found to be one. */
  finished_at: IsoTimestamp.nullable(),
  attempts: z.number().int().nonnegative(),
  error: AppError.nullable(),
  late: z.boolean(),
  /** The rule that decided its level; null when none did. */
  rule: z.string().nullable(),
  rule_version: z.number().int().nullable(),
  source: z.string(),
  snapshot_id: z.string().nullable(),
});
export type JobLine = z.infer<typeof JobLine>;
