// Writes one request's facts into a program's slots and derives the rule file's
// facts from them: the ages (with the file's clock-skew and future limits) and the
// ordinals (first-hit tables). Shared by decide (every fact known) and partial
// evaluation (some facts unknown: their derived facts become ranges and sets).
import { PRIORITY_LEVELS } from '../../../shared/domain.ts';
import { err, type Err } from '../../../shared/result.ts';
import { parseIsoMs, parsedTimestamp, type Facts } from '../../../shared/rules.ts';
import { FALSE, TRUE } from './cond.ts';
import { MASK_VALUES, NULL_BIT, setUnknown } from './fact-table.ts';
import type { Program } from './program.ts';

/** The two timestamps of a request, parsed; `facts.now` filled in when it was absent. Valid until the next call. */
export type Times = {
  facts: Facts;
  nowMs: number;
  nowSub: number;
  asOfMs: number;
  asOfSub: number;
};

export type Filler = {
  given: (f: Facts) => void;
  times: (f: Facts, now?: Date) => Times;
  /** Derives the ages; an INVALID_FACT error when a timestamp is too far in the future. */
  ages: (t: Times, nowKnown?: boolean, asOfKnown?: boolean) => Err | null;
  ordinals: () => void;
  /** Derives the ordinals from what is known: a known value, or the set of possible ones. */
  ordinalsPartial: () => void;
};

