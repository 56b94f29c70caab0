// `gex-desk inbox [--json]` and `gex-desk inbox set DIR`: the watched folder (and why it
// cannot be read, when it cannot), the files waiting (those held for a full disk among
// them, and those left in the folder watched before), how many ended in done/ and failed/,
// where the folder came from (the config file, GEX_DESK_INBOX or the default), and
// choosing another folder (kept in config.json; a running engine watches it at once).
// Through the API map (api.ts).
import { resolve } from 'node:path';
import type { InboxStatus } from '../../../shared/api.ts';
import { leftBehindDetail } from '../../../shared/left-behind.ts';
import { envPath } from '../../engine/env.ts';
import { withApi } from './api.ts';
import { engineOptions, extraWords, parse } from './args.ts';
import { EXIT, UsageError, type ExitCode, type Output, refuse } from './io.ts';
import { INBOX_USAGE } from './usage.ts';

/**
 * A folder's count: as read, or while the folder does not answer the last read (said on a
 * line of its own, `asOf`), or "—" when none was (never 0: QA sv F2).
 */
const count = (s: InboxStatus, n: number): string => (s.counts_as_of === null ? '—' : `${n}`);

/** When the counts were read, while the folder does not answer; null when they are read now. */
const asOf = (s: InboxStatus): string | null =>
  s.counts_as_of === undefined
    ? null
    : s.counts_as_of === null
      ? '  counts unknown: not read since it stopped answering (— below)'
      : `  counts as of ${s.counts_as_of}, the last time it answered`;

const describe = (s: InboxStatus): string =>
  [
    `inbox ${s.dir} (${s.watching ? 'watched by the running engine' : 'not watched: no engine runs on this database'})`,
    ...(s.problem ? [`  ${s.problem}`] : []),
    ...(asOf(s) ? [asOf(s)!] : []),
    `  waiting    ${count(s, s.counts.waiting)}  (dropped in, ${!s.takes ? 'not taken: see above' : s.watching ? 'taken once complete' : 'taken once an engine runs'})`,
    ...(s.held
      ? [
          `  held       ${s.held.count}  (of those waiting; tried again from ${s.held.retry_at}): ${s.held.reason}`,
        ]
      : []),
    ...(s.left_behind ? [left(s.left_behind)] : []),
    `  processing ${count(s, s.counts.processing)}  ${s.processing}`,
    `  done       ${count(s, s.counts.done)}  ${s.done}`,
    `  failed     ${count(s, s.counts.failed)}  ${s.failed}${failedSplit(s)}`,
    ...s.refused.recent.map((r) => `    refused ${r.file}: ${r.reason.split('\n').join(' ')}`),
    ...(s.refused.count > s.refused.recent.length
      ? [
          `    … and ${s.refused.count - s.refused.recent.length} older refused (the newest ${s.refused.recent.length} listed; each has its note beside it in ${s.failed})`,
        ]
      : []),
    ...s.changed.recent.map((r) => `    changed ${r.file}: ${r.reason.split('\n').join(' ')}`),
    `  ${whence(s)}`,
  ].join('\n');

/** The files left in the folder watched before, and what of them moving would not ingest. */
function left(l: NonNullable<InboxStatus['left_behind']>): string {
  const them = l.count === 1 ? 'it' : 'them';
  const detail = leftBehindDetail(l);
  return `  left       ${l.count}  in the previous inbox ${l.dir}: not taken before the change, and not taken now (${detail ? `${detail}; ` : ''}move ${them} into this folder to ingest ${them})`;
}

/**
 * Which failed files have a job (the Queue lists them) and which the inbox refused itself,
 * at its door (no job: listed below, newest first, each with its note's reason).
 */
function failedSplit(s: InboxStatus): string {
  const refused = s.refused.count;
  const changed = s.changed.count;
  if (!refused && !changed) return '';
  const jobs = Math.max(s.counts.failed - refused - changed, 0);
  const parts = [`${jobs} ${jobs === 1 ? 'job' : 'jobs'}`];
  if (refused) parts.push(`${refused} refused by the inbox`);
  if (changed)
    parts.push(`${changed} changed after ${changed === 1 ? 'it was' : 'they were'} taken`);
  return `  (${parts.join(', ')})`;
}

/**
 * Where the folder came from, by the settings' precedence: it said "kept in <config file>"
 * when no config file existed, when GEX_DESK_INBOX named the folder, and for the default.
 */
function whence(s: InboxStatus): string {
  switch (s.from) {
    case 'config':
      return `from the config file ${s.config_file} (its "inbox")`;
    case 'env':
      return `from GEX_DESK_INBOX (which comes before the config file ${s.config_file})`;
    case 'default':
      return `the default: inbox/ beside the database (\`inbox set\` keeps another in ${s.config_file})`;
    default:
      return `\`inbox set\` keeps a folder chosen in ${s.config_file}`;
  }
}

export async function inboxCommand(argv: string[], out: Output): Promise<ExitCode> {
  const options = { json: { type: 'boolean' }, 'take-existing': { type: 'boolean' } } as const;
  const { values, positionals } = parse(argv, options, { command: 'inbox', args: ['set', 'DIR'] });
  if (values.help) return (out.line(INBOX_USAGE), EXIT.ok);
  const [sub, dir] = positionals;
  if (sub !== undefined && sub !== 'set')
    throw new UsageError(
      extraWords(
        { command: 'inbox', subcommands: ['set'], says: 'nothing, or set DIR' },
        options,
        positionals,
      ),
    );
  if (sub !== undefined && dir === undefined) throw new UsageError(INBOX_USAGE);
  // Not the current folder: a script's empty variable (inbox set "$DIR") must not make it so.
  if (dir !== undefined && !dir.trim()) throw new UsageError('inbox set needs a FOLDER, not ""');
  const called = { ...engineOptions(values), json: values.json };
  return withApi(called, out, { kind: 'store' }, async (api) => {
    const r =
      dir === undefined
        ? await api.call('inbox:get', {})
        : await api.call('inbox:set', {
            dir: resolve(dir),
            take_existing: values['take-existing'],
          });
    if (!r.ok)
      return refuse(
        out,
        r.error.field === 'take_existing'
          ? { ...r.error, message: `${r.error.message} --take-existing takes them.` }
          : r.error,
        values.json,
      );
    if (values.json) out.json(r.value);
    else out.line(describe(r.value));
    // Kept in the config file, but the variable comes before the file (config.ts): the
    // analyst was told "kept in config.json" and the next start watched the old folder.
    const inboxVar = envPath(process.env, 'GEX_DESK_INBOX');
    if (dir !== undefined && inboxVar !== undefined)
      out.error(
        `gex-desk: GEX_DESK_INBOX=${process.env.GEX_DESK_INBOX} is set, and it overrides ${r.value.config_file}: commands and engines started with it set watch ${inboxVar}, not ${r.value.dir}. Unset it to use the folder chosen.`,
      );
    return EXIT.ok;
  });
}
