// What a submission is and what the engine answers: the request naming one file (a path
// or a browser upload), the upload's receipt, the acknowledgement once the request is
// stored, and the stored request with the facts its level was decided on (`requests:get`).
import { z } from 'zod';
import { Decision, IsoTimestamp, PriorityLevel, PriorityRequest } from '../domain.ts';
import { AppError } from '../result.ts';
import { AuthorName } from './author.ts';
import { Id } from './id.ts';
import { blank, hiddenRefusal } from '../visible.ts';
import { limitedText } from './free-text.ts';

/** G1: a manual priority needs a justification that is not blank. */
export const justified = (r: { requested_priority?: unknown; justification?: string }) =>
  !r.requested_priority || !blank(r.justification);

/**
 * A data source as a request or a look-up names it, the one reading of a name wherever it
 * enters (`--source`, a manifest's `source`, a submission or upload, `sources set/clear`,
 * `jobs --source`): " vendor " is the source "vendor", and a name is taken in Unicode's
 * composed form (NFC), so a "Zürich" typed or copied on a Mac (u + U+0308) is the same
 * source as one typed elsewhere; a blank one is none, nor is one holding control or format
 * characters (an escape sequence acting on a terminal, U+202E reversing what follows, a
 * zero-width space making a look-alike).
 */
export const SourceName = z
  .string()
  .transform((s) => normalSourceName(s))
  .pipe(
    z
      .string()
      .min(1, 'a source needs a name that is not blank')
      .superRefine((s, ctx) => {
        const why = hiddenRefusal('a source name', s);
        if (why) ctx.addIssue({ code: 'custom', message: why });
        else if (blank(s))
          ctx.addIssue({
            code: 'custom',
            message: 'a source needs a name that is not blank (it holds no letter, digit or sign)',
          });
      }),
  );

/**
 * The longest source a look-up asks for (`audit:list`'s `source`, an address's
 * `?source=`): a name is not checked against SourceName there, since a source an earlier
 * version stored (before names were checked) must stay reachable, but a longer text is
 * no source's name and is never asked.
 */
export const SOURCE_LOOKUP_MAX = 500;

/** A source name as SourceName reads it: trimmed, in NFC. */
export const normalSourceName = (s: string): string => s.normalize('NFC').trim();

/** The source of the files dropped straight into the inbox: the inbox's alone. */
export const INBOX_SOURCE = 'inbox';

/** The prefix of the inbox's folder sources (`inbox/acme`): the inbox's alone. */
export const INBOX_FOLDER_PREFIX = 'inbox/';

/**
 * Whether a source name (as SourceName reads it) is the inbox's: `inbox`, or one beginning
 * `inbox/`, in any letter case, since `INBOX` or `Inbox/acme` given by another channel
 * would read as the inbox's own (the Sources view's filter and order ignore case).
 */
export const reservedForInbox = (s: string): boolean => {
  const lower = s.toLowerCase();
  return lower === INBOX_SOURCE || lower.startsWith(INBOX_FOLDER_PREFIX);
};

/** Why a source given with a request cannot be: it names the inbox's own. */
export const INBOX_SOURCE_REFUSED =
  'the sources "inbox" and the names beginning "inbox/", in any letter case, are reserved for the watched inbox (a file dropped straight into it has the source inbox, one in its folder acme/ the source inbox/acme), so that nothing but its files counts in their records: name the source otherwise (acme, not inbox/acme), or drop the file into the inbox';

/**
 * A source a request gives (CLI, manifest, desktop, browser, the API): as SourceName, but
 * never the inbox's (reservedForInbox), which only the inbox gives its files, so that no
 * other channel's requests count in (or take over, or pass for) the inbox's records (G4).
 * A look-up (`jobs --source`, `sources set/clear`) reads SourceName: it names any stored
 * source, also one an earlier version took with such a name.
 */
export const GivenSourceName = SourceName.refine((s) => !reservedForInbox(s), INBOX_SOURCE_REFUSED);

/**
 * A request to ingest one file, named in exactly one way: `file`, a path on the engine's
 * machine (desktop drop, CLI, inbox), or `upload`, the id the browser host gave an
 * uploaded file. Each transport accepts only its own (electron/host/handlers.ts): the
 * browser host never takes a path, the desktop app never an upload.
 */
