// What an address that names no snapshot id shows (`#/snapshots/<a sentence>`): said here,
// in the app's own words, with the text escaped and cut, and never sent to the engine, whose
// refusal would put whatever a link carries in the app's error styling (QA sec F8).
import { notAnIdText } from '../../text/ids.ts';

export function NotAnId({ text, onClose }: { text: string; onClose(): void }) {
  return (
    <section className="snapshot-panel" aria-label="Snapshot" data-testid="not-an-id">
      <p role="status">{notAnIdText(text)}</p>
      <button className="btn small ghost" onClick={onClose}>
        Close
      </button>
    </section>
  );
}
