// The Audit trail's kind chips. A chip for each of the 17 kinds took two lines at 1024 px:
// the kinds an analyst filters by (a decision, an override, what ended late, failed or was
// removed, the rules' and sources' changes) stay chips in one line, and the steps of a
// request's life seldom looked for alone (arrival, started, preempted, requeued, retried,
// job, inbox — a file the inbox moved to failed/ itself —, and any kind the engine adds) are chips under "more", a disclosure button whose
// panel is always in the page (hidden when closed), so that every kind keeps its chip and
// its place. "more" says how many of its kinds are chosen; Escape or a click elsewhere
// closes it, Escape giving the focus back to it.
import { useEffect, useId, useRef, useState } from 'react';
import { kindInfo } from '../../text/audit-kinds.ts';

/** The kinds that stay in the chip row; the others are under "more". */
export const MAIN_KINDS: readonly string[] = [
  'decision',
  'override',
  'rejected',
  'escalation',
  'late',
  'cancelled',
  'completed',
  'failed',
  'rules',
  'source',
  'removed',
];

/** The chips in the row and those under "more", each in the order `chips` gives them. */
export function splitKinds(chips: readonly string[]): { main: string[]; more: string[] } {
  return {
    main: chips.filter((k) => MAIN_KINDS.includes(k)),
    more: chips.filter((k) => !MAIN_KINDS.includes(k)),
  };
}

export function KindChips({
  chips,
  chosen,
  onToggle,
}: {
  chips: readonly string[];
  chosen: ReadonlySet<string>;
  onToggle(kind: string): void;
}) {
  const { main, more } = splitKinds(chips);
  const [open, setOpen] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  // A click anywhere else closes it.
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (!wrap.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);
  const chip = (k: string) => (
    <button
      key={k}
      className={`chip text ${chosen.has(k) ? 'on' : ''}`}
      aria-pressed={chosen.has(k)}
      title={kindInfo(k).hint}
      data-kind={k}
      onClick={() => onToggle(k)}
    >
      {kindInfo(k).label}
    </button>
  );
  const on = more.filter((k) => chosen.has(k)).length;
  return (
    <div className="chips kind-chips" role="group" aria-label="Kinds">
      {main.map(chip)}
      {more.length > 0 && (
        <div
          ref={wrap}
          className="more-kinds"
          onKeyDown={(e) => {
            if (e.key === 'Escape' && open) {
              e.stopPropagation();
              setOpen(false);
              button.current?.focus();
            }
          }}
          onBlur={(e) => {
            // The focus left "more" and its kinds (Tab past them): closed.
            if (open && !wrap.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
          }}
        >
          <button
            ref={button}
            className={`chip text more-button ${on ? 'on' : ''}`}
            aria-expanded={open}
            aria-controls={panelId}
            title={`Other kinds: ${more.map((k) => kindInfo(k).label).join(', ')}`}
            data-testid="more-kinds"
            onClick={() => setOpen((o) => !o)}
          >
            more<span className="sr-only"> kinds</span>
            {on > 0 && ` · ${on} on`}
            <span aria-hidden="true"> ▾</span>
          </button>
          <div
            id={panelId}
            className="more-kinds-panel"
            role="group"
            aria-label="More kinds"
            hidden={!open}
          >
            {more.map(chip)}
          </div>
        </div>
      )}
    </div>
  );
}
