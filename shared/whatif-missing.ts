// Why a replayed request "may change", in the words the CLI (`rules whatif`) and the
// Rules view (What would change) both say: most such requests were read and stored, and
// only the GEX change they were compared with at arrival is not kept (QA day F3: they
// were said "never read"); a file that failed, a snapshot removed since and a file not
// read yet are told apart. One place, so that the two never say it otherwise.
import type { WhatIfChange, WhatIfMissing } from './rules.ts';

/** In the order they are said: the common case first. */
export const MISSING_ORDER: readonly WhatIfMissing[] = [
  'gex_change',
  'failed',
  'removed',
  'unread',
];

/** Why, said after "N may change: " (plural, no final stop). */
export const MISSING_WHY: Record<WhatIfMissing, string> = {
  gex_change:
    'they depend on gex_change, which is not kept for a request decided at its arrival (its file was read and stored; the change it was compared with then is not)',
  failed: 'their files failed, so their facts were never read',
  removed: 'their snapshots were removed, so their files’ facts are no longer stored',
  unread: 'their files have not been read (their jobs wait, run, or were cancelled)',
};

/** Short, for one request's line (a tooltip, a cell). */
export const MISSING_SHORT: Record<WhatIfMissing, string> = {
  gex_change: 'gex_change not kept',
  failed: 'file failed: never read',
  removed: 'snapshot removed',
  unread: 'file not read',
};

/** A change's reason; one without (an answer of an older engine) counts as not read. */
export const missingOf = (c: WhatIfChange): WhatIfMissing => c.missing ?? 'unread';

/** The changes grouped by why, in MISSING_ORDER, only the reasons that occur. */
export function byMissing<C extends WhatIfChange>(
  changes: readonly C[],
): { missing: WhatIfMissing; changes: C[] }[] {
  return MISSING_ORDER.map((missing) => ({
    missing,
    changes: changes.filter((c) => missingOf(c) === missing),
  })).filter((g) => g.changes.length > 0);
}
