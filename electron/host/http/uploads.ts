// The browser host's upload folder. A browser has no paths, so a chosen or dropped file
// is streamed here first and gets an opaque id; `ingest:submit {upload: id}` then names
// it, and only this module turns an id into a path (checked to be a plain file inside
// the folder). The folder is bounded — a size limit per upload, a quota of bytes and of
// files, a limit on uploads in flight — and cleans itself: an upload goes when its job
// ends (the engine staged its bytes at submission), at once when its submission made no
// job, after a short while when it is never submitted, and everything left over from an
// earlier run is swept at start.
import { createWriteStream, lstatSync, realpathSync } from 'node:fs';
import { lstat, mkdir, readdir, rm, unlink } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { basename, extname, join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { SubmitAck, UploadReceipt } from '../../../shared/api.ts';
import { TERMINAL_STATUSES, type ProcessingJob } from '../../../shared/domain.ts';
import { byteSize, byteSizesApart } from '../../../shared/bytes.ts';
import { err, ok, type Err, type Result } from '../../../shared/result.ts';
import type { Logger } from '../../engine/log.ts';
import type { UploadResolver } from '../handlers.ts';
import { isDiskFull } from '../../engine/disk-full.ts';
import { privateDir, PRIVATE_DIR, PRIVATE_FILE } from '../../engine/private-files.ts';
import { echoed } from '../../../shared/visible.ts';

export interface UploadLimits {
  /** Largest single upload, bytes. */
  maxBytes: number;
  /** The setting that makes `maxBytes` what it is, named when an upload is refused for it. */
  maxBytesSetting?: string;
  /** All uploads in the folder together, bytes (those still arriving included). */
  quotaBytes: number;
  /** Uploads in the folder at once. */
  quotaCount: number;
  /** Uploads arriving at once. */
  maxInFlight: number;
  /** An upload never submitted is deleted after this long. */
  unsubmittedMs: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxBytes: 512 * 1024 * 1024,
  quotaBytes: 2 * 1024 * 1024 * 1024,
  quotaCount: 1000,
  maxInFlight: 4,
  unsubmittedMs: 10 * 60_000,
};

type State = 'receiving' | 'ready' | 'taken' | 'submitted';
interface Upload {
  id: string;
  dir: string;
  path: string;
  name: string;
  bytes: number;
  state: State;
  timer: NodeJS.Timeout | null;
}

/** Ended jobs remembered for an acknowledgement that arrives after its job has ended. */
const RECENTLY_ENDED = 1000;
const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Longest name kept, in UTF-8 bytes (file systems allow 255). */
const MAX_NAME_BYTES = 200;

/**
 * A file name safe to keep on disk on every system, and otherwise the analyst's own (the
 * queue, the drawer and `gex-desk jobs` show it): its last component; only what a file
 * system refuses or misreads is replaced — control and invisible format characters (a
 * right-to-left override would disguise the name), and `< > : " / \ | ? *` (Windows) —
 * so that "IWM export — final, v2.csv" stays as it was named. A leading dot (hidden), a
 * trailing dot or space (Windows drops them) and Windows's device names (CON, NUL, …) are
 * made harmless; a name too long is cut in its stem, keeping its extension.
 */
export function safeFileName(name: string): string {
  let base = basename(name.normalize('NFC').replaceAll('\\', '/'))
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}<>:"/\\|?*]/gu, '_')
    .replace(/^\.+/, '_')
    .replace(/[. ]+$/, (tail) => '_'.repeat(tail.length));
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(base)) base = `_${base}`;
  base ||= 'upload';
  const ext = extname(base);
  const keep = Buffer.byteLength(ext) <= 16 && ext !== base ? ext : '';
  const stem = [...base.slice(0, base.length - keep.length)];
  while (Buffer.byteLength(stem.join('') + keep) > MAX_NAME_BYTES) stem.pop();
  return stem.join('') + keep;
}

/** An upload stopped because it broke a limit; carries the answer for the page. */
class Refused extends Error {
  readonly result: Err;
  constructor(result: Err) {
    super(result.error.message);
    this.result = result;
  }
}

export class UploadFolder implements UploadResolver {
  readonly dir: string;
  readonly limits: UploadLimits;
  #log: Pick<Logger, 'info' | 'warn'> | undefined;
  #uploads = new Map<string, Upload>();
  #byJob = new Map<string, string>();
  #ended = new Set<string>();
  #bytes = 0;
  #inFlight = 0;
  #closed = false;

