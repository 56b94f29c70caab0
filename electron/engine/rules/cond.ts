// A compiled condition and the ways conditions combine (every, any, not). Each
// condition answers twice: `holds()` on known facts (the fast path of a decision),
// and `tri()` in three-valued logic, for partial evaluation when some facts are not
// known yet: TRUE or FALSE whatever the unknown facts turn out to be, else UNKNOWN.
import type { FactInfo, Slots } from './fact-table.ts';

export const FALSE = 0;
export const TRUE = 1;
export const UNKNOWN = 2;
export type Tri = typeof FALSE | typeof TRUE | typeof UNKNOWN;

export type Cond = {
  holds: () => boolean;
  tri: () => Tri;
  /** What held, with the actual values (call only when `tri()` is TRUE). */
  explain: () => string;
  /** The condition as written. */
  text: string;
  facts: Set<string>;
};

const ALWAYS: Cond = {
  holds: () => true,
  tri: () => TRUE,
  explain: () => '',
  text: '',
  facts: new Set(),
};

/**
 * One comparison of one fact. `unknownTri` answers when the fact's value is not
 * known (its slot holds a range or a set); `explainKnown` names the actual value.
 */
export const atom = (
  info: FactInfo,
  slots: Slots,
  holds: () => boolean,
  unknownTri: () => Tri,
  explainKnown: () => string,
  text: string,
): Cond => {
  const known = info.type === 'string' ? slots.strKnown : slots.numKnown;
  const slot = info.slot;
  return {
    holds,
    tri: () => (known[slot] === 1 ? (holds() ? TRUE : FALSE) : unknownTri()),
    // A comparison that holds whatever the unknown value is shows as written.
    explain: () => (known[slot] === 1 ? explainKnown() : text),
    text,
    facts: new Set([info.name]),
  };
};

/** Three-valued answer from whether the comparison can be true and can be false. */
export const triOf = (canTrue: boolean, canFalse: boolean): Tri =>
  canTrue ? (canFalse ? UNKNOWN : TRUE) : FALSE;

export const and = (parts: Cond[]): Cond => {
  if (parts.length === 0) return ALWAYS;
  if (parts.length === 1) return parts[0]!;
  const facts = new Set(parts.flatMap((p) => [...p.facts]));
  const text = parts.map((p) => p.text).join(', ');
  const explain = () => parts.map((p) => p.explain()).join(', ');
  const tris = parts.map((p) => p.tri);
  const tri = (): Tri => {
    let r: Tri = TRUE;
    for (let i = 0; i < tris.length; i++) {
      const t = tris[i]!();
      if (t === FALSE) return FALSE;
      if (t === UNKNOWN) r = UNKNOWN;
    }
    return r;
  };
  if (parts.length === 2) {
    const a = parts[0]!.holds;
    const b = parts[1]!.holds;
    return { holds: () => a() && b(), tri, explain, text, facts };
  }
  if (parts.length === 3) {
    const a = parts[0]!.holds;
    const b = parts[1]!.holds;
    const c = parts[2]!.holds;
    return { holds: () => a() && b() && c(), tri, explain, text, facts };
  }
  const fs = parts.map((p) => p.holds);
  return {
    holds: () => {
      for (let i = 0; i < fs.length; i++) if (!fs[i]!()) return false;
      return true;
    },
    tri,
    explain,
    text,
    facts,
  };
};

export const or = (parts: Cond[]): Cond => {
  const facts = new Set(parts.flatMap((p) => [...p.facts]));
  const fs = parts.map((p) => p.holds);
  const tris = parts.map((p) => p.tri);
  const holds =
    fs.length === 2
      ? (() => {
          const a = fs[0]!;
          const b = fs[1]!;
          return () => a() || b();
        })()
      : () => {
          for (let i = 0; i < fs.length; i++) if (fs[i]!()) return true;
          return false;
        };
  return {
    holds,
    tri: () => {
      let r: Tri = FALSE;
      for (let i = 0; i < tris.length; i++) {
        const t = tris[i]!();
        if (t === TRUE) return TRUE;
        if (t === UNKNOWN) r = UNKNOWN;
      }
      return r;
    },
    explain: () => (parts.find((p) => p.tri() === TRUE) ?? parts[0]!).explain(),
    text: parts.map((p) => `(${p.text})`).join(' or '),
    facts,
  };
};

export const not = (inner: Cond): Cond => {
  const h = inner.holds;
  const t = inner.tri;
  return {
    holds: () => !h(),
    tri: () => {
      const x = t();
      return x === UNKNOWN ? UNKNOWN : x === TRUE ? FALSE : TRUE;
    },
    explain: () => `not (${inner.text})`,
    text: `not (${inner.text})`,
    facts: inner.facts,
  };
};
