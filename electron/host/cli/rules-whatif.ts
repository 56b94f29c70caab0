// `gex-desk rules whatif FILE [--last N] [--against arrival|active] [--json]` (CONTRACTS.md):
// the last N decided requests replayed under the rule set in FILE, without activating it
// (`rules:whatif`), listing each request whose LEVEL would change: against the level it
// got at arrival (the default, the contract), or with `--against active` against what the
// active rules decide on the same facts (the edit's own effect, as the Rules view shows).
// Only a level FILE decides is a change: `to.priority` is never null in a --json line (a
// script reads it). Two kinds of request are said apart, never counted as changes: one
// decided at its arrival whose new level depends on facts not stored "may change", with
// the range it could get (with `--against active`, also one whose level under the active
// rules depends on them: the levels each side could give), said per reason (its file was
// read but gex_change is not kept; its file failed; its snapshot was removed; not read
// yet: shared/whatif-missing.ts); one whose facts FILE refuses "would be refused" (from
// the active rules' level, or the arrival's). Without --json each has its own section;
// with it, stdout holds only the contract's lines and a note on stderr counts them. Exit
// 0 when FILE is valid (even when nothing moves), 1 when it is not. A file is named where
// it is now (the job's path, as `jobs` names it).
import type { WhatIfAnswer } from '../../../shared/api.ts';
import type { AppError } from '../../../shared/result.ts';
import type {
  RuleOutcome,
  WhatIfChange,
  WhatIfMissing,
  WhatIfUnknown,
} from '../../../shared/rules.ts';
import { byMissing, MISSING_WHY } from '../../../shared/whatif-missing.ts';
import { READS, withApi } from './api.ts';
import { engineOptions, int, parse } from './args.ts';
import {
  counted,
  describeError,
  EXIT,
  table,
  UsageError,
  type ExitCode,
  type Output,
  refuse,
} from './io.ts';
import { readText, refusedAsChecked, ruleFileName } from './rules.ts';
import { RULES_USAGE } from './usage.ts';

type Decided = WhatIfChange & { from: RuleOutcome; to: RuleOutcome };
type Undetermined = WhatIfChange & { to: RuleOutcome | WhatIfUnknown };
type Refused = WhatIfChange & { to: { error: AppError } };

/** A level and its rule, or the levels it could be when facts not stored decide. */
const outcomeText = (o: RuleOutcome | WhatIfUnknown): string =>
  'unknown' in o ? `${o.unknown.lower}…${o.unknown.upper}` : `${o.priority} (${o.rule})`;

/** The engine's changes sorted: decided by FILE, undetermined (facts not stored), refused. */
function sorted(r: WhatIfAnswer): {
  decided: Decided[];
  undetermined: Undetermined[];
  refused: Refused[];
} {
  const decided: Decided[] = [];
  const undetermined: Undetermined[] = [];
  const refused: Refused[] = [];
  for (const c of r.changes) {
    if ('error' in c.to) refused.push(c as Refused);
    else if ('priority' in c.to && 'priority' in c.from) decided.push(c as Decided);
    else undetermined.push(c as Undetermined);
  }
  return { decided, undetermined, refused };
}

/** The contract's line: `to` is the level and rule FILE decides. */
const jsonLine = (c: Decided): Record<string, unknown> => ({
  request_id: c.request_id,
  file: c.file,
  underlying: c.underlying,
  from: c.from,
  to: { priority: c.to.priority, rule: c.to.rule },
});

const mayChangeText = (n: number, missing: WhatIfMissing, file: string, against: string) =>
  `${n} may change (the rules' decision under ${file}${against === 'active' ? ' or the active rules' : ''} depends on facts not stored): ${MISSING_WHY[missing]}.`;

const refusedText = (n: number, file: string) =>
  `${n} would be refused: ${file} rejects their facts.`;

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
  if (refusedAsChecked(file, text, out, values.json)) return EXIT.rejected;
  return withApi({ ...engineOptions(values), json: values.json }, out, READS, async (api) => {
    const r = await api.call('rules:whatif', { text, last, baseline: against });
    if (!r.ok) return refuse(out, r.error, values.json);
    const { decided, undetermined, refused } = sorted(r.value);
    const moved = decided.filter((c) => c.to.priority !== c.from.priority);
    if (values.json) {
      for (const c of moved) out.json(jsonLine(c));
      // stdout holds only the contract's lines; the others are counted on stderr.
      for (const g of byMissing(undetermined))
        out.error(
          `gex-desk: ${mayChangeText(g.changes.length, g.missing, file, against)} They are not listed: without --json, the command lists each with the levels it could get.`,
        );
      if (refused.length > 0)
        out.error(
          `gex-desk: ${refusedText(refused.length, file)} They are not listed: without --json, the command lists each with why.`,
        );
      return EXIT.ok;
    }
    const row = (c: WhatIfChange, to: string) => [
      c.request_id,
      c.underlying,
      outcomeText(c.from),
      to,
      c.file,
    ];
    if (moved.length > 0)
      out.line(
        table(
          ['request', 'underlying', 'from', 'to', 'file'],
          moved.map((c) => row(c, `${c.to.priority} (${c.to.rule})`)),
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
    for (const g of r.value.summary)
      if (g.from !== g.to && g.from !== 'UNKNOWN' && g.to !== 'UNKNOWN' && g.to !== 'INVALID')
        out.line(`  ${g.from} → ${g.to}: ${g.count}`);
    const ruleOnly = decided.length - moved.length;
    if (ruleOnly > 0) out.line(`  ${ruleOnly} more keep their level under another rule.`);
    for (const g of byMissing(undetermined)) {
      out.line('');
      out.line(mayChangeText(g.changes.length, g.missing, file, against));
      out.line(
        table(
          ['request', 'underlying', 'from', 'could get', 'file'],
          g.changes.map((c) => row(c, outcomeText(c.to))),
        ),
      );
    }
    if (refused.length > 0) {
      out.line('');
      out.line(refusedText(refused.length, file));
      out.line(
        table(
          ['request', 'underlying', 'from', 'why', 'file'],
          refused.map((c) => row(c, describeError(c.to.error))),
        ),
      );
    }
    return EXIT.ok;
  });
}
