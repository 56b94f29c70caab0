// The facts a rule program can read, and the memory it reads them from. Every fact
// (given by GUIDELINES.md or derived by the rule file) gets a slot in preallocated
// arrays that the compiled conditions capture directly, so a decision allocates
// nothing to evaluate them. Beside each value, a slot records what is known of it,
// for partial evaluation (partial.ts): the value itself, or the set it lies in.
import { PRIORITY_LEVELS } from '../../../shared/domain.ts';
import { GIVEN_FACTS, type FactType } from '../../../shared/rules.ts';
import type { JsonPath } from './problems.ts';

export type FactInfo = {
  name: string;
  /** Index into the numeric arrays (numbers, ordinals, levels) or the string arrays. */
  slot: number;
  type: 'number' | 'ordinal' | 'level' | 'string' | 'timestamp';
  derived: boolean;
  integer: boolean;
  /** A number's bounds; a string's length after trimming (a request outside is invalid). */
  min: number;
  max: number;
  nullable: boolean;
  /** Ordinal values, lowest first. */
  values: readonly string[];
  /** Numeric constants and string literals the rule file compares this fact with. */
  thresholds: Set<number>;
  literals: Set<string>;
  /** Each number the rule file compares this fact with, and where (the analysis' limit names them). */
  thresholdsAt: { value: number; at: JsonPath }[];
  /** Used in a rule (not only by derived facts). */
  usedByRules: boolean;
  /** Used in any condition. */
  used: boolean;
};

/** Ordered values (ordinals, levels) beyond this many are not tracked as sets when unknown. */
export const MASK_VALUES = 30;
/** The bit of a value set that stands for null (no value). */
export const NULL_BIT = 1 << MASK_VALUES;

/**
 * The values of one request's facts. `num` holds numbers, ordinal ranks and level
 * indexes (NaN for null); `str` strings lower-cased for comparison, `rawStr` as given.
 * When `numKnown`/`strKnown` is 0 the value is unknown and lies in [`lo`, `hi`]
 * (null too if `maybeNull`) for numbers, or in the bit set `mask` for ordered facts.
 * Outside partial evaluation every slot is known.
 */
export type Slots = {
  num: Float64Array;
  str: (string | null)[];
  rawStr: (string | null)[];
  numKnown: Uint8Array;
  strKnown: Uint8Array;
  lo: Float64Array;
  hi: Float64Array;
  maybeNull: Uint8Array;
  mask: Int32Array;
};

export type FactTable = {
  facts: Map<string, FactInfo>;
  slots: Slots;
  addFact: (
    name: string,
    t: Omit<
      FactInfo,
      'slot' | 'name' | 'thresholds' | 'literals' | 'thresholdsAt' | 'usedByRules' | 'used'
    >,
  ) => FactInfo;
};

const createSlots = (capacity: number): Slots => ({
  num: new Float64Array(capacity),
  str: new Array<string | null>(capacity).fill(null),
  rawStr: new Array<string | null>(capacity).fill(null),
  numKnown: new Uint8Array(capacity).fill(1),
  strKnown: new Uint8Array(capacity).fill(1),
  lo: new Float64Array(capacity),
  hi: new Float64Array(capacity),
  maybeNull: new Uint8Array(capacity),
  mask: new Int32Array(capacity),
});

/** The given facts of GUIDELINES.md, with room for `derivedCount` derived ones. */
export const createFactTable = (derivedCount: number): FactTable => {
  const facts = new Map<string, FactInfo>();
  let numSlots = 0;
  let strSlots = 0;
  const slots = createSlots(Object.keys(GIVEN_FACTS).length + derivedCount);
  const addFact: FactTable['addFact'] = (name, t) => {
    const info: FactInfo = {
      ...t,
      name,
      slot: t.type === 'string' ? strSlots++ : t.type === 'timestamp' ? -1 : numSlots++,
      thresholds: new Set(),
      literals: new Set(),
      thresholdsAt: [],
      usedByRules: false,
      used: false,
    };
    facts.set(name, info);
    return info;
  };
  const base = {
    derived: false,
    integer: false,
    min: -Infinity,
    max: Infinity,
    nullable: false,
    values: [] as string[],
  };
  for (const [name, t] of Object.entries(GIVEN_FACTS) as [string, FactType][]) {
    if (t.kind === 'number')
      addFact(name, {
        ...base,
        type: 'number',
        integer: t.integer,
        min: t.min,
        max: t.max,
        nullable: t.nullable,
      });
    else if (t.kind === 'string')
      addFact(name, {
        ...base,
        type: 'string',
        nullable: t.nullable,
        min: t.minLength ?? 0,
        max: t.maxLength ?? Infinity,
      });
    else if (t.kind === 'level')
      addFact(name, { ...base, type: 'level', nullable: t.nullable, values: PRIORITY_LEVELS });
    else addFact(name, { ...base, type: 'timestamp' });
  }
  return { facts, slots, addFact };
};

/** Marks the slot of `info` unknown: any value its type allows. */
export const setUnknown = (slots: Slots, info: FactInfo): void => {
  if (info.type === 'string') {
    slots.strKnown[info.slot] = 0;
    return;
  }
  slots.numKnown[info.slot] = 0;
  if (info.type === 'number') {
    slots.lo[info.slot] = info.min;
    slots.hi[info.slot] = info.max;
    slots.maybeNull[info.slot] = info.nullable ? 1 : 0;
  } else {
    const n = Math.min(info.values.length, MASK_VALUES);
    slots.mask[info.slot] = (n === 0 ? 0 : (1 << n) - 1) | (info.nullable ? NULL_BIT : 0);
  }
};

/** Every slot known again (the state decide() relies on). */
export const setAllKnown = (slots: Slots): void => {
  slots.numKnown.fill(1);
  slots.strKnown.fill(1);
};
