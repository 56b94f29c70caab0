// Export files a removal (snapshots:remove, snapshots:prune) left on disk, and where. A
// removal deletes only files under the data folder in use: a database copied with its
// data folder names the other desk's folder in its stored paths, and deleting there would
// take that desk's files. But files left under the stored path are still snapshots to a
// desk attaching that folder, so the command, its --json and the app say which they are.
import { z } from 'zod';

export const LeftExports = z.object({
  /** The export folder (a data folder) the files lie in. */
  folder: z.string(),
  /**
   * `outside`: the folder the snapshot was exported to is not the data folder in use, so
   * nothing there was touched; `not_deleted`: in the data folder in use, but deleting failed.
   */
  reason: z.enum(['outside', 'not_deleted']),
  /** The files' full paths (remove); prune gives their number only. */
  files: z.array(z.string()).optional(),
  count: z.number().int().min(0),
});
export type LeftExports = z.infer<typeof LeftExports>;

const files = (n: number) => `${n} export file${n === 1 ? '' : 's'}`;

/** One sentence per folder, for the command line and the app's status line. */
export function leftExportsText(left: readonly LeftExports[]): string {
  return left
    .map((l) =>
      l.reason === 'outside'
        ? `${files(l.count)} left in ${l.folder}, where the snapshot was exported (not the data folder in use, so not deleted): a desk attaching that folder still sees the snapshot; delete them there if no desk uses them.`
        : `${files(l.count)} could not be deleted in ${l.folder}; delete them by hand.`,
    )
    .join(' ');
}
