// Above a live view's figures while the engine answers nothing though asked (QA: only the
// status bar said so, and the Queue, the board, Sources and Audit kept their last figures
// as if current). It says they are as of the engine's last answer and for how long it has
// not answered, and goes by itself once it answers. Always in the page, so that its line
// is read out (politely) as the engine falls silent; the count that moves each second is
// not in the region's spoken text, which says the same without it, once.
import { answeredWhen, notCurrentLine, notCurrentSaid } from '../state/engine-silence.ts';
import { useEngineSilence } from '../state/use-engine-silence.ts';

export function NotCurrent() {
  const silence = useEngineSilence();
  const answered = silence && answeredWhen(silence);
  return (
    <div
      role="status"
      className={silence ? 'banner paused not-current' : 'sr-only'}
      data-testid="not-current"
    >
      {silence && (
        <>
          <span aria-hidden="true" data-testid="not-current-line">
            {notCurrentLine(silence, answered)}
          </span>
          <span className="sr-only">{notCurrentSaid(answered)}</span>
        </>
      )}
    </div>
  );
}
