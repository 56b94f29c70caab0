// One request's facts as a small form, for the dry run: the given facts of the
// guidelines with their types, so an analyst need not type JSON. A number field shows
// the text as typed (a half-typed `0.` stays `0.`, never turns into `0`) while the
// facts get its value; text that is no number is said so under the field and goes to
// the rules as typed (they refuse it too), never silently changed.
import { useState } from 'react';
import { useLevelOrder } from '../../state/levels.ts';
import type { FactRow } from './facts.ts';

type Field = {
  key: string;
  label: string;
  kind: 'text' | 'int' | 'number' | 'level';
  hint: string;
  nullable?: boolean;
};

const FIELDS: Field[] = [
  { key: 'id', label: 'Name', kind: 'text', hint: 'How this row is called in the results' },
  { key: 'underlying', label: 'Underlying', kind: 'text', hint: 'Ticker, 1–10 characters' },
  { key: 'as_of', label: 'As of', kind: 'text', hint: 'ISO-8601 with an offset or Z' },
  { key: 'now', label: 'Arrived', kind: 'text', hint: 'ISO-8601 with an offset or Z (now)' },
  { key: 'total_volume', label: 'Volume', kind: 'int', hint: 'Calls plus puts, contracts' },
  {
    key: 'total_open_interest',
    label: 'Open interest',
    kind: 'int',
    hint: 'Calls plus puts, contracts',
  },
  {
    key: 'gex_change',
    label: 'GEX change',
    kind: 'number',
    nullable: true,
    hint: '|total − previous| ÷ |previous|; empty = null (a first snapshot)',
  },
  {
    key: 'source_reliability',
    label: 'Source reliability',
    kind: 'number',
    nullable: true,
    hint: '0 to 1; empty = 1',
  },
  {
    key: 'requested_priority',
    label: 'Manual level',
    kind: 'level',
    hint: 'A G1 override, with a justification',
  },
  {
    key: 'justification',
    label: 'Justification',
    kind: 'text',
    hint: 'Required with a manual level',
  },
];

const shown = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** The fact a field's text gives: a number for a number field whose text is one. */
export function parseField(f: Pick<Field, 'kind' | 'nullable'>, raw: string): unknown {
  if (f.kind === 'text' || f.kind === 'level') return raw === '' ? undefined : raw;
  if (raw.trim() === '') return f.nullable ? null : undefined;
  const n = Number(raw.trim());
  return Number.isFinite(n) ? n : raw;
}

/** What is wrong with a number field's text, if anything. */
export function fieldProblem(f: Pick<Field, 'kind'>, raw: string): string | null {
  if (f.kind !== 'int' && f.kind !== 'number') return null;
  if (raw.trim() === '') return null;
  const n = Number(raw.trim());
  if (!Number.isFinite(n)) return `“${raw}” is not a number.`;
  if (f.kind === 'int' && !Number.isInteger(n)) return 'A whole number.';
  return null;
}

export function FactsForm({ row, onChange }: { row: FactRow; onChange(row: FactRow): void }) {
  const levelOrder = useLevelOrder();
  // The texts as typed, for the row this form last gave out (another row: its values).
  const [typed, setTyped] = useState<{ row: FactRow; texts: Record<string, string> } | null>(null);
  const texts = typed?.row === row ? typed.texts : {};
  const set = (f: Field, raw: string) => {
    const next = { ...row };
    const v = parseField(f, raw);
    if (v === undefined) delete next[f.key];
    else next[f.key] = v;
    setTyped({ row: next, texts: { ...texts, [f.key]: raw } });
    onChange(next);
  };
  return (
    <div className="facts-form">
      {FIELDS.map((f) => {
        const id = `fact-${f.key}`;
        const text = texts[f.key] ?? shown(row[f.key]);
        const problem = fieldProblem(f, text);
        return (
          <div className="ff-row" key={f.key}>
            <label htmlFor={id} title={f.hint}>
              {f.label}
            </label>
            {f.kind === 'level' ? (
              <select id={id} value={shown(row[f.key])} onChange={(e) => set(f, e.target.value)}>
                <option value="">none (by the rules)</option>
                {levelOrder.map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                value={text}
                inputMode={f.kind === 'text' ? 'text' : 'decimal'}
                placeholder={f.key === 'source_reliability' ? '1' : f.nullable ? 'null' : ''}
                spellCheck={false}
                aria-invalid={problem !== null}
                aria-describedby={problem ? `${id}-error` : undefined}
                onChange={(e) => set(f, e.target.value)}
              />
            )}
            {problem && (
              <div className="field-error" id={`${id}-error`}>
                {problem}
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}
