// Removing a snapshot ingested by mistake: what goes (its figures and its export files),
// what stays (its request's trail, where the removal is recorded), a justification
// (required, at most the engine's limit: the action is disabled until it is, said beside
// it) and who does it. The engine's refusal is shown as it says it.
import { useState } from 'react';
import type { RemovedSnapshot } from '../../../../shared/api.ts';
import type { GEXSnapshot } from '../../../../shared/domain.ts';
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
import { shownName } from '../../text/numbers.ts';
import { asOfStamp } from '../../text/time.ts';

export function RemoveSnapshotDialog({
  snapshot,
  onClose,
  onDone,
  fallbackFocus,
}: {
  snapshot: GEXSnapshot;
  onClose(): void;
  onDone(removed: RemovedSnapshot): void;
  /** Where the focus goes once it is removed: its Remove… button has gone with it. */
  fallbackFocus(): void;
}) {
  const client = useApp((s) => s.client);
  const [why, setWhy] = useState('');
  const { author, setAuthor, busy, error, run } = useAuditedCall(onDone, {
    justification: 'Justification',
    author: 'Your name',
  });
  const whyRequired = 'A justification is required.';
  const stops = whyStops('remove-why', whyRequired, why);

  const submit = async () => {
    if (!client || stops !== undefined) return;
    await run(async (who) => {
      const refused = useApp.getState().removingHere(snapshot.id);
      const res = await client.call('snapshots:remove', {
        id: snapshot.id,
        justification: why.trim(),
        ...who,
      });
      if (!res.ok) refused();
      return res;
    });
  };

  return (
    <Modal
      title={`Remove the ${snapshot.underlying} snapshot of ${asOfStamp(snapshot.as_of)}`}
      onClose={onClose}
      fallbackFocus={fallbackFocus}
      testId="remove-snapshot-dialog"
    >
      <p className="muted">
        Its figures and its three export files in this data folder are deleted, and it leaves the
        levels board, the history and the list. Its request keeps its trail, where the removal is
        recorded; the file ({shownName(snapshot.source_file)}) can be ingested again.
      </p>
      <AuditedForm onSubmit={() => void submit()}>
        <WhyField
          id="remove-why"
          label="Justification"
          value={why}
          onChange={setWhy}
          placeholder="Why this snapshot should not be kept (the wrong file, a broken chain)"
          required={whyRequired}
        />
        <AuthorField id="remove-author" value={author} onChange={setAuthor} />
        <FormActions
          error={error}
          onCancel={onClose}
          label="Remove snapshot"
          tone="danger"
          disabled={busy || stops !== undefined}
          describedBy={stops}
          testId="remove-snapshot-confirm"
        />
      </AuditedForm>
    </Modal>
  );
}
