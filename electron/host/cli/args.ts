// Flag parsing shared by every command: the common `--db` and `--data-dir`, strict
// checking (an unknown flag is a usage error, exit 2), and typed values. How a command
// then reaches the engine is api.ts.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GivenSourceName, INBOX_SOURCE_REFUSED, SourceName } from '../../../shared/api/ingest.ts';
import { PriorityLevel } from '../../../shared/domain.ts';
import type { ConfigOverrides } from '../../engine/config.ts';
import { UsageError } from './io.ts';
import { nearWord } from '../../../shared/near-words.ts';
import { quotedEcho, visible } from '../../../shared/visible.ts';
import { AuthorName } from '../../../shared/api/author.ts';
import { MIN_ID_START } from '../../engine/store/id-start.ts';
import { messageOf } from '../../../shared/result.ts';

export const COMMON_OPTIONS = {
  db: { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/**
 * What a command takes besides its flags, so that a word it does not take is a usage error
 * (exit 2) naming the word, never silently ignored: `rules eval draft.json` evaluated
 * under the ACTIVE rules, `jobs cancle ID` listed every job, `queue drain` showed the
 * table, each with exit 0.
 */
export interface Takes {
  /** The command as typed: `jobs`, `rules eval`. */
  command: string;
  /**
   * Its arguments' names, in order (`['ID_A', 'ID_B']`); a last one ending in `...` takes
   * any number. None by default. A missing one is the command's to say. `ID`, `ID_A`,
   * `ID_B`, `ID...` are a snapshot's, a job's or a request's id, or its first characters
   * (idStart); a source's name is `SOURCE`.
   */
  args?: readonly string[];
  /** What it takes, in words, when its args do not say it (`inbox`: "nothing, or set DIR"). */
  says?: string;
  /** Its subcommands, offered for a word close to one (`jobs cancle` → `jobs cancel`). */
  subcommands?: readonly string[];
  /**
   * The fix for a word this command is often given by mistake, when it is close to neither
   * a subcommand nor a flag (`rules eval FILE` → `--rules FILE`).
   */
  hint?: (word: string) => string | undefined;
}

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: O,
  takes: Takes,
) {
  const all = { ...COMMON_OPTIONS, ...options };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: all,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new UsageError(unknownOption(argv, options, takes));
    throw new UsageError(messageOf(e));
  }
  givenOnce(parsed.tokens, all);
  blankPaths(parsed.values);
  const args = takes.args ?? [];
  if (!args.at(-1)?.endsWith('...') && parsed.positionals.length > args.length)
    throw new UsageError(extraWords(takes, options, parsed.positionals));
  parsed.positionals.forEach((word, i) => {
    if (/^ID(_[A-Z])?(\.\.\.)?$/.test(args[Math.min(i, args.length - 1)] ?? ''))
      idStart(word, takes.command, takes.hint);
  });
  for (const flag of ID_OPTIONS) {
    const given = (parsed.values as Record<string, unknown>)[flag];
    if (typeof given === 'string') idStart(given, `${takes.command} --${flag}`);
  }
  return parsed;
}

/**
 * A flag that takes one value, given twice, is a usage error naming it and both values:
 * Node's parser kept the last one without a word, and a flag written before the command
 * (`gex-desk --db A ingest f --db B`) is read after the command's own (cli.ts
 * commandFirst), so the first won there and the last after the command — a wrapper's
 * `gex-desk --db "$DEFAULT" "$@"` wrote to its own database, not its caller's. A flag
 * that takes several (`--attach DIR`, as often as there are folders) and a switch
 * (`--json`) given twice are taken as they were.
 */
function givenOnce(
  tokens: ReturnType<typeof parseArgs>['tokens'],
  options: NonNullable<ParseArgsConfig['options']>,
): void {
  const seen = new Map<string, string>();
  for (const t of tokens ?? []) {
    if (t.kind !== 'option' || t.value === undefined) continue;
    const o = options[t.name];
    if (!o || o.type !== 'string' || o.multiple) continue;
    const first = seen.get(t.name);
    if (first !== undefined)
      throw new UsageError(
        `--${t.name} is given twice (${shown(first)} and ${shown(t.value)}): give it once`,
      );
    seen.set(t.name, t.value);
  }
}

