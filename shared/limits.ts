// Bounds on what a reader accepts from one file, declared once: a file past any of them
// is refused with its own error code before it can exhaust a worker's memory. Passed to
// the readers (and sniff) next to the GEX conventions; every field has a default.
import { z } from 'zod';

export const ReadLimits = z.object({
  /** Largest file read at all (checked from stat, before reading): FILE_TOO_LARGE. Default 256 MiB. */
  maxFileBytes: z
    .number()
    .int()
    .positive()
    .default(256 * 1024 * 1024),
  /** Most columns in a CSV header or a Parquet schema: TOO_MANY_COLUMNS. */
  maxColumns: z.number().int().positive().default(512),
  /** Most contracts in one snapshot (a CBOE CSV line holds two): TOO_MANY_ROWS. */
  maxRows: z.number().int().positive().default(2_000_000),
  /** Longest CSV line (a quoted cell's line breaks included): LINE_TOO_LONG. Default 64 KiB. */
  maxLineBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024),
});
export type ReadLimits = z.infer<typeof ReadLimits>;

export const DEFAULT_READ_LIMITS: ReadLimits = ReadLimits.parse({});
