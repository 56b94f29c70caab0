// The UI at scale (issue 13): the Queue view at 10,000 jobs in headless Chromium while 100+
// job events a second stream in. tests/e2e/scale.e2e.test.ts measures it (and checks that
// the page keeps up); this suite runs that file and judges its frames against the budget —
// the p95 frame within one 60 Hz refresh, which headless Chromium paces at — since a timing
// goal belongs here, not in a test a loaded machine would fail. The baseline is the refresh
// itself: a frame on time reads 16.7 ms, so the ratio is how late the p95 frame is.
import { e2eFigures } from './proc.ts';
import type { Measure } from './run.ts';

const REFRESH_MS = 1000 / 60;
/** One refresh and 5 % timer jitter (tests/e2e/scale.e2e.test.ts, docs/performance.md). */
export const P95_BUDGET_MS = 17.5;
/** The event rate the claim is made at (issue 13: 100 job events a second). */
const MIN_EVENTS_PER_S = 100;

interface Window {
  label: string;
  job_events_per_s: number;
  frame_p95_ms: number;
  late_frames: number;
  long_tasks: number;
  long_task_max_ms: number;
}

export async function benchUiScale(): Promise<Measure[]> {
  const { jobs, ...windows } = e2eFigures<Record<string, unknown>>(
    'tests/e2e/scale.e2e.test.ts',
    'ui-scale.json',
  );
  delete windows.at;
  return Object.values(windows as Record<string, Window>).flatMap((w) => {
    const within = w.frame_p95_ms < P95_BUDGET_MS;
    // The held window is the claim at 100+ job events a second; fewer (a loaded machine's
    // engine took fewer arrivals) is said, not judged as if it were the claim.
    const rate = w.label.includes('held') && w.job_events_per_s < MIN_EVENTS_PER_S;
    return [
      {
        name: `${w.label} (${Number(jobs).toLocaleString('en-US')} jobs, ${w.job_events_per_s} events/s): p95 frame`,
        value: w.frame_p95_ms,
        unit: `ms, ${within ? 'within' : 'OVER'} the budget (${P95_BUDGET_MS} ms)${rate ? `, but under ${MIN_EVENTS_PER_S} events/s: not the claim` : ''}`,
      },
      {
        name: `  ratio, p95 frame / one refresh (${REFRESH_MS.toFixed(1)} ms)`,
        value: w.frame_p95_ms / REFRESH_MS,
        unit: `× (late frames ${w.late_frames}, long tasks ${w.long_tasks}, longest ${w.long_task_max_ms} ms)`,
      },
    ];
  });
}
