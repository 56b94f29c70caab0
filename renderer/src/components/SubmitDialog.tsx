// The submit dialog: which files, from which source, and optionally a manual
// priority, which the firm's rule G1 only accepts with a justification (Submit is disabled,
// said beside it, while it is blank or past the engine's limit); a source that
// is the watched inbox's (inbox, inbox/…, in any case) is refused at its field, as the
// engine would refuse it, before anything is uploaded. A modal (Modal.tsx): Tab stays
// inside, Escape cancels, and the focus goes back to "Open files…" (also when the files
// were dropped on the window, with nothing focused).
import { rememberAuthor } from '../state/author.ts';
import { useState } from 'react';
import { Modal } from './Modal.tsx';
import { OPEN_FILES_ID } from './OpenFilesButton.tsx';
import type { PriorityLevel } from '../../../shared/domain.ts';
import { useLevelOrder } from '../state/levels.ts';
import { bytes, shownName } from '../text/numbers.ts';
import { Hint, TextCount, counted, whyMissing, whyStops } from './form-parts.tsx';
import { useSubmissions } from '../state/submissions.ts';
import { useUnreachable } from '../state/reach.ts';
import { visible } from '../../../shared/visible.ts';
import { normalSourceName, reservedForInbox } from '../../../shared/api/ingest.ts';

const WHY_ID = 'sub-justification';

const remembered = (key: string, fallback: string) =>
  localStorage.getItem(`gex-desk.${key}`) ?? fallback;

export function SubmitDialog({ files }: { files: File[] }) {
  const levelOrder = useLevelOrder();
  const off = useUnreachable();
  const [source, setSource] = useState(() => remembered('source', 'manual'));
  const [author, setAuthor] = useState(() => remembered('author', ''));
  const [priority, setPriority] = useState<PriorityLevel | ''>('');
  const [justification, setJustification] = useState('');
  const [tried, setTried] = useState(false);
  const cancel = () => useSubmissions.getState().cancelPending();

  const justificationRequired =
    priority !== '' ? 'A manual priority needs a justification (rule G1).' : null;
  // Without a manual priority the justification is neither shown nor sent.
  const stops =
    priority !== '' ? whyStops(WHY_ID, justificationRequired, justification) : undefined;
  const sourceMissing = source.trim() === '';
  const sourceReserved = !sourceMissing && reservedForInbox(normalSourceName(source));
  const total = files.reduce((n, f) => n + f.size, 0);

  const submit = () => {
    setTried(true);
    if (stops !== undefined || sourceMissing || sourceReserved) return;
    localStorage.setItem('gex-desk.source', source.trim());
    rememberAuthor(author);
    void useSubmissions.getState().submit(files, {
      source: source.trim(),
      ...(priority ? { requested_priority: priority, justification: justification.trim() } : {}),
      ...(author.trim() ? { author: author.trim() } : {}),
    });
  };

  return (
    <Modal
      title={`Submit ${files.length} file${files.length === 1 ? '' : 's'}`}
      aside={<span className="muted">{bytes(total)}</span>}
      onClose={cancel}
      testId="submit-dialog"
      fallbackFocus={() => document.getElementById(OPEN_FILES_ID)?.focus()}
    >
      <ul className="file-list">
        {files.map((f, i) => (
          <li key={`${f.name}-${i}`}>
            <span className="file-name">{shownName(f.name)}</span>
            <span className="num muted">{bytes(f.size)}</span>
          </li>
        ))}
      </ul>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label htmlFor="sub-source">Source</label>
        <div>
          <input
            id="sub-source"
            value={source}
            onChange={(e) => setSource(e.target.value)}
            spellCheck={false}
          />
          {tried && sourceMissing && <div className="field-error">A source is required.</div>}
          {tried && sourceReserved && (
            <div className="field-error" data-testid="source-reserved">
              “{visible(normalSourceName(source))}” is the watched inbox’s: the sources inbox and
              inbox/…, in any letter case, are reserved for the files dropped into the inbox (G4).
              Name the source otherwise (acme, not inbox/acme), or drop the files into the inbox
              folder.
            </div>
          )}
        </div>
        <label htmlFor="sub-author">Analyst</label>
        <input
          id="sub-author"
          value={author}
          placeholder="optional"
          onChange={(e) => setAuthor(e.target.value)}
        />
        <label htmlFor="sub-priority">Priority</label>
        <select
          id="sub-priority"
          value={priority}
          onChange={(e) => setPriority(e.target.value as PriorityLevel | '')}
        >
          <option value="">By the active rules</option>
          {levelOrder.map((l) => (
            <option key={l} value={l}>
              {l} (manual override)
            </option>
          ))}
        </select>
        {priority !== '' && (
          <>
            <label htmlFor={WHY_ID}>Justification</label>
            <div>
              <textarea
                id={WHY_ID}
                rows={2}
                value={justification}
                placeholder="Why this priority (recorded in the audit trail)"
                {...counted(WHY_ID, justificationRequired, justification)}
                onChange={(e) => setJustification(e.target.value)}
              />
              <Hint id={WHY_ID} missing={whyMissing(justificationRequired, justification)} />
              <TextCount id={WHY_ID} value={justification} />
            </div>
          </>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={cancel}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn primary"
            data-autofocus
            data-testid="submit-files"
            disabled={off || stops !== undefined}
            aria-describedby={stops}
          >
            Submit
          </button>
        </div>
      </form>
    </Modal>
  );
}
