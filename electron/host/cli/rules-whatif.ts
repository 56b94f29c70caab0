// `gex-desk rules whatif FILE [--last N] [--against arrival|active] [--json]` (CONTRACTS.md):
// the last N decided requests replayed under the rule set in FILE, without activating it
// (`rules:whatif`), listing each request whose LEVEL would change: against the level it
// got at arrival (the default, the contract), or with `--against active` against what the
// active rules decide on the same facts (the edit's own effect, as the Rules view shows). A request decided at its arrival whose
// new level depends on facts never read is listed with `to.priority` null and the range
// it could get (`to.unknown`); one whose facts FILE refuses, with `to.error`. Exit 0
// when FILE is valid (even when nothing moves), 1 when it is not.
import type { WhatIfAnswer } from '../../../shared/api.ts';
import type { WhatIfChange } from '../../../shared/rules.ts';
import { READS, withApi } from './api.ts';
import { engineOptions, int, parse } from './args.ts';
import {
  counted,
  describeError,
  EXIT,
  exitFor,
  table,
  UsageError,
  type ExitCode,
  type Output,
} from './io.ts';
import { readText, refusedAsChecked, ruleFileName } from './rules.ts';
import { RULES_USAGE } from './usage.ts';

/** The contract's line: `to` is {priority, rule}, with null and the reason when it is not known. */
function jsonLine(c: WhatIfChange): Record<string, unknown> {
  const to =
    'priority' in c.to
      ? { priority: c.to.priority, rule: c.to.rule }
      : {
          priority: null,
          rule: null,
          ...('error' in c.to ? { error: c.to.error } : { unknown: c.to.unknown }),
        };
  return { request_id: c.request_id, file: c.file, underlying: c.underlying, from: c.from, to };
}

const levelChanges = (r: WhatIfAnswer) =>
  r.changes.filter((c) => !('priority' in c.to) || c.to.priority !== c.from.priority);

const toText = (c: WhatIfChange): string =>
  'priority' in c.to
    ? `${c.to.priority} (${c.to.rule})`
    : 'error' in c.to
      ? `invalid: ${c.to.error.code}`
      : `${c.to.unknown.lower}…${c.to.unknown.upper} (needs its file)`;

export async function whatifCommand(argv: string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parse(
    argv,
    {
      last: { type: 'string' },
      against: { type: 'string' },
      json: { type: 'boolean' },
    },
    {
      command: 'rules whatif',
      args: ['FILE'],
      hint: (w) =>
        /^\d+$/.test(w) ? `did you mean \`rules whatif FILE --last ${w}\`?` : undefined,
    },
  );
  if (values.help) return (out.line(RULES_USAGE), EXIT.ok);
  if (positionals.length !== 1) throw new UsageError('rules whatif takes one FILE');
  const file = ruleFileName(positionals[0]!);
  const last = int(values.last, '--last', 1, 100_000) ?? 1000;
  const against = values.against ?? 'arrival';
  if (against !== 'arrival' && against !== 'active')
    throw new UsageError(`--against takes arrival or active, not ${against}`);
  const text = await readText(positionals[0]!, 'whatif');
  // An invalid file is reported as `rules check` reports it, without touching the database.
  if (refusedAsChecked(file, text, out)) return EXIT.rejected;
  return withApi(engineOptions(values), out, READS, async (api) => {
    const r = await api.call('rules:whatif', { text, last, baseline: against });
    if (!r.ok) return (out.error(describeError(r.error)), exitFor(r.error));
    const moved = levelChanges(r.value);
    if (values.json) {
      for (const c of moved) out.json(jsonLine(c));
      return EXIT.ok;
    }
    if (moved.length > 0)
      out.line(
        table(
          ['request', 'underlying', 'from', 'to', 'file'],
          moved.map((c) => [
            c.request_id,
            c.underlying,
            `${c.from.priority} (${c.from.rule})`,
            toText(c),
            c.file,
          ]),
        ),
      );
    const replayed = r.value.replayed;
    const active =
      against === 'active'
        ? `against the active rules, version ${r.value.active_version ?? 'default'}`
        : `active rules: version ${r.value.active_version ?? 'default'}`;
    out.line(
      replayed === 0
        ? `No request has been decided yet: there is nothing to replay under ${file} (${active}).`
        : `${moved.length} of ${counted(replayed, 'decided request')} would change level under ${file} (${active}).`,
    );
    for (const g of r.value.summary.filter((s) => s.from !== s.to))
      out.line(`  ${g.from} → ${g.to}: ${g.count}`);
    const ruleOnly = r.value.changes.length - moved.length;
    if (ruleOnly > 0) out.line(`  ${ruleOnly} more keep their level under another rule.`);
    return EXIT.ok;
  });
}
