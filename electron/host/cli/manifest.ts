// An `ingest --manifest` file (CONTRACTS.md): JSON Lines, one request a line, `at_ms` when
// to submit it. A line that cannot be read is refused at its line (reported as rejected,
// never submitted) and keeps its place among the others. The keys a line takes are
// open to extension, so another key is ignored, with a warning; but one that reads as a
// slip of a key the line lacks (`priority` for `requested_priority`) refuses the line:
// submitted, it would have dropped the analyst's override without a word. A line that
// names no source, level or author of its own takes the command's (`--source`,
// `--priority` with its `--justification`, `--author`). A manifest of no line names no
// file: refused as `ingest` with none is (exit 2).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { GivenSourceName, justified } from '../../../shared/api/ingest.ts';
import { AuthorName } from '../../../shared/api/author.ts';
import { PriorityLevel } from '../../../shared/domain.ts';
import { readError } from '../../engine/read-error.ts';
import { counted, UsageError } from './io.ts';
import type { PlannedRequest } from './ingest-request.ts';
import { nearWord } from '../../../shared/near-words.ts';
import { messageOf } from '../../../shared/result.ts';

const ManifestLine = z.object({
  file: z.string().min(1),
  source: GivenSourceName.optional(),
  // In any case, as --priority takes it ("high").
  requested_priority: z.preprocess(
    (v) => (typeof v === 'string' ? v.toUpperCase() : v),
    PriorityLevel.optional(),
  ),
  justification: z.string().optional(),
  author: AuthorName.optional(),
  at_ms: z.number().nonnegative().default(0),
});
/** A line as it may be submitted: said at its line, not by the engine's refusal without one. */
const ManifestRequest = ManifestLine.refine(justified, {
  message: 'a manual priority (requested_priority) needs a justification that is not blank',
  path: ['justification'],
});

export const MANIFEST_FIELDS = Object.keys(ManifestLine.shape);
const TAKES = `a line takes ${MANIFEST_FIELDS.join(', ')}`;

type Line = Record<string, unknown>;
const isLine = (value: unknown): value is Line =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Why a manifest line's field is refused, in words: a field left out (or misspelt, the
 * usual reason: `"fiel"`) is "missing", with the line's unknown names and the ones a line
 * takes; anything else as zod says it.
 */
function manifestProblem(value: unknown, issue: z.core.$ZodIssue): string {
  const key = issue.path[0];
  if (issue.code === 'custom') return issue.message;
  if (!isLine(value) || typeof key !== 'string' || value[key] !== undefined) return issue.message;
  const unknown = Object.keys(value).filter((k) => !MANIFEST_FIELDS.includes(k));
  return (
    `it is missing` +
    (unknown.length > 0 ? `; this line has ${unknown.map((k) => `"${k}"`).join(', ')},` : ';') +
    ` ${TAKES}`
  );
}

/** The keys of a line no line takes: each with the one it is a slip of, among those the line lacks. */
function unknownKeys(line: Line): { key: string; near: string | undefined }[] {
  const lacking = MANIFEST_FIELDS.filter((f) => line[f] === undefined);
  return Object.keys(line)
    .filter((k) => !MANIFEST_FIELDS.includes(k))
    .map((key) => ({ key, near: nearWord(key, lacking) }));
}

/** A line's own `at_ms`, when it has one that can be read. */
const ownAtMs = (value: unknown): number | undefined =>
  isLine(value) && typeof value.at_ms === 'number' && value.at_ms >= 0 && value.at_ms < Infinity
    ? value.at_ms
    : undefined;

/**
 * The manifest's lines; `piped`: its text, piped in (`--manifest -`), whose relative paths
 * are then relative to the current folder. A refused line is at its own `at_ms` when it
 * has one that can be read, else at the line's before it, so that, sorted by `at_ms`
 * (stably), it is reported where it stands among the others (it was reported at 0:
 * first, before the lines due earlier than it in the file). `warn`: each key no line takes,
 * ignored, once, at the first line that has it.
 */
