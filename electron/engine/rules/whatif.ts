// Rule what-if: which past requests an edited rule set would decide otherwise. Each
// request's given facts, as stored at arrival with its `now`, are decided again by
// the edited rules; a request whose level or rule changes is listed, and the
// changes are counted per from → to level pair. Pure: the caller reads the
// records from the store (or anywhere) and shows the result.
import { PRIORITY_LEVELS } from '../../../shared/domain.ts';
import type {
  WhatIfChange,
  WhatIfGroup,
  WhatIfRecord,
  WhatIfResult,
} from '../../../shared/rules.ts';
import type { CompiledRules } from './compile.ts';

const rank = (level: WhatIfGroup['to']): number =>
  level === 'INVALID' ? PRIORITY_LEVELS.length : PRIORITY_LEVELS.indexOf(level);

/** The records `rules` decides otherwise than they were, and how many move per level pair. */
export const whatIf = (rules: CompiledRules, records: readonly WhatIfRecord[]): WhatIfResult => {
  const changes: WhatIfChange[] = [];
  const groups = new Map<string, WhatIfGroup>();
  for (const r of records) {
    const d = rules.decide(r.facts);
    if (d.ok && d.value.priority === r.from.priority && d.value.rule === r.from.rule) continue;
    const to = d.ok ? { priority: d.value.priority, rule: d.value.rule } : { error: d.error };
    changes.push({
      request_id: r.request_id,
      file: r.file,
      underlying: r.underlying,
      from: r.from,
      to,
    });
    const toLevel = d.ok ? d.value.priority : 'INVALID';
    const key = `${r.from.priority} ${toLevel}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { from: r.from.priority, to: toLevel, count: 1 });
  }
  const summary = [...groups.values()].sort(
    (a, b) => rank(a.from) - rank(b.from) || rank(a.to) - rank(b.to),
  );
  return { replayed: records.length, changes, summary };
};
