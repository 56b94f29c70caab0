// The rule engine's contract, shared by the engine, the CLI and the renderer's rule
// editor: the facts a priority decision is made from (GUIDELINES.md, "Facts"), the
// shape of a rule file (also published as JSON Schema for Monaco), and the
// diagnostics `rules check` reports. Only shapes live here; the meaning of a rule
// file (derived facts, thresholds, tables) is in the file itself and in
// electron/engine/rules.
import { z } from 'zod';
import { PRIORITY_LEVELS, PriorityLevel, type Decision } from './domain.ts';
import { nearWord } from './near-words.ts';
import { AppError } from './result.ts';
import { isoExtended } from './iso-forms.ts';
import { parseIsoMs } from './timestamp.ts';
import { blank, quotedEcho } from './visible.ts';

// ---------------------------------------------------------------------------
// Timestamps (parsed in shared/timestamp.ts)

export { parseIsoMs, parsedTimestamp } from './timestamp.ts';

/**
 * A timestamp fact: as written when in the extended form (`2024-01-07T10:52:00-05:00`),
 * another ISO-8601 form with an offset rewritten to it (`+0530`, `+05`, `,5`, `t`/`z`, the
 * basic `20261207T150000Z`: shared/iso-forms.ts), as the readers take a file's as_of.
 */
const Timestamp = z.string().transform((s, ctx) => {
  if (!Number.isNaN(parseIsoMs(s))) return s;
  const extended = isoExtended(s);
  if (extended !== null && !Number.isNaN(parseIsoMs(extended))) return extended;
  ctx.addIssue({ code: 'custom', message: 'not a timestamp' });
  return z.NEVER;
});

// ---------------------------------------------------------------------------
// Facts

/** How each given fact may be used in a rule condition. */
export type FactType =
  | {
      kind: 'string';
      nullable: boolean;
      /** Its length after trimming, when the guidelines bound it (a request outside is invalid). */
      minLength?: number;
      maxLength?: number;
    }
  | { kind: 'timestamp' }
  | { kind: 'number'; integer: boolean; min: number; max: number; nullable: boolean }
  | { kind: 'level'; nullable: boolean };

/** The fact table of GUIDELINES.md: the facts every request supplies. */
export const GIVEN_FACTS = {
  underlying: { kind: 'string', nullable: false, minLength: 1, maxLength: 10 },
  as_of: { kind: 'timestamp' },
  now: { kind: 'timestamp' },
  total_volume: { kind: 'number', integer: true, min: 0, max: Infinity, nullable: false },
  total_open_interest: { kind: 'number', integer: true, min: 0, max: Infinity, nullable: false },
  gex_change: { kind: 'number', integer: false, min: 0, max: Infinity, nullable: true },
  source_reliability: { kind: 'number', integer: false, min: 0, max: 1, nullable: false },
  requested_priority: { kind: 'level', nullable: true },
  justification: { kind: 'string', nullable: true },
} as const satisfies Record<string, FactType>;
export type GivenFactName = keyof typeof GIVEN_FACTS;

/** What each fact must be, in words, for error messages. */
export const FACT_EXPECTED: Record<GivenFactName, string> = {
  underlying: 'a string of 1–10 characters after trimming',
  as_of: 'an ISO-8601 timestamp with an offset or Z, e.g. 2024-01-07T10:52:00-05:00',
  now: 'an ISO-8601 timestamp with an offset or Z, e.g. 2024-01-07T10:52:00-05:00',
  total_volume: 'an integer ≥ 0',
  total_open_interest: 'an integer ≥ 0',
  gex_change: 'a number ≥ 0, or null',
  source_reliability: 'a number between 0 and 1 (missing means 1)',
  requested_priority: `one of ${PRIORITY_LEVELS.join(', ')}`,
  justification: 'a string',
};

/**
 * The keys an analyst's facts may have (`rules eval`'s lines, the Rules view's dry run):
 * the given facts and `id`, which names the request in the answers.
 */
export const FACT_KEYS: readonly string[] = [...Object.keys(GIVEN_FACTS), 'id'];

