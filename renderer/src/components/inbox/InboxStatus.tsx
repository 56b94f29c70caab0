// The inbox in the status bar: its folder ("needs attention" when it cannot take files: a
// share gone, a read-only folder, a file it may not move or read — why in the tooltip, beside
// which failed files have a job and which it refused, inboxTitle), the files
// waiting in it (when any), those held there for a full disk (when any) and how many ended
// in done/ and failed/, live from `inbox:updated`; a click opens the inbox dialog (its
// folders, and choosing another one), drawn outside the bar. While its folder does not
// answer (a stalled share), the counts are those last read, "as of" when, or "counts
// unknown" — never zeros — and the change is said in the polite live region (announce).
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useApp } from '../../state/store.ts';
import { useInbox } from '../../state/inbox.ts';
import { int } from '../../text/numbers.ts';
import { localClock } from '../../text/time.ts';
import { announce } from '../../state/announce.ts';
import { countsAsOf, heldText, inboxTitle } from '../../text/words.ts';
import { InboxDialog } from './InboxDialog.tsx';

export function InboxStatus() {
  const client = useApp((s) => s.client);
  const status = useInbox((s) => s.status);
  const [open, setOpen] = useState(false);
  useEffect(() => (client ? useInbox.getState().follow(client) : undefined), [client]);
  // Its folder stopping or starting again to answer, said once each (not at the first look).
  const notAnswering = status ? status.problem_code === 'NOT_ANSWERING' : null;
  const was = useRef<boolean | null>(null);
  useEffect(() => {
    if (notAnswering === null) return;
    if (was.current !== null && was.current !== notAnswering)
      announce(
        notAnswering
          ? `Inbox not answering: ${status!.dir}. Nothing is taken from it until it answers.`
          : `Inbox answering again: ${status!.dir}.`,
      );
    was.current = notAnswering;
  }, [notAnswering, status]);
  if (!status) return null;
  const asOf = countsAsOf(status, localClock);
  // Held files wait too, but are counted on their own.
  const waiting = status.counts.waiting - (status.held?.count ?? 0);
  return (
    <>
      <span className="sep" />
      <button
        className="status-link"
        data-testid="status-inbox"
        title={inboxTitle(status)}
        onClick={() => setOpen(true)}
      >
        <span className="label">inbox</span>{' '}
        {/* Under 1200 px, in the tooltip only: the counts beside it need the room. */}
        <span className="path narrow-hide" data-testid="status-inbox-dir">
          {status.dir}
        </span>{' '}
        {status.problem && (
          <>
            <span className="num neg" data-testid="status-inbox-problem">
              {/* A share that does not answer: said as such, not as a fault of the folder's. */}
              {status.problem_code === 'NOT_ANSWERING' ? 'not answering' : 'needs attention'}
            </span>{' '}
          </>
        )}
        {waiting > 0 && (
          <>
            <span className="label">waiting</span>{' '}
            <span className="num" data-testid="status-inbox-waiting">
              {int(waiting)}
            </span>{' '}
          </>
        )}
        {status.held && (
          <>
            <span className="label">held</span>{' '}
            <span
              className="num warn"
              data-testid="status-inbox-held"
              title={heldText(status.held, localClock(status.held.retry_at))}
            >
              {int(status.held.count)}
            </span>{' '}
          </>
        )}
        {status.counts_as_of !== null && (
          <>
            <span className="label">done</span>{' '}
            <span className="num" data-testid="status-inbox-done">
              {int(status.counts.done)}
            </span>{' '}
            <span className="label">failed</span>{' '}
            <span
              className={`num ${status.counts.failed ? 'neg' : ''}`}
              data-testid="status-inbox-failed"
            >
              {int(status.counts.failed)}
            </span>
          </>
        )}
        {asOf && (
          <>
            {' '}
            <span className="label" data-testid="status-inbox-as-of">
              {asOf}
            </span>
          </>
        )}
      </button>
      {/* Outside the status bar, whose one-line text styles it must not inherit. */}
      {open && createPortal(<InboxDialog onClose={() => setOpen(false)} />, document.body)}
    </>
  );
}
