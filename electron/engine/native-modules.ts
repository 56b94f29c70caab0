// The native packages, DuckDB's node-api and nodejs-polars (and Polars' bare binding),
// loaded with `require` when first used, all here. Both are CommonJS; imported from an ES
// module, Node first parses each with cjs-module-lexer to find its named exports (for
// DuckDB's node-api, every file its index re-exports), which doubled their load time on
// this machine: DuckDB 170 → 85 ms, nodejs-polars 66–131 → 34 ms (docs/performance.md).
// That is paid by every cold command and every worker's start. The types are the
// packages' own.
import { createRequire } from 'node:module';

export type DuckDB = typeof import('@duckdb/node-api');
export type Polars = typeof import('nodejs-polars').default;

// Not named `require`: electron-vite's ES-module shim declares that name in the bundle.
const load = createRequire(import.meta.url);
let duckdb: DuckDB | null = null;
let pl: Polars | null = null;

export const loadDuckDB = (): DuckDB => (duckdb ??= load('@duckdb/node-api') as DuckDB);
/** Only some readers and views need it (a long-format Parquet file, an attached export folder). */
export const polars = (): Polars => (pl ??= load('nodejs-polars') as Polars);
/** nodejs-polars' native binding alone, untyped: pipeline/polars-native.ts types the calls it makes. */
export const polarsBinding = (): unknown => load('nodejs-polars/bin/native-polars.js');
