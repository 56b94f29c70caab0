// What an ANALYSIS_LIMIT warning says and where it sits. A component past its limit was
// reported on its first derived fact (`derived.impact`, untouched by the analyst) with no
// word of what made the cases so many nor what to do (QA rl F5): the cases of a component
// are the product of its number facts' thresholds, so the warning now sits on the rule
// that brings the most of them and names, per fact, the rules and rows that bring them.
import type { FactInfo } from './fact-table.ts';
import type { JsonPath } from './problems.ts';
import type { Program } from './program.ts';

/** "1–400, 402": 1-based row numbers, consecutive ones as a range. */
export const rowRanges = (rows: Iterable<number>): string => {
  const ns = [...new Set(rows)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < ns.length;) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j]! + 1) j++;
    parts.push(i === j ? `${ns[i]! + 1}` : `${ns[i]! + 1}–${ns[j]! + 1}`);
    i = j + 1;
  }
  return parts.join(', ');
};

type Source = { owner: JsonPath; name: string; rows: Set<number>; values: Set<number> };

/** Rules and derived facts that compare `info` with numbers, the most distinct first. */
const sourcesOf = (p: Program, info: FactInfo): Source[] => {
  const ruleIds = new Map<unknown, string>();
  for (const t of [...p.overrides, ...p.tables]) {
    ruleIds.set(t.path[1], t.id);
    for (const a of t.adjusters) ruleIds.set(a.path[1], a.id);
  }
  const by = new Map<string, Source>();
  for (const { value, at } of info.thresholdsAt) {
    const owner = at.slice(0, 2);
    const key = JSON.stringify(owner);
    let s = by.get(key);
    if (!s) {
      const name =
        owner[0] === 'derived'
          ? `derived.${owner[1]}`
          : (ruleIds.get(owner[1]) ?? `rules[${String(owner[1])}]`);
      s = { owner, name, rows: new Set(), values: new Set() };
      by.set(key, s);
    }
    s.values.add(value);
    if (at[2] === 'rows' && typeof at[3] === 'number') s.rows.add(at[3]);
  }
  return [...by.values()].sort((a, b) => b.values.size - a.values.size);
};

const sourceText = (s: Source): string =>
  `${s.name}${s.rows.size ? ` ${s.rows.size === 1 ? 'row' : 'rows'} ${rowRanges(s.rows)}` : ''} ${s.values.size === 1 ? 'brings 1' : `bring ${s.values.size}`}`;

/**
 * The ANALYSIS_LIMIT of a component of `members` with `size` cases: placed on the rule (or
 * derived fact) that brings the most thresholds, naming where each fact's come from.
 */
export const componentLimit = (
  p: Program,
  members: string[],
  bases: { info: FactInfo; points: unknown[] }[],
  size: number,
  fallback: JsonPath,
): { path: JsonPath; message: string } => {
  const facts = bases
    .filter((b) => b.info.type === 'number' && b.info.thresholdsAt.length > 0)
    .map((b) => ({ ...b, sources: sourcesOf(p, b.info) }))
    .sort((a, b) => b.points.length - a.points.length);
  const top = facts.flatMap((f) => f.sources).sort((a, b) => b.values.size - a.values.size)[0];
  const whence = facts.map(
    (f) =>
      `${f.info.name} is tried at ${f.points.length} values, from ${f.info.thresholds.size} thresholds (${f.sources.slice(0, 3).map(sourceText).join(', ')}${f.sources.length > 3 ? ` and ${f.sources.length - 3} more` : ''})`,
  );
  // Testing a derived fact instead of thresholds is advice only where rules bring some: when
  // every threshold is a derived fact's own row, the rules already test it (QA land F1).
  const derived = facts.some((f) => f.sources.some((s) => s.owner[0] !== 'derived'))
    ? members.filter((m) => p.ordinals.some((o) => o.info.name === m))
    : [];
  const remedy = facts.length
    ? `; to have it checked, give ${facts.map((f) => f.info.name).join(' and ')} fewer distinct thresholds (rows that share one add no case)${derived.length ? `, or test ${derived.join(' or ')} in the rules instead of their own thresholds` : ''}`
    : '';
  return {
    path: top?.owner ?? fallback,
    message: `too many combinations of ${members.join(', ')} (${size}) to check every case${whence.length ? `: ${whence.join('; ')}` : ''}; not checked: derived facts' rows never reached and values never produced, and, for every rule, rows never reached, conflicts, rows whose level fact can be null and rules that never apply${remedy}`,
  };
};
