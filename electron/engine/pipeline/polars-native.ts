// The few calls of nodejs-polars' native binding that the Parquet hand-off needs, typed.
// The public wrappers are costly for small frames: every pl.Series and pl.DataFrame builds
// a wrapper object of a few hundred closures behind a Proxy. For a 100-row, 13-column frame
// the public route (pl.Series × 13, pl.DataFrame, writeParquet) measured 7.9 ms median
// against 0.9 ms for the same frame and file through these calls (.tmp measurement, same
// run). nodejs-polars is pinned (package.json, exact version); tests/pipeline/
// polars-native.test.ts checks that both routes give the same file, so an upgrade that
// moves these calls fails there.
import { createRequire } from 'node:module';

export type NativeSeries = { readonly __native: 'series' };

export type NativeDataFrame = {
  height: number;
  /** Writes the frame to a file; compression as Polars names it ('zstd', 'snappy', …). */
  writeParquet(path: string, compression: string): void;
};

type NativeBinding = {
  JsSeries: {
    newFloat64Array(name: string, values: Float64Array): NativeSeries;
    newBigint64Array(name: string, values: BigInt64Array): NativeSeries;
    newOptStr(name: string, values: (string | null)[]): NativeSeries;
  };
  JsDataFrame: new (columns: NativeSeries[]) => NativeDataFrame;
};

const binding = createRequire(import.meta.url)('nodejs-polars/bin/native-polars.js') as NativeBinding;

export const float64Series = (name: string, values: Float64Array): NativeSeries => binding.JsSeries.newFloat64Array(name, values);
export const int64Series = (name: string, values: BigInt64Array): NativeSeries => binding.JsSeries.newBigint64Array(name, values);
export const stringSeries = (name: string, values: string[]): NativeSeries => binding.JsSeries.newOptStr(name, values);
/** A String column holding `value` `rows` times. */
export const constantStringSeries = (name: string, value: string, rows: number): NativeSeries =>
  binding.JsSeries.newOptStr(name, new Array<string>(rows).fill(value));

export const nativeDataFrame = (columns: NativeSeries[]): NativeDataFrame => new binding.JsDataFrame(columns);
