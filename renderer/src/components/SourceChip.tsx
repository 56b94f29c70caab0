// The source filter the Sources view's links open the Queue and the Audit trail with
// (route.ts `?source=ID`): shown as a chip beside the filter box, removed with a click.
// The filter is the source's id exactly, never a part of a file's name or of another id.
import { useApp } from '../state/store.ts';

export function SourceChip({ afterRemove }: { afterRemove?: () => void }) {
  const source = useApp((s) => s.source ?? '');
  const filterBySource = useApp((s) => s.filterBySource);
  if (!source) return null;
  return (
    <button
      className="chip text on source-chip"
      data-testid="source-filter"
      title={`Only the source ${source}; click to show every source`}
      aria-label={`Source ${source} only: remove this filter`}
      onClick={() => {
        filterBySource('');
        afterRemove?.();
      }}
    >
      Source: <span className="mono">{source}</span> <span aria-hidden="true">×</span>
    </button>
  );
}
