// A snapshot's strike × expiry cells (`snapshots:cells`), declared apart from api.ts to
// keep that file small. Column-wise to stay small for an SPX-size chain: `expiries` by
// date and `strikes` by strike name the axes; cell i is at (expiries[expiry_index[i]],
// strikes[strike_index[i]]). Sparse: only cells with contracts. dex, vex and cex are
// null before schema version 3. Asked with a window (`window_share`), only the cells of
// the strikes within spot ± that share: the window the heatmap draws (strikeWindow, the
// one formula the engine and the charts use), not the whole chain.
import { z } from 'zod';

/**
 * The strikes within spot ± share of it (0.1: ± 10 %), bounds included: the window the
 * snapshot charts start from and the one `snapshots:cells` keeps, computed alike.
 */
export const strikeWindow = (spot: number, share: number) => ({
  lo: spot * (1 - share),
  hi: spot * (1 + share),
});

/** A window around spot, as a share of it each side (more than 0, at most 1). */
export const WindowShare = z.number().gt(0).max(1);

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
  /**
   * The window the cells were kept in (strikes from strike_min to strike_max, included),
   * or null: every cell. `expiries` names every expiry of the snapshot either way.
   */
  window: z
    .object({ share: z.number(), strike_min: z.number(), strike_max: z.number() })
    .nullable(),
});
export type SnapshotCells = z.infer<typeof SnapshotCells>;
