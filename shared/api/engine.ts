// The engine's own state: its health (where its files are, which transport answers) and
// the watched inbox's folders and counts.
import { z } from 'zod';
import { GexConventions, IsoTimestamp } from '../domain.ts';

export const Health = z.object({
  ok: z.boolean(),
  db_path: z.string(),
  data_dir: z.string(),
  inbox: z.string(),
  workers: z.number().int(),
  rule_version: z.number().int().nullable(),
  started_at: IsoTimestamp,
  /** `local`: the command line's endpoint beside a running engine (a Unix socket or named pipe). */
  transport: z.enum(['ipc', 'http', 'local']),
  /** Final job states whose write failed and is being retried (a full disk, say). */
  pending_final_writes: z.number().int().default(0),
  /** Why `ok` is false, in words (the database failed: a full disk, say). */
  problem: z.string().optional(),
  /** The conventions it computes with (read with its config, at its start). */
  conventions: GexConventions.optional(),
});

/** The watched inbox: its folders, how many files ended in each, and whether it is watched. */
/**
 * Files put back into the inbox after a refusal that was the machine's, not theirs (a full
 * disk): `count` of them, the latest refusal's `reason`, and when the next is tried again.
 */
export const HeldFiles = z.object({
  count: z.number().int(),
  reason: z.string(),
  retry_at: z.string(),
});
export type HeldFiles = z.infer<typeof HeldFiles>;

export const InboxFrom = z.enum(['config', 'env', 'default']);
export type InboxFrom = z.infer<typeof InboxFrom>;

/** Files lying in failed/ beside their notes: how many, and the newest few with each reason. */
export const FailedNotes = z
  .object({
    count: z.number().int(),
    recent: z.array(z.object({ file: z.string(), reason: z.string(), at: z.string() })),
  })
  .default({ count: 0, recent: [] });
export type FailedNotes = z.infer<typeof FailedNotes>;

export const InboxStatus = z.object({
  dir: z.string(),
  processing: z.string(),
  done: z.string(),
  failed: z.string(),
  /**
   * Files in each folder now (a symbolic link refused into failed/ is one; the `.reason.txt`
   * beside each failed file is not); `waiting`: dropped in, not taken yet; `done`: those a
   * job names, which GEX Desk moved there (a file put into done/ by hand is not counted).
   * A folder that is a symbolic link holds none: it is never followed (`problem` says it).
   */
  counts: z.object({
    waiting: z.number().int().default(0),
    processing: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
  }),
  /**
   * Of the files in failed/, those the inbox refused itself, at its door (a symbolic link, a
   * folder whose name cannot name a source…): no job was made of them, so the Queue does
   * not list them. Told from a job's file by its note, which names no job; `recent`: the
   * newest few (REFUSED_LISTED), each with its path in failed/ and its note's reason.
   */
  refused: FailedNotes,
  /**
   * Of the files in failed/, those changed in processing/ after they were taken (emptied,
   * overwritten): their jobs completed on the bytes taken, so the Queue's Failed tab does not
   * list them. Told by their note (a job's, its reason "… changed in processing/ after it
   * was taken"); `recent` as for `refused`.
   */
  changed: FailedNotes,
  /** Files held in the inbox for the machine's sake (HeldFiles); null when none. */
  held: HeldFiles.nullable().default(null),
  /**
   * What keeps the watched folder from taking files (a share gone, a read-only folder, files it
   * may not move or read), in words; null when nothing does.
   */
  problem: z.string().nullable().default(null),
  /**
   * Whether the files waiting are taken (by the running engine, or once one runs): false
   * when the problem stops every file (the folder unreadable or read-only, or GEX Desk's
   * own); true when it concerns some files only (too deep, not movable), and when none.
   */
  takes: z.boolean().default(true),
  /**
   * The problem's stable code, where one is given: `NOT_ANSWERING`, the folder lies on a file
   * system that can stall (a network share) and did not answer a look within 3 s — nothing is
   * taken from it or moved in it, its counts are not read now (see `counts_as_of`), and it is
   * looked at again every few seconds (the field goes once it answers). Absent otherwise,
   * and from an older engine.
   */
  problem_code: z.string().optional(),
  /**
   * Set only while the folder does not answer (NOT_ANSWERING): when the `counts` shown were
   * read (ISO 8601), the last time it answered; null when they never were (this process has
   * not read them: the counts are 0 and mean unknown). Absent when the counts are read now.
   */
  counts_as_of: z.string().nullable().optional(),
  /**
   * Files dropped into the folder watched before the last change (inbox:set) and not taken
   * by then — still being written, or held, or lying more than 8 folders deep, or a symbolic
   * link — which no inbox takes now: where, and how many are still there (`count`, all of
   * them); of those, the files too deep to be taken from any folder so deep (`too_deep`: how
   * many, and the first deep folder, relative to `dir`) and the symbolic links (`links`),
   * absent when none; null when none at all.
   */
  left_behind: z
    .object({
      dir: z.string(),
      count: z.number().int(),
      too_deep: z.object({ count: z.number().int(), first: z.string() }).optional(),
      links: z.number().int().optional(),
    })
    .nullable()
    .default(null),
  /** False where no engine watches it (a one-shot command, or the folder could not be made). */
  watching: z.boolean(),
  /**
   * Where `inbox:set` keeps the choice (config.json in the per-user folder, or GEX_DESK_CONFIG),
   * whether or not it exists; the folder comes from it only when `from` is `config`.
   */
  config_file: z.string(),
  /**
   * Where the folder came from, by the configuration's precedence: the config file's `inbox`
   * (or `inbox:set`), GEX_DESK_INBOX, or the default (`inbox/` beside the database). Absent
   * from an older engine, and for a folder its starter named otherwise.
   */
  from: InboxFrom.optional(),
});
export type InboxStatus = z.infer<typeof InboxStatus>;
