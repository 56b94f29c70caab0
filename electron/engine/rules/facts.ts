// Validating one request's facts. The zod schema FactsInput (shared/rules.ts) is the
// definition; parsing every request through it costs more than the decision itself,
// so plainly valid facts take a hand-written fast path that must give exactly what
// zod gives (tests/rules/facts.test.ts compares them on thousands of inputs), and
// anything unusual or invalid goes through zod, which also words the error.
import { PRIORITY_LEVELS, type PriorityLevel } from '../../../shared/domain.ts';
import { timestampProblem } from '../../../shared/iso-forms.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import {
  FACT_EXPECTED,
  FactsInput,
  parseIsoMs,
  type Facts,
  type GivenFactName,
} from '../../../shared/rules.ts';
import { blank } from '../../../shared/visible.ts';

const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isTimestamp = (v: unknown): v is string =>
  typeof v === 'string' && !Number.isNaN(parseIsoMs(v));

/** Facts as zod would return them, or null when zod must decide (invalid or unusual input). */
export const fastFacts = (x: Record<string, unknown>): Facts | null => {
  const u = x.underlying;
  if (typeof u !== 'string') return null;
  const underlying = u.trim();
  // Length in UTF-16 units bounds the length in characters; longer ones go to zod.
  if (underlying.length < 1 || underlying.length > 10) return null;
  const as_of = x.as_of;
  if (!isTimestamp(as_of)) return null;
  const nowIn = x.now;
  if (nowIn !== undefined && nowIn !== null && !isTimestamp(nowIn)) return null;
  const total_volume = x.total_volume;
  const total_open_interest = x.total_open_interest;
  if (!isCount(total_volume) || !isCount(total_open_interest)) return null;
  const gex_change = x.gex_change;
  if (
    gex_change !== null &&
    (typeof gex_change !== 'number' || !(gex_change >= 0) || gex_change === Infinity)
  )
    return null;
  const r = x.source_reliability;
  if (r !== undefined && r !== null && (typeof r !== 'number' || !(r >= 0 && r <= 1))) return null;
  // In any case, as FactsInput (and ingest) take it.
  const rp =
    typeof x.requested_priority === 'string'
      ? x.requested_priority.toUpperCase()
      : x.requested_priority;
  if (rp !== undefined && rp !== null && !PRIORITY_LEVELS.includes(rp as PriorityLevel))
    return null;
  const j = x.justification;
  if (j !== undefined && j !== null && typeof j !== 'string') return null;
  const requested_priority = (rp ?? null) as PriorityLevel | null;
  const justification = (j ?? null) as string | null;
  if (requested_priority !== null && blank(justification)) return null;
  const facts: Facts = {
    underlying,
    as_of,
    total_volume,
    total_open_interest,
    gex_change,
    source_reliability: (r ?? 1) as number,
    requested_priority,
    justification,
  };
  // As zod does: an absent `now` stays absent, a null one becomes undefined.
  if ('now' in x) facts.now = (nowIn ?? undefined) as string | undefined;
  return facts;
};

const describeGot = (input: object, fact: string): string => {
  if (!(fact in input)) return 'it is missing';
  const v = (input as Record<string, unknown>)[fact];
  // A literal too large for a double (1e400) parses as Infinity, which JSON writes as null.
  if (typeof v === 'number' && !Number.isFinite(v)) return `got ${v}, not a finite number`;
  const s = JSON.stringify(v);
  return `got ${s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s}`;
};

/** Validates the facts of one request; an INVALID_FACT error names the first invalid fact. */
export const validateFacts = (input: unknown): Result<Facts> => {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    return err('INVALID_FACT', 'the facts must be a JSON object');
  const fast = fastFacts(input as Record<string, unknown>);
  if (fast) return ok(fast);
  const parsed = FactsInput.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0]!;
  const fact = String(issue.path[0] ?? '');
  if (fact === 'justification' && issue.code === 'custom')
    return err('INVALID_FACT', issue.message, { fact });
  const got = describeGot(input, fact);
  const v = (input as Record<string, unknown>)[fact];
  // Said what is wrong where the value is an ISO date and time, not what one is (QA gd F4:
  // "must be … with an offset" of `2026-02-30T15:00:00Z`); a count beyond 2^53 − 1, not
  // "must be an integer ≥ 0" of 1e20.
  const problem =
    (fact === 'as_of' || fact === 'now') && typeof v === 'string' ? timestampProblem(v) : null;
  if (problem)
    return err('INVALID_FACT', `${fact} is not a timestamp: ${problem}; ${got}`, { fact });
  if (
    (fact === 'total_volume' || fact === 'total_open_interest') &&
    typeof v === 'number' &&
    v > Number.MAX_SAFE_INTEGER &&
    Number.isFinite(v)
  )
    return err(
      'INVALID_FACT',
      `${fact} is larger than 9,007,199,254,740,991 (2^53 − 1), the largest whole number a JSON number holds exactly; got ${v}`,
      { fact },
    );
  const expected = FACT_EXPECTED[fact as GivenFactName] ?? 'valid';
  return err('INVALID_FACT', `${fact} must be ${expected}; ${got}`, { fact });
};