export const SubmitRequest = z
  .strictObject({
    file: z.string().min(1).optional(),
    upload: Id.optional(),
    source: GivenSourceName.default('manual'),
    requested_priority: PriorityLevel.optional(),
    justification: limitedText('a justification').optional(),
    author: AuthorName.optional(),
    /**
     * The command line's own (local transport only): the request's id, chosen by the
     * command, so that it can find the request again when the engine went away before
     * answering; and its arrival when it came before the submission (the command was
     * given the file, then waited for the database), which the engine takes as the
     * request's `now` and the start of its waits (never later than its own clock, nor
     * earlier than an arrival it has already taken).
     */
    request_id: z.uuid().optional(),
    arrived_at: IsoTimestamp.optional(),
    /**
     * The command line's own: the file as the analyst gave it, when `file` is only this
     * command's temporary copy (`-`, a chain piped in, kept in a file deleted when the
     * command ends). The request, its job and their audit entries name this; the bytes are
     * read from `file`. The browser host gives it too, for an upload: the file's own name
     * (`spx quotes.csv`, no folder), its stored copy deleted when the job ends; a page
     * gives none.
     */
    given_as: z.string().min(1).optional(),
  })
  .refine((r) => (r.file === undefined) !== (r.upload === undefined), {
    message: 'name the file in exactly one way: `file` (a path) or `upload` (an upload id)',
    path: ['file'],
  })
  .refine(justified, {
    message: 'a manual priority needs a justification',
    path: ['justification'],
  });
export type SubmitRequest = z.infer<typeof SubmitRequest>;
/** What the engine is handed: a path, an upload already resolved to its stored file. */
export type FileSubmitRequest = Omit<SubmitRequest, 'upload'> & { file: string };

/**
 * The browser host's answer to an upload: the id to submit it with (`{upload}`), and
 * where it keeps the file, so that the page can show errors that name the stored file
 * with the user's own file name.
 */
export const UploadReceipt = z.object({
  upload: z.string(),
  name: z.string(),
  bytes: z.number().int(),
  path: z.string(),
});
export type UploadReceipt = z.infer<typeof UploadReceipt>;

/** The engine's answer once a request is stored (or refused). */
export const SubmitAck = z.object({
  request_id: z.string(),
  job_id: z.string().nullable(),
  /**
   * `queued`: decided at arrival; `deciding`: staged and stored, its level decided once its
   * facts are read; `duplicate`: the content is already a snapshot; `failed`: the file
   * could not be read (the job is stored as failed); `rejected`: invalid request, nothing
   * stored but the audit entry.
   */
  status: z.enum(['queued', 'deciding', 'duplicate', 'failed', 'rejected']),
  decision: Decision.nullable(),
  snapshot_id: z.string().nullable(),
  error: AppError.nullable(),
});
export type SubmitAck = z.infer<typeof SubmitAck>;

/** What a request's `gex_change` was computed against (the intake memory's previous). */
export const GexChangeBase = z.object({
  request_id: z.string().nullable(),
  snapshot_id: z.string().nullable(),
  total_gex: z.number(),
});
export type GexChangeBase = z.infer<typeof GexChangeBase>;

/** A stored request with the facts its decision was made from (as they were at arrival). */
export const RequestRecord = PriorityRequest.extend({
  /** The given facts; null when the file could not be read. */
  facts: z.record(z.string(), z.unknown()).nullable(),
  /** The facts the rule set derived from them (age_s, freshness, …). */
  derived: z.record(z.string(), z.unknown()).nullable(),
  /** Facts not known when the level was decided (decided at arrival, before the file was read). */
  unknown: z.array(z.string()).nullable().default(null),
  /**
   * What `gex_change` was computed against: the previous request of the underlying (its
   * file read) or a stored snapshot, with its total GEX; null when there was none (news);
   * absent while gex_change is unknown, and for requests decided before 2026-12-07.
   */
  gex_change_compared_with: GexChangeBase.nullable().optional(),
});
export type RequestRecord = z.infer<typeof RequestRecord>;