/**
 * What the command line gives a manifest's lines that say none of their own: its
 * --source, its --priority with its --justification (dropped without a word, the
 * override was not taken for a manifest's lines), its --author.
 */
export type ManifestDefaults = Pick<
  PlannedRequest,
  'source' | 'requested_priority' | 'justification' | 'author'
>;

export function readManifest(
  path: string,
  defaults: ManifestDefaults,
  warn: (text: string) => void,
  piped?: string,
): PlannedRequest[] {
  let text: string;
  try {
    text = piped ?? readFileSync(path, 'utf8');
  } catch (e) {
    const refused = readError(path, e);
    throw new UsageError(`cannot read the manifest: ${refused.ok ? path : refused.error.message}`);
  }
  const name = piped === undefined ? path : '(piped in)';
  const base = piped === undefined ? dirname(resolve(path)) : process.cwd();
  const planned: PlannedRequest[] = [];
  /** The lines with a key no line takes, by key, in the order first met. */
  const ignored = new Map<string, number[]>();
  let previousAtMs = 0;
  // A BOM, as Windows editors save UTF-8, is not part of the first line's JSON.
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      if (!raw.trim()) return;
      let value: unknown;
      /**
       * The line, reported as rejected with why; never submitted. Its line names the file it
       * asked for (a script matches lines by file), else the manifest; the error names the
       * manifest's line.
       */
      const refuse = (message: string, field?: string) => {
        previousAtMs = ownAtMs(value) ?? previousAtMs;
        planned.push({
          file: namedFile(value, base) ?? path,
          source: defaults.source,
          at_ms: previousAtMs,
          invalid: {
            code: 'VALIDATION',
            message: `manifest ${name} line ${i + 1}${message}`,
            ...(field === undefined ? {} : { field }),
            file: path,
            line: i + 1,
          },
        });
      };
      try {
        value = JSON.parse(raw);
      } catch (e) {
        refuse(` is not JSON: ${messageOf(e)}`);
        return;
      }
      const parsed = ManifestRequest.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = issue.path.join('.');
        refuse(`: ${field || 'line'}: ${manifestProblem(value, issue)}`, field);
        return;
      }
      const unknown = unknownKeys(value as Line);
      const slip = unknown.find((u) => u.near !== undefined);
      if (slip) {
        refuse(
          `: ${slip.key}: not a key a line takes (did you mean "${slip.near}"?); ${TAKES}`,
          slip.key,
        );
        return;
      }
      for (const { key } of unknown) ignored.set(key, [...(ignored.get(key) ?? []), i + 1]);
      const m = parsed.data;
      previousAtMs = m.at_ms;
      // A line's own level comes with its own justification; without one, the command's.
      const level =
        m.requested_priority === undefined
          ? {
              requested_priority: defaults.requested_priority,
              justification: defaults.justification,
            }
          : { requested_priority: m.requested_priority, justification: m.justification };
      planned.push({
        file: resolve(base, m.file),
        source: m.source ?? defaults.source,
        ...level,
        author: m.author ?? defaults.author,
        at_ms: m.at_ms,
      });
    });
  // No line at all (an empty file, blank lines: a generator upstream that failed) asks for
  // nothing, as `ingest` with no file does: a usage error, never a silent exit 0.
  if (planned.length === 0)
    throw new UsageError(
      `the manifest ${name} names no files: it has no request lines (JSON Lines, one request a line: {"file": "…"})`,
    );
  for (const [key, lines] of ignored)
    warn(
      `gex-desk: manifest ${name} line ${lines[0]}: "${key}" is not a key a line takes, ignored` +
        `${lines.length > 1 ? ` (on ${counted(lines.length, 'line')})` : ''}; ${TAKES}`,
    );
  return planned;
}

/** The file a manifest line names, resolved as a valid line's is; undefined when it names none. */
function namedFile(value: unknown, base: string): string | undefined {
  const file = (value as { file?: unknown } | null)?.file;
  return typeof file === 'string' && file.trim() ? resolve(base, file) : undefined;
}
