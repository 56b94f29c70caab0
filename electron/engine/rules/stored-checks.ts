// The answers of rule checks kept in the database, so that a text already analysed is not
// analysed again after the engine starts again (QA rl2 N2: the Rules view checks the active
// text as it opens, and after a restart the unchanged active set of a large rule set was
// analysed for 13 s, the analyst's draft waiting behind it). analysis.ts keeps the last few
// answers by text for one engine run; this keeps each finished check's answer (valid or
// not: it depends on the text alone) by the SHA-256 of its text and the analyser's version,
// ANALYSER_VERSION, so that a release whose analysis answers differently never serves the
// answers of the one before. Kept: the last STORED_CHECKS texts checked, and always the
// active version's. A check that did not finish (its budget, a crash, the shutdown) is not
// kept; a database that cannot be read or written only means the analysis runs.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ok, type Result } from '../../../shared/result.ts';
import { Diagnostic } from '../../../shared/rules.ts';
import type { Store } from '../store/db.ts';
import type { RunAnalysis } from './analysis.ts';
import pkg from '../../../package.json' with { type: 'json' };

/**
 * The analyser's version: the release's (package.json), so that an answer kept by one
 * release is never served by another, whatever it changed; and a number of its own, to be
 * raised when a change of what a check answers (a new diagnostic, another message or line)
 * lands between releases.
 */
export const ANALYSER_VERSION = `${pkg.version}/4`;

/** How many checked texts' answers are kept besides the active version's. */
export const STORED_CHECKS = 16;

const Checked = z.object({ ok: z.boolean(), diagnostics: z.array(Diagnostic) });
type Checked = z.infer<typeof Checked>;

export const textSha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The answer kept for `text` by this analyser, if any (undefined when the store cannot say). */
export async function storedCheck(
  store: Store,
  text: string,
  analyser: string = ANALYSER_VERSION,
): Promise<Checked | undefined> {
  try {
    const row = await store.one<{ answer: string }>(
      'SELECT answer FROM rule_checks WHERE text_sha256 = $1 AND analyser = $2 LIMIT 1',
      [textSha256(text), analyser],
    );
    if (!row) return undefined;
    const parsed = Checked.safeParse(JSON.parse(row.answer));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps `answer` for `text`; forgets the oldest past STORED_CHECKS (never the active version's) and other analysers' answers. */
export async function storeCheck(
  store: Store,
  text: string,
  answer: Checked,
  analyser: string = ANALYSER_VERSION,
): Promise<void> {
  const sha = textSha256(text);
  await store.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO rule_checks (text_sha256, analyser, answer, checked_at)
         SELECT $1, $2, $3, now()
         WHERE NOT EXISTS (SELECT 1 FROM rule_checks WHERE text_sha256 = $1 AND analyser = $2)`,
      [sha, analyser, JSON.stringify(answer)],
    );
    await tx.run(
      `DELETE FROM rule_checks
         WHERE (analyser <> $1
             OR text_sha256 NOT IN (SELECT text_sha256 FROM rule_checks WHERE analyser = $1
                                    ORDER BY checked_at DESC, rowid DESC LIMIT ${STORED_CHECKS}))
           AND text_sha256 NOT IN (SELECT sha256(text) FROM rule_sets WHERE active)`,
      [analyser],
    );
  });
}

/**
 * `analyse`, its checks answered from those kept in `store` first, and each finished check's
 * answer kept there; any other analysis (the what-if) is `analyse`'s alone.
 */
export function storedChecks(
  store: Store,
  analyse: RunAnalysis,
  analyser: string = ANALYSER_VERSION,
): RunAnalysis {
  const check = async (text: string): Promise<Result<Checked>> => {
    const stored = await storedCheck(store, text, analyser);
    if (stored) return ok(stored);
    const answer = await analyse('check', text);
    // Written after the answer is given (a store that closes writes what waits first).
    if (answer.ok) void storeCheck(store, text, answer.value, analyser).catch(() => undefined);
    return answer;
  };
  return ((name, input) =>
    name === 'check' && typeof input === 'string'
      ? check(input)
      : analyse(name, input)) as RunAnalysis;
}
