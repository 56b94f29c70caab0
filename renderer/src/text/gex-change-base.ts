// What a request's gex_change was computed against, said under the drawer's Facts table
// (QA gd F5): under GUIDELINES v2 the "previous" is often a request not stored as a
// snapshot yet (queued, or a duplicate), so an analyst checking a level against the
// Snapshots list found another one and could not tell whether the decision was right.
import type { GexChangeBase } from '../../../shared/api.ts';
import { gexExact } from './scale.ts';

/** The sentence, or null when nothing was recorded (gex_change unknown, or stored before). */
export function gexChangeBaseText(base: GexChangeBase | null | undefined): string | null {
  if (base === undefined) return null;
  if (base === null)
    return 'gex_change compared with nothing: no earlier request or snapshot of this underlying (a first one is news).';
  const what = base.request_id
    ? `the previous request of this underlying, ${base.request_id} (its file read)`
    : `snapshot ${base.snapshot_id}, the latest stored before this request arrived`;
  return `gex_change compared with ${what}: total GEX ${gexExact(base.total_gex)}.`;
}
