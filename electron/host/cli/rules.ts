// `gex-desk rules eval|check|show|activate|history|rollback|whatif`: the firm's rules
// from the command line. `check` and `eval` never write to the database. `check` loads
// the rules compiler only; the others reach the stored rules through the API map
// (api.ts): the running engine's, or the store opened by this command.
import { readFileSync } from 'node:fs';
import type { Result } from '../../../shared/result.ts';
import { validText } from '../../../shared/check-verdict.ts';
import type { Diagnostic } from '../../../shared/rules.ts';
import type { ConfigOverrides } from '../../engine/config.ts';
import { readError } from '../../engine/read-error.ts';
import { checkRules, evalLines, rulesError, type CompiledRules } from '../../engine/rules/index.ts';
import { openApi, READS, withApi } from './api.ts';
import { authorOption, engineOptions, int, parse } from './args.ts';
import {
  describeError,
  EXIT,
  exitFor,
  table,
  UsageError,
  type ExitCode,
  type Output,
  refuse,
  refusalLine,
} from './io.ts';
import { nearWord } from '../../../shared/near-words.ts';
import { pipedText } from './piped-input.ts';
import { RULES_USAGE } from './usage.ts';

/** How a rule file `-` (standard input) is named in what the command prints. */
export const ruleFileName = (path: string): string => (path === '-' ? '<stdin>' : path);

/**
 * A rule file's text, `-` for standard input (`gex-desk rules show | sed … | gex-desk rules
 * check -`); one that cannot be read is a usage error, in words ("… does not exist").
 */
export async function readText(path: string, command: string): Promise<string> {
  if (path === '-')
    return pipedText(
      `rules ${command} -`,
      `give a rule FILE, or pipe the rules in (… | gex-desk rules ${command} -)`,
    );
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const refused = readError(path, e);
    throw new UsageError(`cannot read the rule file: ${refused.ok ? path : refused.error.message}`);
  }
}

const RULES_COMMANDS = ['eval', 'check', 'show', 'activate', 'history', 'rollback', 'whatif'];

/** A problem of a rule file as `rules check` says it: `FILE:LINE:COLUMN: error CODE: message`. */
export const diagnosticLine = (file: string, d: Diagnostic): string =>
  `${file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`;

/**
 * A rule file that is not valid, said on stderr as `rules check` says it (each problem at
 * its file, line and column, then "FILE: not valid"), before anything else is done; true
 * when it was. `eval --rules`, `activate` and `whatif` said only the first problem, with
 * neither the file nor (eval) the line.
 */
export const refusedAsChecked = (
  file: string,
  text: string,
  out: Output,
  json?: boolean,
): boolean => checkedOrRefused(file, text, out, json) === null;

/**
 * As refusedAsChecked, but a valid file's warnings, null when it was refused. With --json
 * the refusal's line too (refusalLine): the first error, at its line and column in `file`.
 */
function checkedOrRefused(
  file: string,
  text: string,
  out: Output,
  json?: boolean,
): Diagnostic[] | null {
  const checked = checkRules(text);
  if (checked.ok) return checked.diagnostics;
  for (const d of checked.diagnostics) out.error(diagnosticLine(file, d));
  out.error(`${file}: not valid`);
  refusalLine(out, { ...rulesError(checked.diagnostics).error, file }, json);
  return null;
}

/**
 * A valid file's warnings, on stderr as `rules check` says them, then its verdict ("FILE:
 * valid — partly checked (1 limit)"); nothing when it has none. `rules activate` of a set
 * the analysis stopped short on said only "rule set version N is active", while `rules
 * check` and the app's Activate dialog said what was not checked (QA land F7); `rules
 * rollback` says those of the version it restores, `file` then `version N`.
 */
function sayWarnings(file: string, warnings: Diagnostic[], out: Output): void {
  if (warnings.length === 0) return;
  for (const d of warnings) out.error(diagnosticLine(file, d));
  out.error(`${file}: ${validText(warnings)}`);
}

/**
 * The warnings of a stored version's text, as `rules check` finds them; none when it is not
 * valid to this release (the engine's rollback refuses it, saying why).
 */
function warningsOf(text: string): Diagnostic[] {
  const checked = checkRules(text);
  return checked.ok ? checked.diagnostics : [];
}

