// A snapshot's data quality where the analyst looks: green, amber, or red and
// marked "low quality" under the threshold set in Snapshots, with the reasons
// ("97.9 % dropped: expired expiries") written out or in the tooltip.
import type { DataQuality } from '../../../shared/domain.ts';
import { describeQuality } from '../text/quality.ts';
import { useSettings } from '../state/settings.ts';

export function QualityBadge({
  quality,
  reasons = 'tooltip',
}: {
  quality: DataQuality;
  reasons?: 'tooltip' | 'inline';
}) {
  const threshold = useSettings((s) => s.qualityThreshold);
  const q = describeQuality(quality, threshold);
  return (
    <span
      className={`quality q-${q.tone}`}
      title={q.summary}
      data-testid="quality"
      data-below={q.below ? 'true' : 'false'}
    >
      <span className="quality-score">{q.label}</span>
      {q.below && <span className="quality-low">low quality</span>}
      {reasons === 'inline' && q.reasons.length > 0 && (
        <span className="quality-reasons">{q.reasons.join('; ')}</span>
      )}
    </span>
  );
}
