// The facts a request has at its arrival, before its file is read in full: what the
// request says, the source's record as of the arrival, what the file's two ends tell, and what a stored
// duplicate of the same content gives. Shared by the decision at the door (submit.ts) and
// the bound that orders captures before it (level-bound.ts).
import type { FileSubmitRequest } from '../../../shared/api.ts';
import type { GivenFactName } from '../../../shared/rules.ts';
import type { VersionedRules } from '../rules/service.ts';
import { FILE_FACTS, type FileHead } from './cheap-facts.ts';
import type { GexChangeBase, RequestContext } from './memory.ts';

export type Request = FileSubmitRequest & { file: string };

export interface Arrival {
  /** The request, its file named as the analyst gave it (`-` for a chain piped in). */
  request: Request;
  /** Where the file's bytes are read: `request.file`, or the command line's copy of a chain piped in. */
  read: string;
  request_id: string;
  job_id: string;
  arrivedMs: number;
  /**
   * The source's reliability as of the arrival (its record or an analyst's override, read
   * when the arrival is stamped: memory.sourceAt), whenever the request is decided.
   */
  source_reliability: number;
  /**
   * Its place in arrival order, given as it is submitted (the intake memory's): it orders
   * the requests of one millisecond — one command's files — as they were submitted, and
   * is stored so that a restart keeps that order.
   */
  order: number;
  /** The rules active at the arrival: they decide the request, at the door or after its facts read. */
  rules: VersionedRules;
  /** performance.now() at the arrival, for the durations logged. */
  startedMs: number;
  /** The watched inbox that took the file (its folder); null for any other channel. */
  inbox: string | null;
}

/** The facts known at arrival, and the names of those only a read of the whole file gives. */
export function arrivalFacts(
  a: Pick<Arrival, 'request' | 'arrivedMs' | 'source_reliability'>,
  head: FileHead,
  context: RequestContext,
) {
  const { request } = a;
  const given: Record<string, unknown> = {
    now: new Date(a.arrivedMs).toISOString(),
    source_reliability: a.source_reliability,
    ...(request.requested_priority ? { requested_priority: request.requested_priority } : {}),
    ...(request.justification !== undefined ? { justification: request.justification } : {}),
  };
  const unknown = new Set<GivenFactName>(FILE_FACTS);
  if (head.underlying !== null) given.underlying = head.underlying;
  else unknown.add('underlying');
  if (head.as_of !== null) given.as_of = head.as_of;
  else unknown.add('as_of');
  const dup = context.duplicate;
  const previous = context.previous_total_gex;
  if (dup) {
    // The same content is stored: its totals are this file's.
    given.total_volume = Math.round(dup.total_volume);
    given.total_open_interest = Math.round(dup.total_open_interest);
    unknown.delete('total_volume');
    unknown.delete('total_open_interest');
  }
  if (head.underlying !== null && context.previous_final && (previous === null || dup)) {
    // With nothing to compare with, a file is news (null) whatever it says. Only once no
    // earlier request of the underlying may still bring a total: one read later would be
    // this request's previous one, and the decision taken now would not be the rules'.
    given.gex_change =
      dup && previous !== null && previous !== 0
        ? Math.abs(dup.total_gex - previous) / Math.abs(previous)
        : null;
    unknown.delete('gex_change');
  }
  return { given, unknown: [...unknown], base: gexChangeBase(context, unknown) };
}

/**
 * What `gex_change` was computed against, as recorded beside the facts (the request's
 * stored facts and its decision's audit entry): the previous request or snapshot, null
 * when there was none (a first snapshot is news); absent while `gex_change` is unknown.
 */
export const gexChangeBase = (
  context: RequestContext,
  unknown: Iterable<string>,
): { gex_change_compared_with?: GexChangeBase | null } =>
  [...unknown].includes('gex_change') ? {} : { gex_change_compared_with: context.previous };
