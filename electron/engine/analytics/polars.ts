// nodejs-polars, loaded on first use: only reading an attached export folder needs it in
// the engine's process, and loading it costs about 0.4 s that every command would pay.
export type Polars = typeof import('nodejs-polars').default;

let loaded: Promise<Polars> | null = null;
export const polars = (): Promise<Polars> =>
  (loaded ??= import('nodejs-polars').then((m) => m.default));
