// Setting or clearing a source's reliability override: a reliability from 0 to 1 and a
// justification (required to set), and who does it; both are written to the audit trail
// by the engine with the change. A justification blank (to set) or past the engine's limit
// disables the action, said beside it. The engine's refusal is shown as it says it.
import { useState } from 'react';
import type { SourceRecord } from '../../../../shared/api.ts';
import { MiddleCut, splitTail } from '../../components/MiddleCut.tsx';
import { Modal } from '../../components/Modal.tsx';
import {
  AuditedForm,
  AuthorField,
  FormActions,
  useAuditedCall,
  WhyField,
  whyStops,
} from '../../components/form-parts.tsx';
import { useApp } from '../../state/store.ts';
import {
  parseReliability,
  reliabilityInput,
  reliabilityText,
} from '../../../../shared/reliability.ts';
import { visibleName } from '../../../../shared/visible.ts';

export function OverrideDialog({
  source,
  mode,
  onClose,
  onDone,
  fallbackFocus,
}: {
  source: SourceRecord;
  mode: 'set' | 'clear';
  onClose(): void;
  onDone(record: SourceRecord): void;
  /** Where the focus goes when its opener is gone (Clear… once the override is cleared). */
  fallbackFocus(): void;
}) {
  const client = useApp((s) => s.client);
  const [value, setValue] = useState(
    reliabilityInput(source.override?.reliability ?? source.reliability),
  );
  const [why, setWhy] = useState('');
  const { author, setAuthor, busy, error, run } = useAuditedCall(onDone, {
    justification: mode === 'set' ? 'Justification' : 'Why',
    author: 'Your name',
  });
  // A plain decimal only: Number() also read "0x1", "1e0", " 1 " and "Infinity".
  const parsed = parseReliability(value);
  const valueOk = parsed.ok;
  const reliability = parsed.ok ? parsed.value : NaN;
  const whyRequired = mode === 'set' ? 'A justification is required.' : null;
  const stops = whyStops('override-why', whyRequired, why);
  const stopped = stops !== undefined || (mode === 'set' && !valueOk);

  const submit = async () => {
    if (!client || stopped) return;
    await run((who) =>
      mode === 'set'
        ? client.call('sources:set', {
            id: source.id,
            reliability,
            justification: why.trim(),
            ...who,
          })
        : client.call('sources:clear', {
            id: source.id,
            ...(why.trim() ? { justification: why.trim() } : {}),
            ...who,
          }),
    );
  };

  const lead = mode === 'set' ? 'Override the reliability of ' : 'Clear the override of ';
  const title = lead + visibleName(source.name);
  const { head, tail } = splitTail(visibleName(source.name));
  return (
    <Modal
      // A long name is cut in the middle, its end kept (…-7 and …-8 are told apart), with the
      // whole title in its tooltip, as the table's row shows it; the dialog's name stays the
      // whole title.
      title={<MiddleCut className="modal-title-cut" head={lead + head} tail={tail} title={title} />}
      onClose={onClose}
      testId="override-dialog"
      fallbackFocus={fallbackFocus}
    >
      <p className="muted">
        {mode === 'set'
          ? `Computed from its record: ${reliabilityText(source.computed_reliability)}. New requests from this source use the override instead; requests already decided keep their level.`
          : `New requests from this source go back to the computed reliability, ${reliabilityText(source.computed_reliability)}.`}{' '}
        The change is recorded in the audit trail.
      </p>
      <AuditedForm onSubmit={() => void submit()}>
        {mode === 'set' && (
          <>
            <label htmlFor="override-value">Reliability (0–1)</label>
            <div>
              <input
                id="override-value"
                className="num"
                inputMode="decimal"
                value={value}
                aria-invalid={!valueOk}
                aria-describedby="override-value-hint"
                onChange={(e) => setValue(e.target.value)}
              />
              <div className="field-hint" id="override-value-hint">
                {valueOk
                  ? '0 never reliable, 1 always'
                  : 'Enter a decimal from 0 to 1, such as 0.8.'}
              </div>
            </div>
          </>
        )}
        <WhyField
          id="override-why"
          label={mode === 'set' ? 'Justification' : 'Why (optional)'}
          value={why}
          onChange={setWhy}
          placeholder="Why this source's record is not what it should be"
          required={whyRequired}
        />
        <AuthorField id="override-author" value={author} onChange={setAuthor} />
        <FormActions
          error={error}
          onCancel={onClose}
          label={mode === 'set' ? 'Set override' : 'Clear override'}
          tone={mode === 'set' ? 'primary' : 'danger'}
          disabled={busy || stopped}
          describedBy={stops}
          testId="override-confirm"
        />
      </AuditedForm>
    </Modal>
  );
}
