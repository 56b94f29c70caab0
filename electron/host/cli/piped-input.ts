// `gex-desk ingest -`: a chain piped in (`curl … | gex-desk ingest -`). The engine takes a
// file by its path — its staging captures the bytes from there — so the piped bytes are
// kept in a file of their own, in a private folder of this command's, for the command's
// life (the staged copy outlives it). No more is kept than a file may hold
// (limits.maxFileBytes): a pipe that goes on past it (an endless one, a wrong URL's
// stream) is refused there, FILE_TOO_LARGE, and its partial copy removed, before it can
// fill the temporary disk; a temporary disk that fills first is said as such (IO, exit
// 3). `--manifest -` and a rule file `-`: text piped in.
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byteSize } from '../../../shared/bytes.ts';
import { err, ok, type Result, messageOf } from '../../../shared/result.ts';
import { UsageError } from './io.ts';

export interface PipedFile {
  path: string;
  remove(): void;
}

type Stdin = NodeJS.ReadableStream & { isTTY?: boolean };

/** How the chain piped in is named in messages, as its lines name it `-`. */
export const PIPED_NAME = 'the chain piped in';

/** A terminal pipes nothing in: `instead` says what to give then. */
function mustBePiped(stdin: Stdin, usage: string, instead: string): void {
  if (stdin.isTTY) throw new UsageError(`${usage}: nothing is piped in; ${instead}`);
}

/**
 * The chain piped in, kept in a temporary file of at most `maxBytes`: read no further than
 * one byte past it (then FILE_TOO_LARGE); IO when it cannot be kept (the temporary disk
 * full, its folder missing or not writable), naming the folder. The errors name no file:
 * the chain's line is `-`.
 */
export async function pipedFile(
  maxBytes: number,
  stdin: Stdin = process.stdin,
): Promise<Result<PipedFile>> {
  mustBePiped(stdin, 'ingest -', 'give a FILE, or pipe a chain in (curl … | gex-desk ingest -)');
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), 'gex-desk-stdin-'));
  } catch (e) {
    return cannotKeep(join(tmpdir(), 'gex-desk-stdin-…'), e);
  }
  const remove = () => rmSync(dir, { recursive: true, force: true });
  // Also when the command ends on an interrupt (process.exit).
  process.once('exit', remove);
  const path = join(dir, 'stdin');
  let size = 0;
  let stage = 'write';
  try {
    const fh = await open(path, 'w', 0o600);
    try {
      stage = 'read';
      for await (const piece of stdin) {
        const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as string);
        if (size + chunk.length > maxBytes) {
          // Leaving the loop destroys stdin: the writer of the pipe gets EPIPE, and stops.
          remove();
          return err(
            'FILE_TOO_LARGE',
            `${PIPED_NAME} is larger than the limit of ${byteSize(maxBytes)} (setting limits.maxFileBytes): it was read no further, and nothing of it was kept`,
          );
        }
        stage = 'write';
        for (let at = 0; at < chunk.length;) {
          const { bytesWritten } = await fh.write(chunk, at, chunk.length - at);
          if (bytesWritten <= 0)
            throw Object.assign(new Error('no byte written'), { code: 'ENOSPC' } as const);
          at += bytesWritten;
        }
        size += chunk.length;
        stage = 'read';
      }
    } finally {
      await fh.close().catch(() => undefined);
    }
  } catch (e) {
    remove();
    if (stage === 'read') return err('IO', `${PIPED_NAME} could not be read: ${messageOf(e)}`);
    return cannotKeep(dir, e);
  }
  return ok({ path, remove });
}

/** IO: the chain piped in could not be kept in its temporary copy in `dir`. */
function cannotKeep(dir: string, e: unknown): Result<never> {
  const code = (e as NodeJS.ErrnoException)?.code;
  const detail = messageOf(e);
  const full = code === 'ENOSPC' || code === 'EDQUOT';
  return err(
    'IO',
    full
      ? `the disk is full: ${PIPED_NAME} could not be kept in its temporary copy in ${dir}; free some space there, or set TMPDIR to a folder on another disk, then pipe it again (${detail})`
      : `${PIPED_NAME} could not be kept in a temporary copy in ${dir} (${detail}); set TMPDIR to a folder this user can write`,
    full ? { transient: true } : {},
  );
}

/**
 * Text piped in: `usage` is what was asked for (`ingest --manifest -`), `instead` what to
 * give when nothing is piped.
 */
export async function pipedText(
  usage: string,
  instead: string,
  stdin: Stdin = process.stdin,
): Promise<string> {
  mustBePiped(stdin, usage, instead);
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
