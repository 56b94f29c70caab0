// A source's reliability as an analyst types it and reads it. Typed: a plain decimal from
// 0 to 1 ("0.499", ".5", "1"), never what Number() also takes ("0x1", "1e0", " 1 ",
// "Infinity"), so that what is stored is what was written. Read: exactly enough digits
// that the figure shown is never on the other side of a rule's threshold (G4's
// `source_reliability < 0.8`): 0.7999 was shown, pre-filled and audited as "0.80", and an
// override re-saved unchanged came back as 0.8 with G4 off.
import { decimalText } from './decimal-text.ts';
import { err, ok, type Result } from './result.ts';

const PLAIN_DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

/** A reliability typed by an analyst (the Override… field, `sources set --reliability`). */
export function parseReliability(text: string): Result<number> {
  const value = PLAIN_DECIMAL.test(text) ? Number(text) : NaN;
  if (!(value >= 0 && value <= 1))
    return err(
      'VALIDATION',
      `a reliability is a decimal from 0 to 1 (0.8, .75, 1), not "${text}"`,
      {
        field: 'reliability',
      },
    );
  return ok(value);
}

/**
 * A reliability as it reads in a table, the audit trail and the command line: at least two
 * decimals ("0.50", "1.00"), up to four when it has them ("0.499", "0.7999"); one with
 * more (a computed 2/3) is cut, not rounded, to four and followed by "…" ("0.6666…"), so
 * that it reads as what it is, a little more than the figure shown (decimal-text.ts, the
 * rule every fact beside a threshold is written by).
 */
export const reliabilityText = (value: number): string =>
  decimalText(value, { min: 2, max: 4, group: false });

/** The exact figure, for a field that is saved again as it is (the Override… dialog). */
export const reliabilityInput = (value: number): string => String(value);
