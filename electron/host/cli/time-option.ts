// A time a command takes on its command line (`history --from/--to`, `snapshots remove
// --before`), checked there as the engine resolves it (analytics/time-bounds.ts): a
// timestamp with or without offset, or a real date. One that is not is a usage error
// naming the accepted forms (exit 2), not the engine's refusal of the call.
import { TimeBound } from '../../../shared/api/snapshots.ts';
import { resolveBounds } from '../../engine/analytics/time-bounds.ts';
import { UsageError } from './io.ts';

/** `value` of `--flag`, unchanged when it is a time the engine takes; else a UsageError. */
export function timeOption(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  // Whether it is a time at all does not depend on the exchange's time zone.
  if (!TimeBound.safeParse(value).success || !resolveBounds(value, undefined, 'UTC').ok)
    throw new UsageError(
      `--${flag} "${value}" is not an ISO-8601 timestamp (2024-01-08T10:30:00-05:00, or 2024-01-08T10:30 in exchange time) or a date (2024-01-08)`,
    );
  return value;
}
