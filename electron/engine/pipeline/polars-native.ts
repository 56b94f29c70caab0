// The few calls of nodejs-polars' native binding that the Parquet hand-off needs, typed.
// The public wrappers are costly for small frames: every pl.Series and pl.DataFrame builds
// a wrapper object of a few hundred closures behind a Proxy. For a 100-row, 13-column frame
// the public route (pl.Series × 13, pl.DataFrame, writeParquet) measured 7.9 ms median
// against 0.9 ms for the same frame and file through these calls (.tmp measurement, same
// run). nodejs-polars is pinned (package.json, exact version); tests/pipeline/
// polars-native.test.ts checks that both routes give the same file, so an upgrade that
// moves these calls fails there.
import { polarsBinding } from '../native-modules.ts';

export type NativeSeries = {
  extendConstant(value: string, n: number): NativeSeries;
  /** The values at `indices` (a UInt32 series), under this series' name. */
  takeWithSeries(indices: NativeSeries): NativeSeries;
};

export type NativeDataFrame = {
  height: number;
  /** Writes the frame to a file; compression as Polars names it ('zstd', 'snappy', …). */
  writeParquet(path: string, compression: string): void;
};

type NativeBinding = {
  JsSeries: {
    newFloat64Array(name: string, values: Float64Array): NativeSeries;
    newBigint64Array(name: string, values: BigInt64Array): NativeSeries;
    newUint32Array(name: string, values: Uint32Array): NativeSeries;
    newOptStr(name: string, values: (string | null)[]): NativeSeries;
    newOptF64(name: string, values: (number | null)[]): NativeSeries;
    /** Whole numbers as JS numbers (a bigint becomes null). */
    newOptI64(name: string, values: (number | null)[]): NativeSeries;
  };
  JsDataFrame: new (columns: NativeSeries[]) => NativeDataFrame;
};

const binding = polarsBinding() as NativeBinding;

export const float64Series = (name: string, values: Float64Array): NativeSeries =>
  binding.JsSeries.newFloat64Array(name, values);
export const int64Series = (name: string, values: BigInt64Array): NativeSeries =>
  binding.JsSeries.newBigint64Array(name, values);
/**
 * A String column holding `value` `rows` times. Passing the strings one by one costs about
 * 0.7 µs each across N-API (7.4 ms for an SPX-size table), extending in Polars 0.07 µs.
 */
export const constantStringSeries = (name: string, value: string, rows: number): NativeSeries =>
  binding.JsSeries.newOptStr(name, []).extendConstant(value, rows);
/** A String column of values[index[i]]: few distinct strings cross N-API, not one per row (2.1 → 0.6 ms for 10,505 rows). */
export const indexedStringSeries = (
  name: string,
  values: string[],
  index: Uint32Array,
): NativeSeries =>
  binding.JsSeries.newOptStr(name, values).takeWithSeries(
    binding.JsSeries.newUint32Array('index', index),
  );

/** A String column from a few values (a handful of rows: per-value N-API cost does not matter). */
export const stringSeries = (name: string, values: (string | null)[]): NativeSeries =>
  binding.JsSeries.newOptStr(name, values);
/** Float64 and Int64 columns with nulls, for the few-row expiry and snapshot files. */
export const optFloat64Series = (name: string, values: (number | null)[]): NativeSeries =>
  binding.JsSeries.newOptF64(name, values);
export const optInt64Series = (name: string, values: (number | null)[]): NativeSeries =>
  binding.JsSeries.newOptI64(name, values);

export const nativeDataFrame = (columns: NativeSeries[]): NativeDataFrame =>
  new binding.JsDataFrame(columns);
