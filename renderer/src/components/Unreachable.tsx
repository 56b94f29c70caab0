// Above every view while the engine cannot be reached (state/reach.ts): a browser tab
// left open when `gex-desk serve` stopped or restarted on another port kept showing its
// last figures, waits still counting, with only the status bar's small dot to say why.
// It says what happened, what to do, and that what shows is as of the last contact.
import { useApp } from '../state/store.ts';
import { useUnreachable } from '../state/reach.ts';
import { localStamp } from '../text/time.ts';

export function Unreachable() {
  const off = useUnreachable();
  const contactAt = useApp((s) => s.contactAt);
  const browser = useApp((s) => s.client?.transport === 'http');
  if (!off) return null;
  return (
    <div className="banner error engine-problem" role="alert" data-testid="engine-unreachable">
      <b>GEX Desk cannot be reached.</b>{' '}
      {browser ? (
        <span>
          Its server may have stopped, or restarted at another address: <code>gex-desk serve</code>{' '}
          prints the address to open.
        </span>
      ) : (
        <span>The engine does not answer.</span>
      )}{' '}
      <span data-testid="unreachable-as-of">
        What shows is as of{' '}
        {contactAt ? localStamp(new Date(contactAt).toISOString()) : 'the page’s load'}, the last
        contact; waits and ages stop there, and actions that need the engine are off.
      </span>{' '}
      <span>This tab reconnects by itself if it comes back at this address.</span>
    </div>
  );
}
