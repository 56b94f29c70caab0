// The pipeline's hand-off, declared once: what a pipeline run returns (it crosses the
// process boundary between a pipeline worker and the engine), the cheap facts pass,
// and the messages between the engine's worker pool and a pipeline worker.
import { z } from 'zod';
import {
  GammaProfilePoint,
  GEXSnapshot,
  GexConventions,
  IsoTimestamp,
  SnapshotMeasures,
} from './domain.ts';
import { ReadLimits } from './limits.ts';
import { resultSchema } from './result.ts';

/** Formats the readers recognise by content. */
export const ChainFormat = z.enum(['cboe-csv', 'cboe-json', 'long-csv', 'long-parquet']);
export type ChainFormat = z.infer<typeof ChainFormat>;

export const PipelineSnapshot = GEXSnapshot.omit({
  created_at: true,
  request_id: true,
  job_id: true,
});
export type PipelineSnapshot = z.infer<typeof PipelineSnapshot>;

export const PipelineOutput = z.object({
  snapshot: PipelineSnapshot,
  /** Path of the one Parquet file of (expiry, strike) rows; equals snapshot.parquet. */
  strikesParquet: z.string(),
  /** The per-expiry rows (bucket, exposures, walls), in the sibling `expiries/` Hive dataset. */
  expiriesParquet: z.string(),
  /** The snapshot's one row (every figure, for readers of the exports), in the sibling `snapshots/` dataset. */
  snapshotParquet: z.string(),
  /**
   * When the snapshot was created (epoch ms), as its row file records it (`created_at_ms`):
   * the store keeps this as its created_at, so an attached folder orders a tie alike.
   */
  created_ms: z.number().int(),
  /**
   * What makes it the same chain, whatever its bytes (pipeline/chain-fingerprint.ts): a
   * file re-saved (CRLF, a BOM, rows reordered) is the duplicate of the snapshot of the
   * same fingerprint under the same conventions. Hex SHA-256.
   */
  chain_fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  /** Exposures, absolute-gamma strike, buckets (ANALYTICS.md). */
  measures: SnapshotMeasures,
  profile: z.array(GammaProfilePoint),
  timings_ms: z.record(z.string(), z.number()),
});
export type PipelineOutput = z.infer<typeof PipelineOutput>;

/**
 * Where a run or a facts read finds its bytes: `file` (the staged copy), the name the
 * analyst gave it (`sourceFile`, kept on the snapshot), and, when the file was already
 * parsed (read once), the parsed chain's file and the content hash it was staged under.
 */
export const StagedInput = z.object({
  file: z.string().min(1),
  sourceFile: z.string().min(1).optional(),
  contentHash: z.string().optional(),
  chainFile: z.string().optional(),
});
export type StagedInput = z.infer<typeof StagedInput>;

export const PipelineInput = z.object({
  ...StagedInput.shape,
  dataDir: z.string().min(1),
  snapshotId: z.string().min(1),
  conventions: GexConventions,
  /** Bounds on the file (defaults when absent): see shared/limits.ts. */
  limits: ReadLimits.optional(),
});
export type PipelineInput = z.infer<typeof PipelineInput>;

/** The cheap pass: parse + total GEX, no profile, no Parquet. */
export const FileFacts = z.object({
  format: ChainFormat,
  underlying: z.string(),
  as_of: IsoTimestamp,
  spot: z.number(),
  total_volume: z.number().nonnegative(),
  total_open_interest: z.number().nonnegative(),
  total_gex: z.number(),
  contracts: z.number().int().nonnegative(),
  content_hash: z.string(),
});
export type FileFacts = z.infer<typeof FileFacts>;

export const PipelineResult = resultSchema(PipelineOutput);
export const FactsResult = resultSchema(FileFacts);

/**
 * Files a worker reads before their tasks come (a one-shot command's first files, while
 * its engine starts), under the engine's conventions and limits: given on its command line.
 */
export const READ_AHEAD_FILES = 2;
export const ReadAhead = z.object({
  files: z.array(z.string()).max(READ_AHEAD_FILES),
  conventions: GexConventions,
  limits: ReadLimits.partial().optional(),
});
export type ReadAhead = z.infer<typeof ReadAhead>;

/** Engine → worker. */
export const WorkerRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), taskId: z.string(), input: PipelineInput }),
  z.object({
    type: z.literal('facts'),
    taskId: z.string(),
    ...StagedInput.shape,
    conventions: GexConventions,
    limits: ReadLimits.partial().optional(),
  }),
]);
export type WorkerRequest = z.infer<typeof WorkerRequest>;

/** Worker → engine. A `result` carries a PipelineResult for `run`, a FactsResult for `facts`. */
export const WorkerReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** A worker started ahead of time finished warming up: `steps` of 2 done, `stopped` by a task. */
  z.object({ type: z.literal('warmed'), steps: z.number().int().min(0), stopped: z.boolean() }),
  z.object({
    type: z.literal('progress'),
    taskId: z.string(),
    fraction: z.number().min(0).max(1),
    stage: z.string(),
  }),
  z.object({
    type: z.literal('result'),
    taskId: z.string(),
    result: z.union([PipelineResult, FactsResult]),
  }),
]);
export type WorkerReply = z.infer<typeof WorkerReply>;
