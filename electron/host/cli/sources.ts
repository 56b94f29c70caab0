// `gex-desk sources [--json]`, `sources set ID --reliability X --justification TEXT
// [--author NAME]`, `sources clear ID`: each data source's record and what its
// reliability sets off under the active rules, and an analyst's override of it (audited;
// the next requests of the source use it). Through the API map (api.ts).
import type { SourceRecord } from '../../../shared/api.ts';
import { parseReliability, reliabilityText } from '../../../shared/reliability.ts';
import { READS, withApi } from './api.ts';
import { authorOption, engineOptions, parse, sourceOption } from './args.ts';
import { EXIT, table, UsageError, type ExitCode, type Output, refuse } from './io.ts';
import { SOURCES_USAGE } from './usage.ts';
import { blank, visibleName } from '../../../shared/visible.ts';

/**
 * The widest a source's name is in the table (cut in its middle past it): a name of 300
 * characters widened every line to 374. The whole name is in `--json`, and what
 * `sources set ID` takes.
 */
export const SOURCE_WIDTH = 48;

const triggersText = (s: SourceRecord): string =>
  s.triggers.length === 0
    ? 'none'
    : s.triggers
        .map(
          (t) => `${t.rule}${t.certain ? '' : ' (with other facts)'}: ${t.effect} (${t.condition})`,
        )
        .join('; ');

function describe(s: SourceRecord): string {
  const o = s.override;
  const reliability = o
    ? `reliability ${reliabilityText(s.reliability)} (override by ${o.author ?? 'someone'} at ${o.at}: ${o.justification}; computed ${reliabilityText(s.computed_reliability)})`
    : `reliability ${reliabilityText(s.reliability)} (computed)`;
  const duplicates =
    s.duplicates > 0
      ? `, ${s.duplicates} duplicate${s.duplicates === 1 ? '' : 's'} (not counted)`
      : '';
  return `source ${visibleName(s.id)}: ${s.completed} completed, ${s.failed} failed${duplicates}, ${reliability}; under the active rules: ${triggersText(s)}`;
}

/**
 * Under the table: what the computed reliability counts. A duplicate ingested nothing, so
 * it is no success, nor a failure (QA day F5: a source whose good file was a duplicate read
 * "0 completed, 1 failed, 0.00" with nothing saying why).
 */
export const SOURCES_NOTE =
  'computed = completed ÷ (completed + failed), 1.00 without either; duplicates (content already stored) count in neither.';

export async function sourcesCommand(argv: string[], out: Output): Promise<ExitCode> {
  const [sub, ...rest] = argv;
  if (sub === 'set' || sub === 'clear') return changeCommand(sub, rest, out);
  const { values } = parse(
    argv,
    { json: { type: 'boolean' } },
    { command: 'sources', subcommands: ['set', 'clear'] },
  );
  if (values.help) return (out.line(SOURCES_USAGE), EXIT.ok);
  return withApi({ ...engineOptions(values), json: values.json }, out, READS, async (api) => {
    const r = await api.call('sources:list', {});
    if (!r.ok) return refuse(out, r.error, values.json);
    if (values.json) for (const s of r.value) out.json(s);
    else
      out.line(
        table(
          [
            'source',
            'completed',
            'failed',
            'duplicates',
            'computed',
            'reliability',
            'last ingest',
            'sets off (active rules)',
          ],
          r.value.map((s) => [
            visibleName(s.id),
            s.completed,
            s.failed,
            s.duplicates,
            reliabilityText(s.computed_reliability),
            `${reliabilityText(s.reliability)}${s.override ? ' (override)' : ''}`,
            s.last_ingest_at,
            triggersText(s),
          ]),
          { widest: { source: SOURCE_WIDTH } },
        ) + `\n${SOURCES_NOTE}`,
      );
    return EXIT.ok;
  });
}

async function changeCommand(sub: 'set' | 'clear', argv: string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parse(
    argv,
    {
      reliability: { type: 'string' },
      justification: { type: 'string' },
      author: { type: 'string' },
      json: { type: 'boolean' },
    },
    { command: `sources ${sub}`, args: ['SOURCE'] },
  );
  if (values.help) return (out.line(SOURCES_USAGE), EXIT.ok);
  if (positionals.length !== 1) throw new UsageError(`sources ${sub} takes one source ID`);
  // Read as every source name is (trimmed, NFC): "acme " is the source acme, as for
  // `ingest --source` and `jobs --source`; a blank one is a usage error, not the API's.
  const id = sourceOption(positionals[0]!, { flag: `sources ${sub} ID` })!;
  const author = authorOption(values.author);
  let reliability = NaN;
  if (sub === 'set') {
    // A plain decimal only: Number() also read "0x1", "1e0", " 1 " and "Infinity".
    const parsed = parseReliability(values.reliability ?? '');
    if (!parsed.ok)
      throw new UsageError(
        `--reliability must be a decimal from 0 to 1, not "${values.reliability ?? ''}"`,
      );
    reliability = parsed.value;
    if (blank(values.justification))
      throw new UsageError('sources set needs a --justification that is not blank');
  }
  const called = { ...engineOptions(values), json: values.json };
  return withApi(called, out, { kind: 'store' }, async (api) => {
    const r =
      sub === 'set'
        ? await api.call('sources:set', {
            id,
            reliability,
            justification: values.justification!,
            author,
          })
        : await api.call('sources:clear', {
            id,
            justification: values.justification,
            author,
          });
    if (!r.ok) return refuse(out, r.error, values.json);
    if (values.json) out.json(r.value);
    else out.line(describe(r.value));
    return EXIT.ok;
  });
}
