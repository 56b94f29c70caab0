// The parts every audited dialog's form ends with (a rule change, a source override, a
// snapshot removal): who does it, the engine's refusal as it says it, Cancel and the
// action. Inside a `form-grid` form whose submit runs the action.
import { useState } from 'react';
import type { AppError, Result } from '../../../shared/result.ts';
import { rememberAuthor, rememberedAuthor } from '../state/author.ts';
import { ErrorLine } from './common.tsx';

/**
 * An audited dialog's call: the analyst's name (remembered for the next dialog), busy while
 * the call runs (a second submit is ignored), and the engine's refusal kept to be shown.
 */
export function useAuditedCall<T>(onDone: (value: T) => void) {
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
    if (!res.ok) return setError(res.error);
    onDone(res.value);
  };
  return { author, setAuthor, busy, error, run };
}

/** "Your name": recorded as the actor of the audit entry. */
export function AuthorField({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange(value: string): void;
}) {
  return (
    <>
      <label htmlFor={id}>Your name</label>
      <input id={id} value={value} autoComplete="name" onChange={(e) => onChange(e.target.value)} />
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
}: {
  error: AppError | null;
  onCancel(): void;
  label: string;
  tone: 'primary' | 'danger';
  disabled: boolean;
  testId: string;
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
        <button type="submit" className={`btn ${tone}`} disabled={disabled} data-testid={testId}>
          {label}
        </button>
      </div>
    </>
  );
}
