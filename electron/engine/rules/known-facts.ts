// Which given facts of a request are known at arrival, and their validation as
// decide() validates them: each unknown fact is replaced by a valid placeholder, so
// that an error always names a known fact and reads as decide()'s would. For
// partial evaluation (partial.ts); one instance per compiled rule set, reused.
import { ok, err, type Err, type Result } from '../../../shared/result.ts';
import { GIVEN_FACTS, type Facts, type GivenFactName } from '../../../shared/rules.ts';
import { fastFacts, validateFacts } from './facts.ts';

const GIVEN = Object.keys(GIVEN_FACTS) as GivenFactName[];

/** A valid value of each given fact, put in place of an unknown one. */
export const PLACEHOLDER: Record<GivenFactName, unknown> = {
  underlying: 'X',
  as_of: '2000-01-01T00:00:00Z',
  now: '2000-01-01T00:00:00Z',
  total_volume: 0,
  total_open_interest: 0,
  gex_change: null,
  source_reliability: 1,
  requested_priority: null,
  justification: null,
};

export type KnownFacts = {
  /** Marks `unknown` as the facts not known; an error for a name that is no given fact. */
  mark: (unknown: readonly GivenFactName[]) => Err | null;
  isUnknown: (name: GivenFactName) => boolean;
  /** The facts, each unknown one replaced by a placeholder, validated. */
  validate: (facts: Record<string, unknown>) => Result<Facts>;
  /** Treats a fact as known after all (its only valid value is the placeholder). */
  markKnown: (name: GivenFactName) => void;
  /** `facts` without the unknown ones. */
  only: (facts: Facts) => Partial<Facts>;
};

export const createKnownFacts = (): KnownFacts => {
  const unknownAt = new Uint8Array(GIVEN.length);
  const index = new Map(GIVEN.map((n, i) => [n, i]));
  const at = (name: GivenFactName) => index.get(name)!;
  const [iUnderlying, iAsOf, iNow, iVolume, iOi, iChange, iReliability, iRequested, iJust] = (
    [
      'underlying',
      'as_of',
      'now',
      'total_volume',
      'total_open_interest',
      'gex_change',
      'source_reliability',
      'requested_priority',
      'justification',
    ] as const
  ).map(at) as [number, number, number, number, number, number, number, number, number];

  const validate = (f: Record<string, unknown>): Result<Facts> => {
    const u = unknownAt;
    const requested = u[iRequested] === 1 ? null : f.requested_priority;
    // An override needs a justification: with an unknown one, any override is possible.
    const justify = u[iJust] === 1 && requested != null;
    // One shape for the fast path; anything it does not accept goes through the
    // same validation as decide(), so that the error reads the same.
    const fast = fastFacts({
      underlying: u[iUnderlying] === 1 ? PLACEHOLDER.underlying : f.underlying,
      as_of: u[iAsOf] === 1 ? PLACEHOLDER.as_of : f.as_of,
      now: u[iNow] === 1 ? PLACEHOLDER.now : f.now,
      total_volume: u[iVolume] === 1 ? PLACEHOLDER.total_volume : f.total_volume,
      total_open_interest: u[iOi] === 1 ? PLACEHOLDER.total_open_interest : f.total_open_interest,
      gex_change: u[iChange] === 1 ? PLACEHOLDER.gex_change : f.gex_change,
      source_reliability:
        u[iReliability] === 1 ? PLACEHOLDER.source_reliability : f.source_reliability,
      requested_priority: requested,
      justification: justify ? 'x' : u[iJust] === 1 ? PLACEHOLDER.justification : f.justification,
    });
    if (fast) return ok(fast);
    const input: Record<string, unknown> = { ...f };
    for (let i = 0; i < GIVEN.length; i++)
      if (u[i] === 1) input[GIVEN[i]!] = PLACEHOLDER[GIVEN[i]!];
    if (justify) input.justification = 'x';
    return validateFacts(input);
  };

  return {
    mark: (unknown) => {
      unknownAt.fill(0);
      for (const name of unknown) {
        const i = index.get(name);
        if (i === undefined)
          return err('INVALID_REQUEST', `"${name}" is not a fact a request gives`);
        unknownAt[i] = 1;
      }
      return null;
    },
    isUnknown: (name) => unknownAt[at(name)] === 1,
    markKnown: (name) => {
      unknownAt[at(name)] = 0;
    },
    validate,
    only: (facts) => {
      const known: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(facts)) {
        const i = index.get(k as GivenFactName);
        if (i === undefined || unknownAt[i] === 0) known[k] = v;
      }
      return known as Partial<Facts>;
    },
  };
};