/**
 * The first key of an analyst's facts that is neither a fact nor `id`, as the INVALID_FACT
 * error naming it (`fact`), with the fact it is a slip of among those the facts lack;
 * null when there is none. `requested_priorty` was ignored and the request decided as if
 * it had no override (QA ct2 F7): a dry run then answered another level than the request
 * would get. The engine's own requests build their facts themselves and are not checked.
 */
export function unknownFact(facts: Record<string, unknown>): AppError | null {
  const key = Object.keys(facts).find((k) => !FACT_KEYS.includes(k));
  if (key === undefined) return null;
  const lacking = FACT_KEYS.filter((k) => facts[k] === undefined);
  const near = nearWord(key, lacking);
  const shown = quotedEcho(key);
  return {
    code: 'INVALID_FACT',
    message:
      `${shown} is not a fact` +
      (near ? ` (did you mean "${near}"?)` : '') +
      `; the facts are ${Object.keys(GIVEN_FACTS).join(', ')}, with an id naming the request`,
    fact: key,
  };
}

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * The facts of one request as they arrive (CLI JSON Lines, the ingest pipeline, the
 * UI's dry run). Unknown keys (such as `id`) are ignored here; an analyst's facts (rules
 * eval, the dry run) are refused one first (unknownFact). `null` counts as missing
 * for the optional facts. The rule file decides whether `as_of` is too far in the
 * future, because that limit is one of its thresholds.
 */
export const FactsInput = z
  .object({
    underlying: z
      .string()
      .transform((s) => s.trim())
      .refine((s) => s.length >= 1 && [...s].length <= 10),
    as_of: Timestamp,
    now: Timestamp.nullish()
      .transform((v) => v ?? undefined)
      .optional(),
    total_volume: count,
    total_open_interest: count,
    gex_change: z.number().min(0).nullable(),
    source_reliability: z
      .number()
      .min(0)
      .max(1)
      .nullish()
      .transform((v) => v ?? 1),
    // In any case, as ingest takes it (`--priority high`, a manifest's "high").
    requested_priority: z
      .preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), PriorityLevel.nullish())
      .transform((v) => v ?? null),
    justification: z
      .string()
      .nullish()
      .transform((v) => v ?? null),
  })
  .superRefine((f, ctx) => {
    if (f.requested_priority !== null && blank(f.justification)) {
      ctx.addIssue({
        code: 'custom',
        path: ['justification'],
        message: 'justification must not be blank when requested_priority is given (G1)',
      });
    }
  });
/** Validated facts: `underlying` trimmed, `source_reliability` defaulted, nulls for absent options. */
export type Facts = z.output<typeof FactsInput>;

/** Facts derived by the rule file (the default set: age_s, freshness, impact, change). */
export type DerivedFacts = Record<string, number | string | null>;

/** A decision with the facts it was made from: the given ones (validated, `now` filled in) and the derived ones. */
export type DecisionWithFacts = Decision & { derived: DerivedFacts; facts: Facts };

/**
 * A decision from the facts known so far (CompiledRules.decidePartial). `decided`:
 * every completion of the unknown facts gets this level and rule; `facts` and
 * `derived` hold only what is known. `pending`: `upper` is the highest level a
 * completion can get, `lower` the lowest; `no_level`: some completion gets no level
 * at all (a rule set with a gap, which `rules check` now refuses but an older version
 * may have been activated with): its decision will fail RULES_INVALID.
 */
export type PartialDecision =
  | {
      kind: 'decided';
      decision: Decision & { derived: DerivedFacts; facts: Partial<Facts> };
    }
  | { kind: 'pending'; upper: PriorityLevel; lower: PriorityLevel; no_level?: true };

// ---------------------------------------------------------------------------
// Rule file

/** A problem in a rule file, placed for an editor (1-based line and column, UTF-16 columns). */
export const Diagnostic = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  endLine: z.number().int().optional(),
  endColumn: z.number().int().optional(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

export const IDENTIFIER = /^[a-z][a-z0-9_]*$/;
export const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|min|h)$/;

const Duration = z.string().regex(DURATION, 'a duration such as "30 s", "5 min", "2 h"').meta({
  description: 'A duration: a number and a unit, ms, s, min or h ("30 s", "5 min", "2 h").',
});

