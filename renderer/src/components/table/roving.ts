// Rows reachable from the keyboard: the table is one Tab stop (the current row),
// the arrow keys, Home/End and Page Up/Down move between rows, Enter opens one.
// Works with virtualised lists: the row is scrolled into range before it is focused.
import { useCallback, useState, type KeyboardEvent } from 'react';

export interface Roving {
  index: number;
  /** Props of the row at `i`. */
  rowProps(i: number): { tabIndex: number; 'data-row-index': number; onFocus(): void };
  onKeyDown(e: KeyboardEvent<HTMLElement>): void;
}

export function useRoving(opts: {
  count: number;
  onOpen(index: number): void;
  /** Makes the row rendered (virtualised lists). */
  scrollTo?(index: number): void;
  page?: number;
}): Roving {
  const { count, onOpen, scrollTo, page = 10 } = opts;
  const [index, setIndex] = useState(0);
  const current = Math.min(index, Math.max(0, count - 1));

  const move = useCallback(
    (container: HTMLElement, to: number) => {
      const i = Math.max(0, Math.min(count - 1, to));
      setIndex(i);
      scrollTo?.(i);
      // The row may render only on the next frame (virtualised).
      const focus = (tries: number) => {
        const el = container.querySelector<HTMLElement>(`[data-row-index="${i}"]`);
        if (el) el.focus({ preventScroll: !!scrollTo });
        else if (tries > 0) requestAnimationFrame(() => focus(tries - 1));
      };
      focus(3);
    },
    [count, scrollTo],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-row-index]');
    if (!row || count === 0) return;
    // Keys typed into a control inside the row (a button) keep their meaning.
    if (e.target !== row && (e.key === 'Enter' || e.key === ' ')) return;
    const at = Number(row.dataset.rowIndex);
    const keys: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      Home: 0,
      End: count - 1,
      PageDown: at + page,
      PageUp: at - page,
    };
    if (e.key in keys) {
      e.preventDefault();
      move(e.currentTarget, keys[e.key]!);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(at);
    }
  };

  return {
    index: current,
    rowProps: (i) => ({
      tabIndex: i === current ? 0 : -1,
      'data-row-index': i,
      onFocus: () => setIndex(i),
    }),
    onKeyDown,
  };
}
