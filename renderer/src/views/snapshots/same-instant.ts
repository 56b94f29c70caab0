// Two snapshots of one instant (a file re-sent with other figures, two vendors, the same
// time written in two offsets: 10:00 −05:00 and 15:00Z) read alike by their time alone, so
// Compare's choices and heading and History's slider and readouts add each one's spot and
// id to it: "· spot 102.00 · 3c36da52". Instants are compared, not the as-of strings, which
// told apart only snapshots whose files wrote the time the same way (QA wb3 F3).
import { spotPrice } from '../../text/numbers.ts';

interface Snap {
  id: string;
  as_of: string;
  spot: number;
}

/** The instant of an as-of (its string when it cannot be read, so it matches only itself). */
const instantOf = (iso: string): string => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : String(ms);
};

/** What tells one snapshot from another of its instant: " · spot 102.00 · 3c36da52". */
export const sameInstantTag = (s: Snap): string =>
  ` · spot ${spotPrice(s.spot)} · ${s.id.slice(0, 8)}`;

/**
 * Each snapshot that shares its instant with another of `snaps`, by id, with its tag
 * (sameInstantTag); a snapshot alone at its instant is not in it.
 */
export function sameInstantTags(snaps: readonly Snap[]): Map<string, string> {
  const count = new Map<string, number>();
  const seen = new Set<string>();
  for (const s of snaps) {
    if (seen.has(s.id)) continue;
    seen.add(s.id);
    const k = instantOf(s.as_of);
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  const out = new Map<string, string>();
  for (const s of snaps)
    if ((count.get(instantOf(s.as_of)) ?? 0) > 1) out.set(s.id, sameInstantTag(s));
  return out;
}