const LevelPolicy = z
  .object({
    target: Duration.meta({ description: 'Target from arrival (submission) to data available.' }),
    on_late: z.enum(['flag', 'escalate']).meta({
      description:
        '"flag": a job waiting longer is flagged late; "escalate": flagged late and escalated one level.',
    }),
  })
  .strict();

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const Comparable = z.union([z.number(), z.string()]);

const Comparison = z
  .object({
    '<': Comparable.optional(),
    '<=': Comparable.optional(),
    '>': Comparable.optional(),
    '>=': Comparable.optional(),
    '==': Scalar.optional(),
    '!=': Scalar.optional(),
    in: z.array(Scalar).optional(),
  })
  .strict()
  .meta({
    description:
      'Comparisons that must all hold, e.g. {">=": 0.05, "<=": 0.10}. Ordered facts compare by their order: {">=": "medium"}.',
  });

/** Facts a condition may test, with hover help: the given ones and the default file's derived ones. */
const CONDITION_FACTS: Record<string, string> = {
  underlying: 'Ticker (string, compared case-insensitively): "SPX", {"in": ["SPX", "NDX"]}.',
  total_volume: 'Call plus put volume (integer ≥ 0): {">": 50000}.',
  total_open_interest: 'Call plus put open interest (integer ≥ 0): {">=": 25000}.',
  gex_change:
    '|total GEX − previous| ÷ |previous|, previous: the latest earlier request of the same underlying, else the latest stored snapshot (number ≥ 0, or null for a first snapshot): {">": 0.10}, null.',
  source_reliability: 'The source\'s share of successful ingests (0..1, missing = 1): {"<": 0.8}.',
  requested_priority: 'A manual override level, or null: {"!=": null}, "HIGH".',
  justification: 'Why the override was requested (string or null).',
  age_s: 'Derived in the default file: seconds from as_of to now (the arrival).',
  freshness: 'Derived in the default file: stale < fresh < real-time; a bare value means at least.',
  impact: 'Derived in the default file: low < medium < high; a bare value means at least.',
  change: 'Derived in the default file: small < medium < large; a bare value means at least.',
};

const FACT_TEST_ERROR = 'a value, or an object of comparisons such as {">=": 10000}';
const FactTest = z.union([Scalar, Comparison], { error: FACT_TEST_ERROR });

/**
 * A listed fact's test, its object of comparisons described as the fact: an editor's hover
 * shows the description of the branch a value matches before the property's own (QA: a
 * fact tested with {"<": 0.8} showed the generic comparison text, not what the fact is).
 */
const factTest = (description: string) =>
  z
    .union([Scalar, Comparison.meta({ description })], { error: FACT_TEST_ERROR })
    .optional()
    .meta({ description });

/** A condition: every listed fact test holds; `any`/`all`/`not` combine conditions. */
export interface Condition {
  any?: Condition[];
  all?: Condition[];
  not?: Condition;
  [fact: string]: unknown;
}
export const Condition: z.ZodType<Condition> = z
  .object({
    get any() {
      return z
        .array(Condition)
        .min(1)
        .optional()
        .meta({ description: 'At least one of these conditions holds.' });
    },
    get all() {
      return z
        .array(Condition)
        .min(1)
        .optional()
        .meta({ description: 'Every one of these conditions holds.' });
    },
    get not() {
      return Condition.optional().meta({ description: 'This condition does not hold.' });
    },
    // Listed for the editor's completion; any other declared derived fact is allowed too.
    ...Object.fromEntries(
      Object.entries(CONDITION_FACTS).map(([fact, description]) => [fact, factTest(description)]),
    ),
  })
  .catchall(FactTest)
  .meta({
    description:
      'Fact tests that must all hold. A bare value on an ordered fact means "at least" ({"impact": "medium"} holds for high); on other facts it means equal.',
  }) as z.ZodType<Condition>;

const AgeFact = z
  .object({
    kind: z.literal('age'),
    from: z.string().meta({ description: 'The timestamp fact the age is measured from (as_of).' }),
    to: z.string().meta({ description: 'The timestamp fact the age is measured to (now).' }),
    skew_tolerance_s: z.number().min(0).meta({
      description: 'A negative age down to minus this many seconds counts as 0 (clock skew).',
    }),
    future_limit_s: z
      .number()
      .min(0)
      .meta({ description: 'Data more than this many seconds in the future is invalid.' }),
    description: z.string().optional(),
  })
  .strict()
  .meta({ description: 'Seconds from one timestamp fact to another.' });