export const createFiller = (p: Program): Filler => {
  const { num, str, rawStr, numKnown, mask } = p.slots;
  const { facts, ages, ordinals } = p;
  const slot = (name: string) => facts.get(name)!.slot;
  const sVolume = slot('total_volume');
  const sOi = slot('total_open_interest');
  const sChange = slot('gex_change');
  const sReliability = slot('source_reliability');
  const sRequested = slot('requested_priority');
  const sUnderlying = slot('underlying');
  const sJustification = slot('justification');
  // Strings are lower-cased for comparison only when a condition looks at them.
  const useUnderlying = facts.get('underlying')!.used;
  const useJustification = facts.get('justification')!.used;
  const ageFrom = ages.map((a) => a.from === 'now');
  const ageTo = ages.map((a) => a.to === 'now');

  const given = (f: Facts): void => {
    num[sVolume] = f.total_volume;
    num[sOi] = f.total_open_interest;
    num[sChange] = f.gex_change === null ? NaN : f.gex_change;
    num[sReliability] = f.source_reliability;
    num[sRequested] =
      f.requested_priority === null ? NaN : PRIORITY_LEVELS.indexOf(f.requested_priority);
    rawStr[sUnderlying] = f.underlying;
    if (useUnderlying) str[sUnderlying] = f.underlying.toLowerCase();
    rawStr[sJustification] = f.justification;
    if (useJustification)
      str[sJustification] = f.justification === null ? null : f.justification.trim().toLowerCase();
  };

  // One object, refilled by every decision: a decision allocates only its result.
  const t: Times = { facts: null as unknown as Facts, nowMs: 0, nowSub: 0, asOfMs: 0, asOfSub: 0 };
  const times = (f: Facts, now?: Date): Times => {
    t.facts = f;
    t.nowSub = 0;
    if (f.now !== undefined) {
      t.nowMs = parseIsoMs(f.now);
      t.nowSub = parsedTimestamp.subMs;
    } else {
      t.nowMs = now ? now.getTime() : Date.now();
      t.facts = { ...f, now: new Date(t.nowMs).toISOString() };
    }
    t.asOfMs = parseIsoMs(f.as_of);
    t.asOfSub = parsedTimestamp.subMs;
    return t;
  };

  const deriveAges = (t: Times, nowKnown = true, asOfKnown = true): Err | null => {
    for (let i = 0; i < ages.length; i++) {
      const a = ages[i]!;
      const fromKnown = ageFrom[i] ? nowKnown : asOfKnown;
      const toKnown = ageTo[i] ? nowKnown : asOfKnown;
      if (!fromKnown || !toKnown) {
        setUnknown(p.slots, a.info);
        continue;
      }
      const fromMs = ageFrom[i] ? t.nowMs : t.asOfMs;
      const fromSub = ageFrom[i] ? t.nowSub : t.asOfSub;
      const toMs = ageTo[i] ? t.nowMs : t.asOfMs;
      const toSub = ageTo[i] ? t.nowSub : t.asOfSub;
      let ms = toMs - fromMs + (toSub - fromSub);
      if (ms < -a.futureLimitMs) {
        // The later instant is the fact at fault (as_of, against now).
        // Each instant as given, and the offset to the nanosecond: a rounded one (60.000 s)
        // would read as within the limit it exceeds.
        const [fact, other] = ageFrom[i] ? [a.to, a.from] : [a.from, a.to];
        const ns = Math.round((fromMs - toMs) * 1e6) + Math.round((fromSub - toSub) * 1e6);
        return err(
          'INVALID_FACT',
          `${fact} (${givenTime(t, fact)}) is ${overLimit(ns, a.futureLimitMs)} after ${other} (${givenTime(t, other)}); more than ${a.futureLimitMs / 1000} s in the future is invalid: a wrong clock, or a time written without its zone?`,
          { fact },
        );
      }
      if (ms < 0 && ms >= -a.skewMs) ms = 0;
      num[a.info.slot] = ms / 1000;
    }
    return null;
  };

  const deriveOrdinals = (): void => {
    for (let i = 0; i < ordinals.length; i++) {
      const o = ordinals[i]!;
      const rows = o.rows;
      let v = NaN;
      for (let j = 0; j < rows.length; j++) {
        const r = rows[j]!;
        if (r.cond === null || r.cond.holds()) {
          v = r.rank;
          break;
        }
      }
      num[o.info.slot] = v;
    }
  };

  const ordinalsPartial = (): void => {
    for (let i = 0; i < ordinals.length; i++) {
      const o = ordinals[i]!;
      const s = o.info.slot;
      let m = 0;
      let first = NaN;
      let several = false;
      let sure = false;
      for (const r of o.rows) {
        const t = r.cond === null ? TRUE : r.cond.tri();
        if (t === FALSE) continue;
        if (r.rank < MASK_VALUES) m |= 1 << r.rank;
        if (Number.isNaN(first)) first = r.rank;
        else if (r.rank !== first) several = true;
        if (t === TRUE) {
          sure = true;
          break;
        }
      }
      if (Number.isNaN(first) || (sure && !several)) {
        // One possible value (NaN when no row can hold): known.
        num[s] = first;
        numKnown[s] = 1;
      } else {
        numKnown[s] = 0;
        mask[s] = sure ? m : m | NULL_BIT;
      }
    }
  };

  return { given, times, ages: deriveAges, ordinals: deriveOrdinals, ordinalsPartial };
};

/** A timestamp fact as the request gave it (`now` filled in from the arrival when absent). */
const givenTime = (t: Times, fact: string): string =>
  String((t.facts as Record<string, unknown>)[fact]);

/** Seconds to the nanosecond, without trailing zeros: 60.000000001 s. */
const exactSeconds = (ns: number): string => {
  const whole = Math.floor(ns / 1e9);
  const frac = String(ns - whole * 1e9)
    .padStart(9, '0')
    .replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''} s`;
};

/** An offset past a limit: exact where rounding it could make it read as within the limit. */
const overLimit = (ns: number, limitMs: number): string =>
  ns < 120e9 || Math.abs(ns / 1e6 - limitMs) < 1000 ? exactSeconds(ns) : span(ns / 1e6);

/** A length of time as a person reads it: 61.5 s, 12 min 5 s, 24.0 h, 3.2 days. */
function span(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(3).replace(/\.?0+$/, '')} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  if (s < 172_800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} days`;
}
