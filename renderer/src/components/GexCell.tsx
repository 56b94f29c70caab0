// A GEX figure in a table's column (the levels board, All snapshots): the column's one rule
// (text/scale.ts gexCell) on screen, and the figure to the cent both in its tooltip and,
// for the keyboard and a screen reader that cannot hover, in the row's own text.
import { gexCell, type GexScale } from '../text/scale.ts';

export function GexCell({
  value,
  scale,
  className,
  testId,
  bold = false,
}: {
  value: number | null | undefined;
  scale: GexScale;
  className?: string;
  testId?: string;
  /** A row's headline figure (the total): in bold. */
  bold?: boolean;
}) {
  const { text, exact } = gexCell(value, scale);
  const Box = bold ? 'b' : 'span';
  return (
    <Box className={className}>
      <span data-testid={testId} title={exact} aria-hidden={exact ? true : undefined}>
        {text}
      </span>
      {exact && <span className="sr-only">{exact}</span>}
    </Box>
  );
}
