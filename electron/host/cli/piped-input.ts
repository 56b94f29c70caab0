// `gex-desk ingest -`: a chain piped in (`curl … | gex-desk ingest -`). The engine takes a
// file by its path — its staging captures the bytes from there — so the piped bytes are
// kept in a file of their own, in a private folder of this command's, for the command's
// life (the staged copy outlives it). `--manifest -` and a rule file `-`: text piped in.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UsageError } from './io.ts';

export interface PipedFile {
  path: string;
  remove(): void;
}

type Stdin = NodeJS.ReadableStream & { isTTY?: boolean };

/** A terminal pipes nothing in: `instead` says what to give then. */
function mustBePiped(stdin: Stdin, usage: string, instead: string): void {
  if (stdin.isTTY) throw new UsageError(`${usage}: nothing is piped in; ${instead}`);
}

export async function pipedFile(stdin: Stdin = process.stdin): Promise<PipedFile> {
  mustBePiped(stdin, 'ingest -', 'give a FILE, or pipe a chain in (curl … | gex-desk ingest -)');
  const dir = mkdtempSync(join(tmpdir(), 'gex-desk-stdin-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  // Also when the command ends on an interrupt (process.exit).
  process.once('exit', remove);
  const path = join(dir, 'stdin');
  try {
    await pipeline(stdin, createWriteStream(path));
  } catch (e) {
    remove();
    throw e;
  }
  return { path, remove };
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