/** A value as a usage error echoes it: in quotes, control and format characters escaped. */
const shown = (v: string): string => quotedEcho(v, 200);

/** The flags that take an id or its first characters (`audit --request ID`). */
const ID_OPTIONS = ['request'];

/**
 * An id as typed: in full, or its first MIN_ID_START characters or more. A shorter one is
 * a usage error (exit 2) saying so: `snapshot 6d` answered "There is no snapshot 6d", exit
 * 1, as if the store were searched. One check for every command that takes ids.
 */
function idStart(word: string, command: string, hint?: Takes['hint']): void {
  if (word.trim().length >= MIN_ID_START) return;
  const fix = hint?.(word);
  throw new UsageError(
    `\`gex-desk ${command}\` takes an id by its first ${MIN_ID_START} characters or more (the listings print ids in full), not ${JSON.stringify(word)}${fix ? `; ${fix}` : ''}`,
  );
}

/**
 * A ticker where a snapshot's id goes (`snapshot SPX`): said with where its ids are. A word
 * of hex digits (`abc`) may be an id's start, and gets none.
 */
export const tickerHint = (word: string): string | undefined =>
  /^[\^$]?[A-Za-z][A-Za-z.]{0,9}$/.test(word) && !/^[0-9a-f]+$/i.test(word)
    ? `${word.toUpperCase()} looks like an underlying: \`gex-desk history ${word.toUpperCase()}\` lists its snapshots with their ids`
    : undefined;

/**
 * The flags that name a file or a folder, and what each takes. Given blank, each is a
 * usage error (exit 2) naming it: `--data-dir ""` (a script's unset variable) wrote a
 * data folder's parts into the current folder, `--attach ""` attached it, `--db ""` was
 * refused as a folder, exit 3.
 */
export const PATH_OPTIONS: Readonly<Record<string, string>> = {
  db: 'a database file',
  'data-dir': 'a folder',
  attach: 'a folder',
  manifest: 'a file',
  out: 'a file',
  rules: 'a file',
};

function blankPaths(values: Record<string, unknown>): void {
  for (const [name, what] of Object.entries(PATH_OPTIONS)) {
    const given = values[name];
    for (const v of Array.isArray(given) ? given : [given])
      if (typeof v === 'string' && !v.trim())
        throw new UsageError(`--${name} needs ${what}, not ${JSON.stringify(v)}`);
  }
}

/** A word as a message quotes it: as is, or in quotes when blank or spaced. */
const quoted = (w: string): string => (w.trim() === '' || /\s/.test(w) ? JSON.stringify(w) : w);

/**
 * "levels takes no arguments, not extra", "diff takes ID_A ID_B, not a b c", with the fix
 * for the first word too many where one is plain: a subcommand close to it (`jobs cancle`
 * → `jobs cancel`), a flag of the command (`queue drain` → `queue --drain`), or the
 * command's own hint.
 */
export function extraWords(
  takes: Takes,
  options: NonNullable<ParseArgsConfig['options']>,
  given: readonly string[],
): string {
  const args = takes.args ?? [];
  const word = given[args.length]!;
  const all: NonNullable<ParseArgsConfig['options']> = { ...COMMON_OPTIONS, ...options };
  const flag = nearWord(word.replace(/^-+/, ''), Object.keys(all));
  const sub = takes.subcommands && nearWord(word, takes.subcommands);
  const fix = sub
    ? `did you mean \`${takes.command} ${sub}\`?`
    : flag
      ? `did you mean \`${takes.command} --${flag}${all[flag]!.type === 'string' ? ' …' : ''}\`?`
      : takes.hint?.(word);
  return `${takes.command} takes ${takes.says ?? (args.length ? args.join(' ') : 'no arguments')}, not ${given.map(quoted).join(' ')}${fix ? `: ${fix}` : ''}`;
}

/** A flag as its usage writes it: `--status …` for one that takes a value, `-h, --help`. */
function flagText(name: string, o: NonNullable<ParseArgsConfig['options']>[string]): string {
  return `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ' …' : ''}`;
}

