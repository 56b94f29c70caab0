// What an address that names no id shows (`#/snapshots/<a sentence>`, `#/queue/job/…`,
// `#/audit/…`): said here, in the app's own words, with the text escaped and cut, and
// never sent to the engine, whose refusal would put whatever a link carries in the app's
// error styling (QA sec F8). Its button is the way back: the view without that id.
import { notAnIdText, type IdNoun } from '../text/ids.ts';

export function NotAnId({
  text,
  noun = 'snapshot',
  className = 'snapshot-panel',
  closeLabel = 'Close',
  said,
  label,
  onClose,
}: {
  text: string;
  noun?: IdNoun;
  /** What it says instead of "not a … id" (an address's underlying: renderer/src/text/underlyings.ts). */
  said?: string;
  label?: string;
  className?: string;
  closeLabel?: string;
  onClose(): void;
}) {
  return (
    <section
      className={`not-an-id ${className}`}
      aria-label={label ?? (noun === 'snapshot' ? 'Snapshot' : `Not a ${noun} id`)}
      data-testid="not-an-id"
    >
      <p role="status">{said ?? notAnIdText(text, noun)}</p>
      <button className="btn small ghost" onClick={onClose}>
        {closeLabel}
      </button>
    </section>
  );
}
