// The source filter the Sources view's links open the Queue and the Audit trail with
// (route.ts `?source=ID`): shown as a chip beside the filter box, removed with a click.
// The filter is the source's id exactly, never a part of a file's name or of another id.
// Its id is shown escaped and cut (echoed): an address can name any text, control and
// format characters too (U+202E reversing what follows), and a long one.
import { useApp } from '../state/store.ts';
import { echoed } from '../../../shared/visible.ts';

export function SourceChip({ afterRemove }: { afterRemove?: () => void }) {
  const source = useApp((s) => s.source ?? '');
  const filterBySource = useApp((s) => s.filterBySource);
  if (!source) return null;
  const shown = echoed(source);
  return (
    <button
      className="chip text on source-chip"
      data-testid="source-filter"
      title={`Only the source ${shown}; click to show every source`}
      aria-label={`Source ${shown} only: remove this filter`}
      onClick={() => {
        filterBySource('');
        afterRemove?.();
      }}
    >
      Source: <span className="mono">{shown}</span> <span aria-hidden="true">×</span>
    </button>
  );
}