export async function rulesCommand(argv: string[], out: Output): Promise<ExitCode> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'eval':
      return evalCommand(rest, out);
    case 'check':
      return checkCommand(rest, out);
    case 'show':
    case 'activate':
    case 'history':
    case 'rollback':
      return storedCommand(sub, rest, out);
    case 'whatif':
      return (await import('./rules-whatif.ts')).whatifCommand(rest, out);
    case undefined:
      return (out.error(RULES_USAGE), EXIT.usage); // as gex-desk with no command (cli.ts)
    case '--help':
    case '-h':
    case 'help':
      out.line(RULES_USAGE);
      return EXIT.ok;
    default: {
      const near = nearWord(sub, RULES_COMMANDS);
      throw new UsageError(
        `unknown rules command "${sub}"${near ? ` (did you mean \`rules ${near}\`?)` : ''}\n${RULES_USAGE}`,
      );
    }
  }
}

async function checkCommand(argv: string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parse(
    argv,
    { json: { type: 'boolean' } },
    { command: 'rules check', args: ['FILE'] },
  );
  if (values.help) return (out.line(RULES_USAGE), EXIT.ok);
  if (positionals.length !== 1) throw new UsageError('rules check takes one FILE');
  const file = ruleFileName(positionals[0]!);
  const result = checkRules(await readText(positionals[0]!, 'check'));
  for (const d of result.diagnostics) {
    if (values.json) out.json({ file, ...d });
    else out.line(diagnosticLine(file, d));
  }
  // Valid (exit 0) even when partly checked: warnings never block; the line says so. With
  // --json a valid file ends with its verdict's line too (it printed nothing when it had no
  // warning); a file not valid is its problems' lines, each an error or a warning.
  if (values.json && result.ok)
    out.json({
      file,
      valid: true,
      warnings: result.diagnostics.length,
      verdict: validText(result.diagnostics),
    });
  if (!values.json)
    out.line(result.ok ? `${file}: ${validText(result.diagnostics)}` : `${file}: not valid`);
  return result.ok ? EXIT.ok : EXIT.rejected;
}

async function evalCommand(argv: string[], out: Output): Promise<ExitCode> {
  const { values } = parse(
    argv,
    { rules: { type: 'string' } },
    {
      command: 'rules eval',
      // `rules check FILE` and `rules whatif FILE` take the file so.
      hint: (w) =>
        argv.some((a) => a === '--rules' || a.startsWith('--rules='))
          ? undefined
          : `the rule file goes after --rules (gex-desk rules eval --rules ${w}); the facts come on stdin`,
    },
  );
  if (values.help) return (out.line(RULES_USAGE), EXIT.ok);
  const { compileText } = await import('../../engine/rules/service.ts');
  if (values.rules === '-')
    throw new UsageError('rules eval reads the facts on stdin; give the rules as a FILE');
  const text = values.rules === undefined ? null : await readText(values.rules, 'eval');
  const compiled =
    text !== null ? compileText(text, null) : await activeRules(engineOptions(values), out);
  if (!compiled.ok) {
    // A rule file refused as `rules check` says it, at its file, line and column (checked
    // only then: its analysis would slow every eval of a valid file by a tenth of a second).
    if (text === null || !refusedAsChecked(values.rules!, text, out))
      out.error(describeError(compiled.error));
    return exitFor(compiled.error);
  }
  let anyError = false;
  // The bytes themselves, not node:readline's lines: it ends a line at a lone CR too,
  // where JSON Lines (and a caller pairing answers with its lines) end one at LF alone.
  for await (const line of evalLines(process.stdin, compiled.value)) {
    // Said by the answer's own `error` key, not by its text: an id may hold `"error"`.
    if ((JSON.parse(line) as { error?: unknown }).error !== undefined) anyError = true;
    out.line(line);
  }
  return anyError ? EXIT.rejected : EXIT.ok;
}

/**
 * The active rules without writing anything: the per-user database not made yet means the
 * defaults (its empty store's), a database named where none is a usage error (api.ts).
 */
async function activeRules(
  overrides: ConfigOverrides,
  out: Output,
): Promise<Result<CompiledRules>> {
  const { compileText } = await import('../../engine/rules/service.ts');
  const opened = await openApi(overrides, READS, { onWait: (m) => out.error(m) });
  if (!opened.ok) return opened;
  try {
    const active = await opened.value.api.call('rules:active', {});
    return active.ok ? compileText(active.value.text, active.value.version) : active;
  } finally {
    await opened.value.close();
  }
}

async function storedCommand(sub: string, argv: string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parse(
    argv,
    {
      author: { type: 'string' },
      comment: { type: 'string' },
      version: { type: 'string' },
      base: { type: 'string' },
      json: { type: 'boolean' },
    },
    {
      command: `rules ${sub}`,
      args: sub === 'activate' ? ['FILE'] : sub === 'rollback' ? ['VERSION'] : [],
      hint: (w) =>
        sub === 'show' && /^\d+$/.test(w)
          ? `did you mean \`rules show --version ${w}\`?`
          : undefined,
    },
  );
  if (values.help) return (out.line(RULES_USAGE), EXIT.ok);
  if ((sub === 'activate' || sub === 'rollback') && !values.author?.trim())
    throw new UsageError(`rules ${sub} needs --author NAME`);
  const author = authorOption(values.author);
  if ((sub === 'activate' || sub === 'rollback') && positionals.length !== 1)
    throw new UsageError(`rules ${sub} takes one ${sub === 'activate' ? 'FILE' : 'VERSION'}`);
  if (values.base !== undefined && sub !== 'activate' && sub !== 'rollback')
    throw new UsageError(
      `--base is for rules activate and rollback (the version the change was made against)`,
    );
  if (values.comment !== undefined && sub !== 'activate' && sub !== 'rollback')
    throw new UsageError(`--comment is for rules activate and rollback (why the change was made)`);
  // The version FILE was edited from (or a rollback compared with): refused (exit 1) when
  // another is active by then, or when no such version was stored.
  const base = int(values.base, '--base', 1);
  const text = sub === 'activate' ? await readText(positionals[0]!, 'activate') : '';
  // Refused as `rules check` refuses it, without touching the database; its warnings are
  // said once it is active.
  const checked =
    sub === 'activate'
      ? checkedOrRefused(ruleFileName(positionals[0]!), text, out, values.json)
      : [];
  if (checked === null) return EXIT.rejected;
  const version =
    sub === 'rollback' ? int(positionals[0], 'VERSION', 1)! : int(values.version, '--version');
  // show and history only read: they create no database (api.ts, READS).
  const needs = sub === 'show' || sub === 'history' ? READS : ({ kind: 'store' } as const);
  return withApi({ ...engineOptions(values), json: values.json }, out, needs, async (api) => {
    switch (sub) {
      case 'show': {
        const r =
          version === undefined
            ? await api.call('rules:active', {})
            : await api.call('rules:get', { version });
        if (!r.ok) return refuse(out, r.error, values.json);
        if (values.json) out.json(r.value);
        else out.line(r.value.text.trimEnd());
        return EXIT.ok;
      }
      case 'history': {
        const r = await api.call('rules:history', {});
        if (!r.ok) return refuse(out, r.error, values.json);
        if (values.json) r.value.forEach((v) => out.json(v));
        else
          out.line(
            table(
              ['version', 'active', 'created', 'author', 'comment'],
              r.value.map((v) => [
                v.version,
                v.active ? '*' : '',
                v.created_at,
                v.author,
                v.comment,
              ]),
            ),
          );
        return EXIT.ok;
      }
      default: {
        // A deploy script that activates the desk's rule file every day makes no new
        // version while the file is the active text; nor does a rollback to a version
        // whose text is the active one.
        const target =
          sub === 'activate'
            ? { ok: true as const, value: { text } }
            : await api.call('rules:get', { version: version! });
        // What the set made active warns of, said once it is: the file's, checked above; a
        // rollback's, those of the version it restores, named so (`version 2:…: warning …`,
        // at the line and column of `rules show --version 2`). A rollback said none.
        const said = (): void =>
          sub === 'activate'
            ? sayWarnings(ruleFileName(positionals[0]!), checked, out)
            : sayWarnings(
                `version ${version}`,
                target.ok ? warningsOf(target.value.text) : [],
                out,
              );
        const active = await api.call('rules:active', {});
        if (
          target.ok &&
          active.ok &&
          (base === undefined || base === active.value.version) &&
          active.value.version !== null &&
          active.value.text === target.value.text
        ) {
          const history = await api.call('rules:history', {});
          const current = history.ok ? history.value.find((v) => v.active) : undefined;
          if (values.json && current) out.json(current);
          else
            out.line(
              `rule set version ${active.value.version} is already active with the text of ${sub === 'activate' ? ruleFileName(positionals[0]!) : `version ${version}`}: nothing changed`,
            );
          said();
          return EXIT.ok;
        }
        const r =
          sub === 'activate'
            ? await api.call('rules:activate', {
                text,
                author: author!,
                comment: values.comment ?? '',
                ...(base !== undefined ? { base } : {}),
              })
            : await api.call('rules:rollback', {
                version: version!,
                author: author!,
                ...(values.comment !== undefined ? { comment: values.comment } : {}),
                ...(base !== undefined ? { base } : {}),
              });
        if (!r.ok) return refuse(out, r.error, values.json);
        if (values.json) out.json(r.value);
        else
          out.line(
            `rule set version ${r.value.version} is active (${r.value.comment || 'no comment'})`,
          );
        said();
        return EXIT.ok;
      }
    }
  });
}
