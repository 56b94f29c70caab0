// The rule sets as the API shows them: a stored version, the active set with its level
// targets, and a what-if's answer. The rule language itself (diagnostics, decisions,
// triggers) is declared in shared/rules.ts.
import { z } from 'zod';
import { IsoTimestamp, PriorityLevel } from '../domain.ts';
import { WhatIfResult } from '../rules.ts';

/** A problem in a rule file (declared with the rule language). */
export { Diagnostic } from '../rules.ts';

export const RuleVersion = z.object({
  version: z.number().int(),
  author: z.string(),
  comment: z.string(),
  created_at: IsoTimestamp,
  active: z.boolean(),
});
export type RuleVersion = z.infer<typeof RuleVersion>;

/** A level of the active rule set: its processing target and what happens to a late job. */
export const LevelPolicyInfo = z.object({
  level: PriorityLevel,
  target_ms: z.number(),
  on_late: z.enum(['flag', 'escalate']),
});
export type LevelPolicyInfo = z.infer<typeof LevelPolicyInfo>;

export const ActiveRules = z.object({
  version: z.number().int().nullable(),
  text: z.string(),
  /** The levels in order (CRITICAL first), as the active rule set defines them. */
  levels: z.array(LevelPolicyInfo),
});
export type ActiveRules = z.infer<typeof ActiveRules>;

/** What-if of an edited rule set on the last N decided requests (not activated). */
/**
 * What a replayed request is compared with: the level it got at arrival, under the
 * version active then (`arrival`, the CLI's contract), or what the active rule set
 * decides on the same stored facts now (`active`: only the edit's own effect).
 */
export const WhatIfBaseline = z.enum(['arrival', 'active']);
export type WhatIfBaseline = z.infer<typeof WhatIfBaseline>;

export const WhatIfAnswer = WhatIfResult.extend({
  /** The active version (with `arrival`, the requests were decided by theirs). */
  active_version: z.number().int().nullable(),
  baseline: WhatIfBaseline,
  /** How many of the replayed requests were decided by a version other than the active one. */
  earlier: z.number().int().min(0),
});
export type WhatIfAnswer = z.infer<typeof WhatIfAnswer>;
