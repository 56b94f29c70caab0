// The GEX conventions (docs/analytics.md) as a config file or a task gives them: checked
// beyond their schema (a real time zone, a profile range that is one), with defaults. The
// config file is checked when it is loaded, and every task again (a worker trusts nothing).
import { GexConventions } from '../../../shared/domain.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { quoted } from '../../../shared/visible.ts';
import { isValidTimeZone } from './time.ts';

/** Conventions as given, with defaults; a bad one is a VALIDATION error naming the field. */
export function checkConventions(file: string, given: unknown): Result<GexConventions> {
  const parsed = GexConventions.safeParse(given ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    return err('VALIDATION', `conventions.${field}: ${issue?.message ?? 'invalid'}`, {
      file,
      field: `conventions.${field}`,
    });
  }
  if (parsed.data.profile_low >= parsed.data.profile_high) {
    return err('VALIDATION', 'conventions.profile_low must be below profile_high', {
      file,
      field: 'conventions.profile_low',
    });
  }
  if (!isValidTimeZone(parsed.data.exchange_time_zone)) {
    return err(
      'VALIDATION',
      `conventions.exchange_time_zone: ${quoted(parsed.data.exchange_time_zone)} is not a time zone`,
      { file, field: 'conventions.exchange_time_zone' },
    );
  }
  return ok(parsed.data);
}
