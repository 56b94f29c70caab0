// A choice of one among a few, the way WAI-ARIA's patterns have it: the workbench's measure
// (a radio group) and the Rules view's side tabs (a tab list). One Tab stop (the chosen
// item, else the first); the arrow keys move to the next or previous item and choose it
// (wrapping), Home and End the first and last. Table rows have keys of their own
// (table/roving.ts).
import type { KeyboardEvent } from 'react';

function oneOf<T>(
  itemRole: 'radio' | 'tab',
  options: readonly T[],
  value: T,
  choose: (v: T) => void,
) {
  const stop = options.includes(value) ? value : options[0];
  return {
    onKeyDown(e: KeyboardEvent<HTMLElement>) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const items = [...e.currentTarget.querySelectorAll<HTMLElement>(`[role=${itemRole}]`)];
      const at = items.indexOf(e.target as HTMLElement);
      const n = items.length;
      const to = (
        {
          ArrowRight: at + 1,
          ArrowDown: at + 1,
          ArrowLeft: at - 1,
          ArrowUp: at - 1,
          Home: 0,
          End: n - 1,
        } as Record<string, number>
      )[e.key];
      if (at < 0 || to === undefined) return;
      e.preventDefault();
      const i = (to + n) % n;
      items[i]!.focus();
      choose(options[i]!);
    },
    tabIndex: (v: T) => (v === stop ? 0 : -1),
  };
}

/** Props for the group and for each option's element, rendered in the order of `options`. */
export function radioGroup<T>(options: readonly T[], value: T, choose: (v: T) => void) {
  const keys = oneOf('radio', options, value, choose);
  return {
    group: { role: 'radiogroup' as const, onKeyDown: keys.onKeyDown },
    radio: (v: T) => ({
      role: 'radio' as const,
      'aria-checked': v === value,
      tabIndex: keys.tabIndex(v),
    }),
  };
}

/**
 * Props for a tab list, each tab (rendered in the order of `options`) and the one panel
 * that shows the chosen tab; `id` names the tab's element for the panel's label.
 */
export function tabList<T extends string>(
  name: string,
  options: readonly T[],
  value: T,
  choose: (v: T) => void,
) {
  const keys = oneOf('tab', options, value, choose);
  const id = (v: T) => `${name}-tab-${v}`;
  return {
    list: { role: 'tablist' as const, onKeyDown: keys.onKeyDown },
    tab: (v: T) => ({
      role: 'tab' as const,
      id: id(v),
      'aria-selected': v === value,
      'aria-controls': `${name}-panel`,
      tabIndex: keys.tabIndex(v),
    }),
    panel: { role: 'tabpanel' as const, id: `${name}-panel`, 'aria-labelledby': id(value) },
  };
}