  private constructor(dir: string, limits: UploadLimits, log?: Pick<Logger, 'info' | 'warn'>) {
    this.dir = dir;
    this.limits = limits;
    this.#log = log;
  }

  /** Creates the folder (a link in its place is replaced) and sweeps what an earlier run left. */
  static async open(
    dir: string,
    limits: Partial<UploadLimits> = {},
    log?: Pick<Logger, 'info' | 'warn'>,
  ): Promise<UploadFolder> {
    const info = await lstat(dir).catch(() => null);
    if (info && !info.isDirectory()) await unlink(dir);
    // Each missing folder in turn: a read-only data folder says EROFS, not ENOENT.
    privateDir(dir);
    const left = await readdir(dir);
    await Promise.all(left.map((name) => rm(join(dir, name), { recursive: true, force: true })));
    if (left.length > 0) log?.info('uploads.swept', { removed: left.length });
    return new UploadFolder(realpathSync(dir), { ...DEFAULT_UPLOAD_LIMITS, ...limits }, log);
  }

  /** Bytes and files in the folder, and uploads arriving. */
  get usage(): { bytes: number; count: number; inFlight: number } {
    return { bytes: this.#bytes, count: this.#uploads.size, inFlight: this.#inFlight };
  }

  /** Streams one upload to disk, within the limits; `declared` is its Content-Length when sent. */
  async receive(
    fileName: string,
    declared: number | undefined,
    body: AsyncIterable<Buffer>,
  ): Promise<Result<UploadReceipt>> {
    const name = safeFileName(fileName);
    const { maxBytes, quotaBytes, quotaCount, maxInFlight } = this.limits;
    if (this.#closed) return err('SHUTTING_DOWN', 'The browser host is shutting down.');
    if (this.#inFlight >= maxInFlight) {
      return err(
        'QUOTA_EXCEEDED',
        `${name}: ${maxInFlight} uploads are already arriving; send it once one has finished.`,
        { file: name },
      );
    }
    if (this.#uploads.size >= quotaCount) {
      return err(
        'QUOTA_EXCEEDED',
        `${name}: ${quotaCount} uploads are waiting for their jobs; send it once some have finished.`,
        { file: name },
      );
    }
    if (declared !== undefined && declared > maxBytes) {
      const [size, limit] = byteSizesApart(declared, maxBytes);
      return err(
        'FILE_TOO_LARGE',
        `${name}: ${size} is more than the ${limit} upload limit${this.#setting()}.`,
        { file: name },
      );
    }
    if (declared !== undefined && this.#bytes + declared > quotaBytes) return this.#overQuota(name);

    const upload: Upload = {
      id: randomUUID(),
      dir: '',
      path: '',
      name,
      bytes: 0,
      state: 'receiving',
      timer: null,
    };
    upload.dir = join(this.dir, upload.id);
    upload.path = join(upload.dir, name);
    this.#uploads.set(upload.id, upload);
    this.#inFlight++;
    try {
      await mkdir(upload.dir, { mode: PRIVATE_DIR });
      await pipeline(
        body,
        (source: AsyncIterable<Buffer>) => this.#counted(source, upload),
        createWriteStream(upload.path, { flags: 'wx', mode: PRIVATE_FILE }),
      );
    } catch (e) {
      this.#delete(upload);
      if (e instanceof Refused) return e.result;
      // The reason stays in the log: a message for the page must not show the host's paths.
      this.#log?.warn('uploads.failed', { upload: upload.id, error: String(e) });
      if (isDiskFull(e))
        return err(
          'IO',
          `${name}: the disk on the engine's machine is full: the upload could not be stored; free some space there, then send it again.`,
          { file: name, transient: true },
        );
      return err(
        'IO',
        `${name}: the upload did not complete (${(e as NodeJS.ErrnoException).code ?? 'connection closed'}).`,
        { file: name },
      );
    } finally {
      this.#inFlight--;
    }
    if (this.#closed) {
      this.#delete(upload);
      return err('SHUTTING_DOWN', 'The browser host is shutting down.');
    }
    upload.state = 'ready';
    upload.timer = setTimeout(() => this.#delete(upload), this.limits.unsubmittedMs);
    upload.timer.unref();
    return ok({ upload: upload.id, name, bytes: upload.bytes, path: upload.path });
  }

  /**
   * The stored file of a ready upload, once: it is then the submission's. Checked again
   * here, not trusted from the map: a plain file (no link) whose real path lies in the
   * folder.
   */
  async take(id: string): Promise<Result<{ path: string; name: string }>> {
    const shown = echoed(id);
    const upload = UPLOAD_ID.test(id) ? this.#uploads.get(id) : undefined;
    if (!upload || upload.state !== 'ready') {
      return err(
        'NOT_FOUND',
        `There is no upload ${shown} waiting to be submitted (an upload is submitted once, within ${Math.round(this.limits.unsubmittedMs / 60_000)} minutes).`,
        { field: 'upload' },
      );
    }
    if (!this.#inside(upload.path)) {
      this.#delete(upload);
      return err(
        'INVALID_REQUEST',
        `The upload ${shown} is no longer a plain file in the upload folder.`,
        { field: 'upload' },
      );
    }
    upload.state = 'taken';
    if (upload.timer) clearTimeout(upload.timer);
    upload.timer = null;
    return ok({ path: upload.path, name: upload.name });
  }

  /** The submission of a taken upload ended: keep its file while its job runs, else delete it. */
  submitted(id: string, ack: Result<SubmitAck>): void {
    const upload = this.#uploads.get(id);
    if (!upload) return;
    const jobId =
      ack.ok && (ack.value.status === 'queued' || ack.value.status === 'deciding')
        ? ack.value.job_id
        : null;
    if (!jobId || this.#ended.has(jobId)) return this.#delete(upload);
    upload.state = 'submitted';
    this.#byJob.set(jobId, id);
  }

  /** Follows every `job:updated`: the upload of a job that has ended goes. */
  onJobUpdated(job: ProcessingJob): void {
    if (!TERMINAL_STATUSES.has(job.status)) return;
    const id = this.#byJob.get(job.id);
    if (id !== undefined) {
      this.#byJob.delete(job.id);
      const upload = this.#uploads.get(id);
      if (upload) this.#delete(upload);
      return;
    }
    this.#ended.add(job.id);
    if (this.#ended.size > RECENTLY_ENDED) this.#ended.delete(this.#ended.values().next().value!);
  }

  /** Stops accepting and timers; files still held are swept at the next start. */
  close(): void {
    this.#closed = true;
    for (const u of this.#uploads.values()) if (u.timer) clearTimeout(u.timer);
  }

  #inside(path: string): boolean {
    if (path.split(sep).includes('..')) return false;
    try {
      const info = lstatSync(path);
      return (
        info.isFile() && !info.isSymbolicLink() && realpathSync(path).startsWith(this.dir + sep)
      );
    } catch {
      return false;
    }
  }

  /** Which setting to change for a larger upload, when the starter said. */
  #setting(): string {
    const { maxBytesSetting } = this.limits;
    return maxBytesSetting ? ` (setting ${maxBytesSetting})` : '';
  }

  /** Passes the body through, counting it against the upload's limit and the folder's quota. */
  async *#counted(source: AsyncIterable<Buffer>, upload: Upload): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      upload.bytes += chunk.length;
      this.#bytes += chunk.length;
      if (upload.bytes > this.limits.maxBytes) {
        throw new Refused(
          err(
            'FILE_TOO_LARGE',
            `${upload.name}: more than the ${byteSize(this.limits.maxBytes)} upload limit${this.#setting()}.`,
            { file: upload.name },
          ),
        );
      }
      if (this.#bytes > this.limits.quotaBytes) throw new Refused(this.#overQuota(upload.name));
      yield chunk;
    }
  }

  #overQuota(name: string): Err {
    const { quotaBytes } = this.limits;
    return err(
      'FILE_TOO_LARGE',
      `${name}: the upload folder's quota (${byteSize(quotaBytes)}) is full with files waiting for their jobs; send it once some have finished.`,
      { file: name },
    );
  }

  #delete(upload: Upload): void {
    if (this.#uploads.get(upload.id) !== upload) return;
    this.#uploads.delete(upload.id);
    this.#bytes -= upload.bytes;
    if (upload.timer) clearTimeout(upload.timer);
    rm(upload.dir, { recursive: true, force: true }).catch((e: unknown) =>
      this.#log?.warn('uploads.delete_failed', { upload: upload.id, error: String(e) }),
    );
  }
}