const OrdinalRow = z
  .object({
    value: z.string(),
    when: Condition.optional().meta({ description: 'Omit on the last row: "otherwise".' }),
    note: z.string().optional(),
  })
  .strict();

const OrdinalFact = z
  .object({
    kind: z.literal('ordinal'),
    values: z.array(z.string()).min(2).meta({ description: 'The values, lowest first.' }),
    rows: z
      .array(OrdinalRow)
      .min(1)
      .meta({ description: 'The first row whose condition holds gives the value.' }),
    description: z.string().optional(),
  })
  .strict()
  .meta({ description: 'An ordered fact with named values, given by a first-hit table.' });

const DerivedFact = z.discriminatedUnion('kind', [AgeFact, OrdinalFact]);

const LevelRef = z.union([PriorityLevel, z.object({ fact: z.string() }).strict()], {
  error: `a level (${PRIORITY_LEVELS.join(', ')}) or {"fact": "requested_priority"}`,
});

const Row = z
  .object({
    id: z.string().optional(),
    when: Condition.optional().meta({ description: 'Omit for "anything else".' }),
    level: LevelRef,
    note: z.string().optional(),
  })
  .strict();

export const TableRule = z
  .object({
    id: z.string().min(1).meta({ description: 'Reported as the deciding rule, e.g. "G3".' }),
    title: z.string().optional(),
    override: z
      .boolean()
      .optional()
      .meta({ description: 'An override wins over every other rule (G1 manual override).' }),
    hit: z.enum(['first', 'unique']).optional().meta({
      description:
        '"first" (default): the first row that holds gives the level. "unique": rows that can hold together must give the same level.',
    }),
    rows: z.array(Row).min(1),
  })
  .strict();

export const AdjustRule = z
  .object({
    id: z.string().min(1),
    title: z.string().optional(),
    adjusts: z.string().meta({ description: 'The id of the table whose level this rule changes.' }),
    when: Condition,
    demote: z.number().int().min(1).max(3).optional().meta({ description: 'Steps towards LOW.' }),
    escalate: z
      .number()
      .int()
      .min(1)
      .max(3)
      .optional()
      .meta({ description: 'Steps towards CRITICAL.' }),
  })
  .strict();

export const RuleFile = z
  .object({
    $schema: z.string().optional(),
    name: z.string(),
    description: z.string().optional(),
    levels: z
      .object({ CRITICAL: LevelPolicy, HIGH: LevelPolicy, MEDIUM: LevelPolicy, LOW: LevelPolicy })
      .strict()
      .meta({ description: 'Processing target of each level and what happens to a late job.' }),
    derived: z.record(z.string().regex(IDENTIFIER), DerivedFact).meta({
      description: 'Facts derived from the given facts, in order; each may use the ones before it.',
    }),
    combine: z.enum(['highest-level', 'first-applicable']).meta({
      description:
        '"highest-level": of the rules that apply, the higher level wins (ties: the earlier rule). "first-applicable": the first rule that applies decides. Overrides win either way.',
    }),
    rules: z.array(z.union([TableRule, AdjustRule])).min(1),
  })
  .strict();
export type RuleFile = z.infer<typeof RuleFile>;
export type TableRule = z.infer<typeof TableRule>;
export type AdjustRule = z.infer<typeof AdjustRule>;
export type RuleSet = RuleFile;

/** When each level is late and what happens then, as the scheduler reads it. */
export type LevelTarget = { target_ms: number; onLate: 'flag' | 'escalate' };
export type LevelTargets = Record<PriorityLevel, LevelTarget>;

// ---------------------------------------------------------------------------
// What-if: past requests replayed under an edited rule set (electron/engine/rules/whatif.ts)

/** A level and the rule that gave it. */
export const RuleOutcome = z.object({ priority: PriorityLevel, rule: z.string() });
export type RuleOutcome = z.infer<typeof RuleOutcome>;

/**
 * One past request: its given facts as stored at arrival (`now` included) and how it was
 * decided. `unknown`: the given facts that were never known (a request decided at its
 * arrival, before its file was read, keeps only what was known then); they are replayed
 * by partial evaluation, never guessed.
 */
