// The files the inbox refused itself, at its door (a symbolic link, a folder whose name
// cannot name a source, a file too deep…): they go to failed/ with a `.reason.txt` like a
// failed job's file, but no job was ever made of them, so neither the Queue nor `jobs`
// knows them (the audit trail has an `inbox` entry of each, with no request: inbox-audit.ts). The notes the inbox keeps tell them apart — a job's note
// names it (`job: <id>`), a refusal's does not — and are what the inbox dialog, the
// status bar and `gex-desk inbox` read them from: how many, and the newest few with why.
import { type Dirent, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { InboxStatus } from '../../../shared/api.ts';
import { isLink } from './inbox-folder.ts';
import { NOTE_KEYS } from './inbox-names.ts';

/** The refusals listed, newest first; the rest are counted only. */
export const REFUSED_LISTED = 20;
/** How deep failed/ is looked into (the inbox's own depth, and its folders kept). */
const MAX_DEPTH = 10;
const NOTE = '.reason.txt';
/** A note's "key: value" line. */
const KEYED = new RegExp(`^(${NOTE_KEYS.join('|')}): `);

/** A note read: whether it names a job, and its first line (the reason). */
interface Read {
  mtimeMs: number;
  size: number;
  job: string | null;
  /** The name it came in with, when it was renamed in failed/ (`dropped_as: <name>`). */
  droppedAs: string | null;
  reason: string;
}

/** Notes read before, by path: read again only once changed (failed/ is listed at every status). */
const cache = new Map<string, Read>();

/** The job a failed file's note names (`job: <id>`), null when none; undefined when it cannot be read. */
export function noteJob(notePath: string): string | null | undefined {
  const read = readNote(notePath);
  return read ? read.job : undefined;
}

/** The name a failed file came in with, when its note says it was renamed; else null. */
export function noteDroppedAs(notePath: string): string | null {
  return readNote(notePath)?.droppedAs ?? null;
}

function readNote(path: string): Read | null {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    cache.delete(path);
    return null;
  }
  if (!st.isFile()) return null;
  const known = cache.get(path);
  if (known && known.mtimeMs === st.mtimeMs && known.size === st.size) return known;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  while (lines.length > 1 && lines.at(-1) === '') lines.pop();
  // The "key: value" lines a script reads are the note's last (reasonNote): read from its
  // end, each key's first there, so that no line of the reason reads as one (a message's
  // following lines are indented, names in it escaped). The reason is all before them, its
  // following lines' indent taken off.
  let end = lines.length;
  while (end > 1 && KEYED.test(lines[end - 1]!)) end--;
  const keyed = new Map<string, string>();
  for (const l of lines.slice(end)) {
    const at = l.indexOf(': ');
    const key = l.slice(0, at);
    if (!keyed.has(key)) keyed.set(key, l.slice(at + 2).trim());
  }
  const field = (key: string): string | null => keyed.get(key) || null;
  const job = field('job');
  const reasonLines = lines
    .slice(0, end)
    .map((l, i) => (i > 0 && l.startsWith('  ') ? l.slice(2) : l));
  const read = {
    mtimeMs: st.mtimeMs,
    size: st.size,
    job,
    droppedAs: field('dropped_as'),
    reason: reasonLines.join('\n').trim(),
  };
  cache.set(path, read);
  return read;
}

/** Whether anything lies at `path`, a link that leads nowhere included. */
export function lexists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The notes under `dir` (paths relative to it). */
function notesUnder(dir: string, rel = '', depth = 0): string[] {
  // A failed/ that is a symbolic link is not walked (inbox-folder.ts linkedFolder).
  if (depth === 0 && isLink(dir)) return [];
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const r = rel ? join(rel, e.name) : e.name;
    if (e.isFile() && e.name.endsWith(NOTE)) out.push(r);
    else if (e.isDirectory() && depth < MAX_DEPTH)
      out.push(...notesUnder(join(dir, e.name), r, depth + 1));
  }
  return out;
}

/**
 * The files in `failedDir` the inbox refused itself: those whose note names no job (a
 * file without its note, or a note without its file, is not one). Newest note first.
 */
export function refusedFiles(failedDir: string, limit = REFUSED_LISTED): InboxStatus['refused'] {
  return notedFiles(failedDir, limit, (read) => !read.job);
}

/** What a note of a file changed in processing/ after it was taken says (inbox.ts #changed). */
export const CHANGED_AFTER_TAKEN = 'changed in processing/ after it was taken';

/**
 * The files in `failedDir` changed in processing/ after they were taken: their jobs
 * completed (on the bytes taken), so the Queue's Failed tab does not list them. Newest first.
 */
export function changedFiles(failedDir: string, limit = REFUSED_LISTED): InboxStatus['changed'] {
  return notedFiles(
    failedDir,
    limit,
    (read) =>
      !!read.job &&
      read.reason.startsWith('FILE_CHANGED') &&
      read.reason.includes(CHANGED_AFTER_TAKEN),
  );
}

function notedFiles(
  failedDir: string,
  limit: number,
  keep: (read: Read) => boolean,
): InboxStatus['refused'] {
  const found: { file: string; reason: string; at: number }[] = [];
  for (const note of notesUnder(failedDir)) {
    const path = join(failedDir, note);
    const file = path.slice(0, -NOTE.length);
    if (!lexists(file)) continue;
    const read = readNote(path);
    if (!read || !keep(read)) continue;
    found.push({ file: relative(failedDir, file), reason: read.reason, at: read.mtimeMs });
  }
  found.sort((a, b) => b.at - a.at || a.file.localeCompare(b.file));
  return {
    count: found.length,
    recent: found
      .slice(0, limit)
      .map((f) => ({ file: f.file, reason: f.reason, at: new Date(f.at).toISOString() })),
  };
}
