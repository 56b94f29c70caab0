// Rows reachable from the keyboard: the table is one Tab stop (the current row),
// the arrow keys, Home/End and Page Up/Down move between rows, Enter opens one.
// Works with virtualised lists: the row is scrolled into range before it is focused.
// It is drawn a frame or more later (End scrolls the list, and the row that had the focus
// is taken out of the page): until then the focus is held on the list itself, and a key
// pressed meanwhile acts on the row moved to — End then Enter opens the last row (the
// Enter was lost on the page's body, or opened the row the focus had not left yet).
import { useCallback, useRef, useState, type KeyboardEvent } from 'react';

export interface Roving {
  index: number;
  /** Props of the row at `i`. */
  rowProps(i: number): { tabIndex: number; 'data-row-index': number; onFocus(): void };
  onKeyDown(e: KeyboardEvent<HTMLElement>): void;
  /** Makes row `i` the Tab stop (its row moved: rows were added above it). */
  select(i: number): void;
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
  // The row the keys have moved to, at once (the state and the focus follow).
  const at$ = useRef(0);
  const pending = useRef(0);

  const move = useCallback(
    (container: HTMLElement, to: number) => {
      const i = Math.max(0, Math.min(count - 1, to));
      at$.current = i;
      setIndex(i);
      scrollTo?.(i);
      const find = () => container.querySelector<HTMLElement>(`[data-row-index="${i}"]`);
      // Not drawn yet (virtualised): the list holds the focus until it is.
      if (!find()) container.focus({ preventScroll: true });
      const ticket = ++pending.current;
      const focus = (tries: number) => {
        if (ticket !== pending.current) return; // another key moved on
        const el = find();
        if (el) el.focus({ preventScroll: !!scrollTo });
        else if (tries > 0) requestAnimationFrame(() => focus(tries - 1));
      };
      focus(60);
    },
    [count, scrollTo],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-row-index]');
    const held = e.target === e.currentTarget;
    if ((!row && !held) || count === 0) return;
    // Keys typed into a control inside the row (a button) keep their meaning.
    if (row && e.target !== row && (e.key === 'Enter' || e.key === ' ')) return;
    const at = held ? at$.current : Number(row!.dataset.rowIndex);
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
      onFocus: () => {
        at$.current = i;
        setIndex(i);
      },
    }),
    onKeyDown,
    select: useCallback((i: number) => {
      at$.current = i;
      setIndex(i);
    }, []),
  };
}
