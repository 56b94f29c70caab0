// A modal dialog: labelled, the first field focused, Escape cancels, Tab stays
// inside, and focus returns to where it was when the dialog closes — or, when that
// element can no longer take it (the dialog's action disabled or removed its opener),
// to `fallbackFocus`, rather than dropping to the page's body. `aside` stands at the
// right of the title (a summary such as a size), outside the dialog's name.
import { useEffect, useRef, type ReactNode } from 'react';

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Modal({
  title,
  onClose,
  children,
  wide,
  testId,
  fallbackFocus,
  aside,
}: {
  title: ReactNode;
  aside?: ReactNode;
  onClose(): void;
  children: ReactNode;
  wide?: boolean;
  testId?: string;
  /** Where the focus goes when the element focused before the dialog cannot take it back. */
  fallbackFocus?: () => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  const fallback = useRef(fallbackFocus);
  useEffect(() => {
    close.current = onClose;
    fallback.current = fallbackFocus;
  });

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const el = box.current;
    (
      el?.querySelector<HTMLElement>('[data-autofocus]') ??
      el?.querySelector<HTMLElement>(FOCUSABLE)
    )?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        close.current();
      } else if (e.key === 'Tab' && el) {
        const items = [...el.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
          (x) => x.offsetParent !== null,
        );
        if (items.length === 0) return;
        const first = items[0]!;
        const last = items[items.length - 1]!;
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first.focus();
        }
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      before?.focus?.();
      // Opened with nothing focused (files dropped on the window), or the element cannot take it back.
      if (!before || before === document.body || document.activeElement !== before)
        fallback.current?.();
    };
  }, []);

  return (
    <div className="modal-backdrop" role="presentation">
      <div
        ref={box}
        className={`modal${wide ? ' wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby="modal-title"
        data-testid={testId}
      >
        <div className="modal-head">
          <h2 id="modal-title">{title}</h2>
          {aside}
        </div>
        {children}
      </div>
    </div>
  );
}
