// Snapshots side by side computed under different conventions (Compare, History): said in
// a note above the figures, in the words the command line uses (shared/conventions-compare.ts),
// so that a change of day count or multiplier is not read as a move of the market.
export function ConventionsNote({ notes, testId }: { notes: string[]; testId: string }) {
  if (notes.length === 0) return null;
  return (
    <div role="note" className="banner paused conventions-note" data-testid={testId}>
      {notes.map((n) => (
        <p key={n}>{n}</p>
      ))}
    </div>
  );
}
