// A data source's record (`sources:*`): its outcomes, computed reliability, an analyst's
// override, and what that reliability sets off under the active rules.
import { z } from 'zod';
import { IsoTimestamp } from '../domain.ts';
import { RuleTrigger } from '../rules.ts';

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
  /** Final outcomes: completed ingests, and failures that say the data was bad. */
  completed: z.number().int(),
  failed: z.number().int(),
  /**
   * Its jobs that ended as duplicates (the content was already stored: nothing ingested),
   * counted neither in completed nor in failed, so not in its reliability.
   */
  duplicates: z.number().int(),
  /** completed ÷ (completed + failed), duplicates not counted; 1 without history. */
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