/** Whether a command takes files as its words (`ingest FILE...`, `rules check FILE`). */
const takesPaths = (takes: Takes): boolean => (takes.args ?? []).some((a) => /^FILE\b/.test(a));

/**
 * A flag the command does not take: named with the command, and the flag it is close to
 * (`jobs --staus` → `--status`), else the flags it takes. Node's own words told the analyst
 * to put the flag after `--` as a positional argument, which for `ingest x.csv --jsn`
 * submitted a file named `--jsn`: that is said only where a command takes files, and only
 * for a file so named.
 */
export function unknownOption(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  takes: Takes,
): string {
  const all: NonNullable<ParseArgsConfig['options']> = { ...COMMON_OPTIONS, ...options };
  // Read again without the strict check, for the flag as typed (`-x` of `-hx`, `--staus` of `--staus=failed`).
  const { tokens } = parseArgs({
    args: argv,
    options: all,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  let raw = '?';
  for (const t of tokens)
    if (t.kind === 'option' && !Object.hasOwn(all, t.name)) {
      raw = t.rawName;
      break;
    }
  const command = `\`gex-desk ${takes.command}\``;
  const near = raw.startsWith('--') ? nearWord(raw.slice(2), Object.keys(all)) : undefined;
  if (near) return `unknown option ${raw} for ${command} (did you mean --${near}?)`;
  const flags = Object.entries({ ...options, ...COMMON_OPTIONS }).map(([name, o]) =>
    flagText(name, o),
  );
  const file = takesPaths(takes)
    ? `; a file literally named ${raw} goes after -- (gex-desk ${takes.command} -- ${raw})`
    : '';
  return `unknown option ${raw} for ${command}: it takes ${flags.join(', ')}${file}`;
}

/** The database and data folder a command names (`--db`, `--data-dir`); the rest comes from the config. */
export function engineOptions(values: {
  db?: string | boolean;
  'data-dir'?: string | boolean;
}): ConfigOverrides {
  return {
    ...(typeof values.db === 'string' ? { dbPath: values.db } : {}),
    ...(typeof values['data-dir'] === 'string' ? { dataDir: values['data-dir'] } : {}),
  };
}

/**
 * `--source ID` (or a command's SOURCE): a data source as SourceName reads it (trimmed, in
 * NFC; a blank one, or one with control characters, is a usage error naming `flag`). A
 * source `given` with a request may not be the inbox's: `inbox` or `inbox/…`, in any case.
 */
export function sourceOption(
  value: string | undefined,
  opts: { flag?: string; given?: boolean } = {},
): string | undefined {
  if (value === undefined) return undefined;
  const flag = opts.flag ?? '--source';
  const parsed = SourceName.safeParse(value);
  if (!parsed.success)
    throw new UsageError(
      `${flag} needs a name that is not blank, without control or format characters`,
    );
  if (opts.given && !GivenSourceName.safeParse(parsed.data).success)
    throw new UsageError(`${flag} "${visible(parsed.data)}": ${INBOX_SOURCE_REFUSED}`);
  return parsed.data;
}

/**
 * `--author NAME`: who asks, as the API takes an author (AuthorName: trimmed, not blank, at
 * most 100 characters, no control or format character, which would let "alice\u202enimda"
 * read as "aliceadmin" in the audit trail); otherwise a usage error saying why.
 */
export function authorOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = AuthorName.safeParse(value);
  if (!parsed.success)
    throw new UsageError(`--author "${visible(value)}": ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

export function level(value: string | undefined, flag: string): PriorityLevel | undefined {
  if (value === undefined) return undefined;
  const parsed = PriorityLevel.safeParse(value.toUpperCase());
  if (!parsed.success)
    throw new UsageError(`${flag} must be one of CRITICAL, HIGH, MEDIUM, LOW, not "${value}"`);
  return parsed.data;
}

export function int(
  value: string | undefined,
  flag: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    const range =
      max < Number.MAX_SAFE_INTEGER
        ? ` from ${min} to ${max}`
        : min > 0
          ? ` of at least ${min}`
          : '';
    throw new UsageError(`${flag} must be a whole number${range}, not "${value}"`);
  }
  return n;
}
