// The parts every audited dialog's form ends with (a rule change, a source override, a
// snapshot removal): who does it, the engine's refusal as it says it, Cancel and the
// action. Inside a `form-grid` form whose submit runs the action.
import type { AppError } from '../../../shared/result.ts';
import { ErrorLine } from './common.tsx';

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
