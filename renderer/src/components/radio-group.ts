// A choice of one among a few (the workbench's measure) as a radio group the way WAI-ARIA's
// pattern has it: one Tab stop (the checked option, else the first), the arrow keys move
// to the next or previous option and choose it (wrapping), Home and End the first and
// last. Table rows have keys of their own (table/roving.ts).
import type { KeyboardEvent } from 'react';

/** Props for the group and for each option's element, rendered in the order of `options`. */
export function radioGroup<T>(options: readonly T[], value: T, choose: (v: T) => void) {
  const stop = options.includes(value) ? value : options[0];
  return {
    group: {
      role: 'radiogroup' as const,
      onKeyDown(e: KeyboardEvent<HTMLElement>) {
        if (e.altKey || e.ctrlKey || e.metaKey) return;
        const radios = [...e.currentTarget.querySelectorAll<HTMLElement>('[role=radio]')];
        const at = radios.indexOf(e.target as HTMLElement);
        const n = radios.length;
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
        radios[i]!.focus();
        choose(options[i]!);
      },
    },
    radio: (v: T) => ({
      role: 'radio' as const,
      'aria-checked': v === value,
      tabIndex: v === stop ? 0 : -1,
    }),
  };
}
