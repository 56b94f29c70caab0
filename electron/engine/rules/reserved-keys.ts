// Keys a rule file may not use as names: `__proto__`, `constructor`, `prototype`. zod's
// record skips a `__proto__` key without a word, so the schema passed a derived fact of
// that name that the program, reading the file as written, then met unchecked (an
// INTERNAL error with no line); `constructor` and `prototype` read as an object's own
// machinery wherever a name is looked up in a plain object. Each is refused at its key.
import type { JsonPath } from './problems.ts';

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** The path of every key of `value` (at any depth) that is a reserved name, in the order written. */
export const reservedKeys = (value: unknown, path: JsonPath = []): JsonPath[] => {
  if (Array.isArray(value)) return value.flatMap((v, i) => reservedKeys(v, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((k) => [
    ...(RESERVED.has(k) ? [[...path, k]] : []),
    ...reservedKeys((value as Record<string, unknown>)[k], [...path, k]),
  ]);
};

/** Why a reserved key is refused, in words. */
export const reservedKeyMessage = (key: string | number): string =>
  `"${key}" cannot be a name in a rule file (JavaScript reserves it for an object's own machinery); name it otherwise`;