/**
 * Why a replayed request lacks facts (it was decided at its arrival, before its file was
 * read): `gex_change` — its file was read and its snapshot stored (its own totals are
 * taken from it), only the GEX change it was compared with then is not kept; `failed` —
 * its file failed, so it was never read; `removed` — its snapshot was removed since;
 * `unread` — its file has not been read (its job waits, runs, or was cancelled).
 */
export const WhatIfMissing = z.enum(['gex_change', 'failed', 'removed', 'unread']);
export type WhatIfMissing = z.infer<typeof WhatIfMissing>;

export const WhatIfRecord = z.object({
  request_id: z.string(),
  /** Where its file is now (the job's path: an inbox file's done/ or failed/ once it ended). */
  file: z.string(),
  underlying: z.string(),
  facts: z.record(z.string(), z.unknown()),
  unknown: z.array(z.string()).optional(),
  /** Why `unknown` is not empty (absent when it is). */
  missing: WhatIfMissing.optional(),
  from: RuleOutcome,
  /** The rule-set version that decided it (null: none recorded). */
  rule_version: z.number().int().nullable().optional(),
});
export type WhatIfRecord = z.infer<typeof WhatIfRecord>;

/**
 * The levels a request could get when its new outcome depends on facts not known
 * (`upper` the highest, `lower` the lowest; why they are not known: the change's `missing`).
 */
export const WhatIfUnknown = z.object({
  unknown: z.object({ upper: PriorityLevel, lower: PriorityLevel }),
});
export type WhatIfUnknown = z.infer<typeof WhatIfUnknown>;

/**
 * A request the edited rules decide otherwise: another level or rule, an error when its
 * facts are now invalid, or `unknown` when the new outcome depends on facts not known.
 * `from` is its outcome at arrival, or the baseline's (the active rules') when compared
 * with one — `unknown` when the baseline's depends on facts not known too: whether the
 * edit moves it then is not known, only the levels each side could give. `missing`: why
 * those facts are not known, given when `from` or `to` is `unknown`.
 */
export const WhatIfChange = WhatIfRecord.omit({
  facts: true,
  unknown: true,
  rule_version: true,
}).extend({
  from: z.union([RuleOutcome, WhatIfUnknown]),
  to: z.union([RuleOutcome, z.object({ error: AppError }), WhatIfUnknown]),
});
export type WhatIfChange = z.infer<typeof WhatIfChange>;

/**
 * How many requests move from one level to another (`INVALID`: the edited rules reject
 * their facts; `UNKNOWN`: the new level, or the baseline's, depends on facts not known).
 */
export const WhatIfGroup = z.object({
  from: z.union([PriorityLevel, z.literal('UNKNOWN')]),
  to: z.union([PriorityLevel, z.literal('INVALID'), z.literal('UNKNOWN')]),
  count: z.number().int().min(1),
});
export type WhatIfGroup = z.infer<typeof WhatIfGroup>;

export const WhatIfResult = z.object({
  /** How many requests were replayed. */
  replayed: z.number().int().min(0),
  /** In the order of the records given. */
  changes: z.array(WhatIfChange),
  /** Per from → to level pair, CRITICAL first; a pair of equal levels counts rule changes. */
  summary: z.array(WhatIfGroup),
});
export type WhatIfResult = z.infer<typeof WhatIfResult>;

// ---------------------------------------------------------------------------
// What one fact's value sets off in a rule set (CompiledRules.factTriggers)

/**
 * A rule (a table's row, or an adjustment) that one value of a fact sets off, whatever
 * the other facts are (`certain`), or together with other facts (`certain: false`: its
 * condition can hold with this value and cannot with the neutral value, 1 for
 * `source_reliability`).
 */
export const RuleTrigger = z.object({
  /** The rule's id, e.g. "G4" (a row: its table's id). */
  rule: z.string(),
  /** The row's id when the rule is a table row with one ("G3.LOW"), else null. */
  row: z.string().nullable(),
  /** What it does: "demotes G3 by 1 level", "gives LOW". */
  effect: z.string(),
  /** The condition as written in the rule file. */
  condition: z.string(),
  certain: z.boolean(),
});
export type RuleTrigger = z.infer<typeof RuleTrigger>;
