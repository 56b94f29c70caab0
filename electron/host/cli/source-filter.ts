// `--source NAME` as a filter (`gex-desk jobs --source acmee`): an empty answer for a name no
// source has, a slip of `acme`, read as a source with nothing to list. The command says so
// on stderr, one line, its stdout and exit code unchanged (scripts read them).
import type { GexApi } from '../../../shared/api.ts';
import { nearNames } from '../../../shared/near-words.ts';
import { visibleName } from '../../../shared/visible.ts';
import type { Output } from './io.ts';

/**
 * After a listing filtered by `source` listed nothing: `no source is named "acmee" (did you
 * mean "acme"?)` on stderr when no source is named so exactly, as the filter (and the
 * Queue's) matches it — neither a record of the engine's sources list nor a job of its own
 * (a source's record is written at its first outcome: one whose only job waits has none).
 * The hint names every known source near it (nearNames); each name shown escaped, so that a
 * Cyrillic `аcme` reads `\u0430cme`. Said nothing when the engine could not be asked.
 */
export async function sayUnknownSource(api: GexApi, source: string, out: Output): Promise<void> {
  const sources = await api.call('sources:list', {});
  if (!sources.ok) return;
  const known = sources.value.map((s) => s.id);
  if (known.includes(source)) return;
  const jobs = await api.call('jobs:list', { source, limit: 1 });
  if (!jobs.ok || jobs.value.length > 0) return;
  const near = nearNames(source, known).map((k) => `"${visibleName(k)}"`);
  out.error(
    `no source is named "${visibleName(source)}"${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`,
  );
}
