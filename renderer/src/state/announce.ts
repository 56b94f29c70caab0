// What the app says to a screen reader without moving the focus: a submission's outcome,
// an upload refused, a job cancelled or retried from its row. One polite live region
// (Announcer.tsx) holds the last few lines; each new one is added as its own element, so
// that it is read even when its words are those of the line before.
import { create } from 'zustand';

const KEEP = 4;

export const useAnnouncements = create<{
  lines: { n: number; text: string }[];
  say(text: string): void;
}>((set) => {
  let n = 0;
  return {
    lines: [],
    say: (text) => set((s) => ({ lines: [...s.lines, { n: ++n, text }].slice(-KEEP) })),
  };
});

export const announce = (text: string): void => useAnnouncements.getState().say(text);
