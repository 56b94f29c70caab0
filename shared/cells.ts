// A snapshot's strike × expiry cells (`snapshots:cells`), declared apart from api.ts to
// keep that file small. Column-wise to stay small for an SPX-size chain: `expiries` by
// date and `strikes` by strike name the axes; cell i is at (expiries[expiry_index[i]],
// strikes[strike_index[i]]). Sparse: only cells with contracts. dex, vex and cex are
// null before schema version 3.
import { z } from 'zod';

export const SnapshotCells = z.object({
  id: z.string(),
  expiries: z.array(z.string()),
  strikes: z.array(z.number()),
  expiry_index: z.array(z.number().int()),
  strike_index: z.array(z.number().int()),
  call_gex: z.array(z.number()),
  put_gex: z.array(z.number()),
  net_gex: z.array(z.number()),
  dex: z.array(z.number()).nullable(),
  vex: z.array(z.number()).nullable(),
  cex: z.array(z.number()).nullable(),
  call_open_interest: z.array(z.number()),
  put_open_interest: z.array(z.number()),
});
export type SnapshotCells = z.infer<typeof SnapshotCells>;
