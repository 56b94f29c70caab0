// Where a contract of the normalised chain is in its file, for an error about it, in the
// terms of the file's own format. A chain keeps one number per contract (`line`): the
// line of a CSV file, the row of a Parquet file, and for JSON the option's index + 1,
// which is no line of anything (a minified file has one line). So an error about a JSON
// option names its path, in the message and in `field`, and gives no `line`; a Parquet
// row is called a row, in `line` as the Parquet reader's own errors give it.
import type { AppError } from '../../../shared/result.ts';
import type { Chain } from './chain.ts';

export type ContractWhere = {
  /** The place in words for the message: `line 12, field "iv"`, `row 12, …`, `$.data.options[11].iv`. */
  place: string;
  /** The error's location fields. */
  where: Pick<AppError, 'line' | 'field'>;
};

/** Where the contract whose `line` value is `line` is, optionally at its `field`. */
export function contractAt(chain: Chain, line: number, field?: string): ContractWhere {
  if (chain.format === 'cboe-json') {
    const path = `$.data.options[${line - 1}]${field === undefined ? '' : `.${field}`}`;
    return { place: path, where: { field: path } };
  }
  const unit = chain.format === 'long-parquet' ? 'row' : 'line';
  return field === undefined
    ? { place: `${unit} ${line}`, where: { line } }
    : { place: `${unit} ${line}, field "${field}"`, where: { line, field } };
}

/** Where the contract whose `line` value is `line` is, in words (no field). */
export const contractPlace = (chain: Chain, line: number): string => contractAt(chain, line).place;
