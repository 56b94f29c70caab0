// The parts of every audited dialog's form (a rule change, a source override, a snapshot
// removal): the form itself, why (the entry's justification or comment), who does it, the
// engine's refusal as it says it, Cancel and the action. A justification or comment blank
// where one is required (blank as the engine says it, shared/visible.ts: a zero-width space
// or U+202E alone is no reason), or past the engine's limit, stops its form (whyStops): the
// action is disabled, described by what says why beside the field, and Enter sends nothing.
import { useState, type ReactNode } from 'react';
import type { AppError, Result } from '../../../shared/result.ts';
import { rememberAuthor, rememberedAuthor } from '../state/author.ts';
import { ErrorLine } from './common.tsx';
import { ownFieldError, textCount } from '../text/field-error.ts';
import { TEXT_MAX } from '../../../shared/api/free-text.ts';
import { blank } from '../../../shared/visible.ts';

/**
 * An audited dialog's call: the analyst's name (remembered for the next dialog), busy while
 * the call runs (a second submit is ignored), and the engine's refusal kept to be shown,
 * its field named by the form's label (`labels`: the request's key → the label).
 */
export function useAuditedCall<T>(onDone: (value: T) => void, labels: Record<string, string> = {}) {
  const [author, setAuthor] = useState(rememberedAuthor);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const run = async (call: (who: { author?: string }) => Promise<Result<T>>) => {
    if (busy) return;
    setBusy(true);
    const who = author.trim();
    if (who) rememberAuthor(who);
    const res = await call(who ? { author: who } : {});
    setBusy(false);
    if (!res.ok) return setError(ownFieldError(res.error, labels));
    onDone(res.value);
  };
  return { author, setAuthor, busy, error, run };
}

const hintId = (id: string) => `${id}-hint`;

const countId = (id: string) => `${id}-count`;

/** A field's state while something is missing from it: invalid, and described by its hint. */
const hinted = (id: string, missing: string | null) => ({
  'aria-invalid': missing !== null || undefined,
  'aria-describedby': missing !== null ? hintId(id) : undefined,
});

/**
 * What a justification or comment lacks: `required` (the hint that says it must be given,
 * null where it may be left out) while it reads as nothing — blank() of shared/visible.ts,
 * as the engine says it: white space, a zero-width space, U+202E, U+2800 + U+3164 alone.
 */
export const whyMissing = (required: string | null, value: string): string | null =>
  required !== null && blank(value) ? required : null;

/**
 * Why a justification or comment stops its form: the ids of what says so beside it (its
 * hint while it is `required` and blank, its count past the engine's limit,
 * shared/api/free-text.ts), for the form's action's aria-describedby; undefined while it may
 * be sent.
 */
export function whyStops(id: string, required: string | null, value: string): string | undefined {
  const ids = [
    whyMissing(required, value) !== null ? hintId(id) : null,
    textCount(value)?.over ? countId(id) : null,
  ];
  return ids.filter(Boolean).join(' ') || undefined;
}

/**
 * A justification's or comment's textarea's state: invalid while it stops its form
 * (whyStops), described by its hint and its count.
 */
export const counted = (id: string, required: string | null, value: string) => {
  const ids = [
    whyMissing(required, value) !== null ? hintId(id) : null,
    textCount(value) ? countId(id) : null,
  ];
  return {
    'aria-invalid': whyStops(id, required, value) !== undefined || undefined,
    'aria-describedby': ids.filter(Boolean).join(' ') || undefined,
  };
};

/** Said to a screen reader as a text passes the limit. */
const PAST_LIMIT = `Past the limit of ${TEXT_MAX.toLocaleString('en-US')} characters: shorten the text to go on.`;

/**
 * "1,650 / 2,000" under a justification or comment near its limit, said as an error past it.
 * The count is read with the field (its description), not at each key; a status, there
 * from the start, says once that the text has passed the limit.
 */
export function TextCount({ id, value }: { id: string; value: string }) {
  const count = textCount(value);
  return (
    <>
      {count && (
        <div
          className={count.over ? 'field-error' : 'field-hint'}
          id={countId(id)}
          data-testid="text-count"
        >
          {count.said}
        </div>
      )}
      <div className="sr-only" role="status" data-testid="text-limit-status">
        {count?.over ? PAST_LIMIT : ''}
      </div>
    </>
  );
}

/** What is missing from a field, under it. */
export function Hint({ id, missing }: { id: string; missing: string | null }) {
  return missing === null ? null : (
    <div className="field-hint" id={hintId(id)}>
      {missing}
    </div>
  );
}

/** "Your name": recorded as the actor of the audit entry; `missing`: why it must be given. */
export function AuthorField({
  id,
  value,
  onChange,
  missing = null,
}: {
  id: string;
  value: string;
  onChange(value: string): void;
  missing?: string | null;
}) {
  return (
    <>
      <label htmlFor={id}>Your name</label>
      <div>
        <input
          id={id}
          // The dialog opens on the first field to fill: this one while no name is known.
          data-autofocus={value.trim() === '' ? true : undefined}
          value={value}
          autoComplete="name"
          {...hinted(id, missing)}
          onChange={(e) => onChange(e.target.value)}
        />
        <Hint id={id} missing={missing} />
      </div>
    </>
  );
}

/** The engine's refusal (if any), then Cancel and the form's submit button. */
export function FormActions({
  error,
  onCancel,
  label,
  tone,
  disabled,
  testId,
  title,
  describedBy,
  extra,
}: {
  error: AppError | null;
  onCancel(): void;
  label: string;
  tone: 'primary' | 'danger';
  disabled: boolean;
  testId: string;
  /** Why the button is disabled, when that is not said beside a field. */
  title?: string;
  /** The ids of what says, beside a field, why the button is disabled (whyStops). */
  describedBy?: string;
  /** Another way to submit, beside Cancel (its own button and action). */
  extra?: ReactNode;
}) {
  return (
    <>
      {error && (
        <div className="form-error" role="alert">
          <ErrorLine error={error} />
        </div>
      )}
      <div className="modal-actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        {extra}
        <button
          type="submit"
          className={`btn ${tone}`}
          disabled={disabled}
          data-testid={testId}
          title={title}
          aria-describedby={describedBy}
        >
          {label}
        </button>
      </div>
    </>
  );
}

/** The dialog's form: a grid of fields whose submit (Enter, or its button) runs `onSubmit`. */
export function AuditedForm({ onSubmit, children }: { onSubmit(): void; children: ReactNode }) {
  return (
    <form
      className="form-grid"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/**
 * Why, in a few words; `required`: the text that says it must be given, shown beside it
 * while it is blank (whyMissing); null where it may be left out.
 */
export function WhyField({
  id,
  label,
  value,
  onChange,
  placeholder,
  required,
}: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  placeholder: string;
  required: string | null;
}) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <div>
        <textarea
          id={id}
          rows={2}
          data-autofocus
          value={value}
          placeholder={placeholder}
          {...counted(id, required, value)}
          onChange={(e) => onChange(e.target.value)}
        />
        <Hint id={id} missing={whyMissing(required, value)} />
        <TextCount id={id} value={value} />
      </div>
    </>
  );
}
