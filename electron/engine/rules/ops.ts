// The comparison operators of the rule language and what every comparator needs:
// shared by the comparator of each type and by the condition compiler.
import type { Slots } from './fact-table.ts';

export const OPS = ['<', '<=', '>', '>=', '==', '!=', 'in'] as const;
export type Op = (typeof OPS)[number];
export const OP_WORD: Record<Op, string> = {
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  '==': '=',
  '!=': '≠',
  in: 'in',
};

export const displayName = (fact: string): string => fact.replaceAll('_', ' ');

/** What a comparator needs besides the fact and the values it is compared with. */
export type CompareContext = {
  slots: Slots;
  /** The fact's name for people ("total volume"). */
  label: string;
  /** Reports a type mismatch at the comparison; returns null for the caller to return. */
  mismatch: (what: string) => null;
  /** Reports a warning at the comparison. */
  warn: (code: string, message: string) => void;
  /** The value was written bare ("impact": "high"), not as {">=": "high"}. */
  bare: boolean;
  quote: (v: unknown) => string;
};
