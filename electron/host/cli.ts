// The `gex-desk` command (CONTRACTS.md): a public interface that the firm's import
// scripts, schedulers and checks depend on. Exit codes: 0 all went well; 1 some input
// was rejected or some job failed; 2 usage error; 3 the environment failed.
import { EXIT, stdio, UsageError, type ExitCode, type Output } from './cli/io.ts';
import { nearWord } from '../../shared/near-words.ts';
import { USAGE } from './cli/usage.ts';

type Command = (argv: string[], out: Output) => Promise<ExitCode>;

// Each command's module (and what it imports: DuckDB, the engine, the rules compiler)
// is loaded only when that command runs, so `--help` and the listings start fast.
// Every command reaches the engine the same way, through the API map (cli/api.ts
// `withApi`): the running engine's local endpoint when one holds the database, else
// the database opened by the command itself. A new command is one entry here, one
// module in cli/ that reads its flags with `parse` (cli/args.ts), told what words it
// takes besides (any other is a usage error), and calls
// `withApi(…, api => api.call('name:verb', request))`, its usage in cli/usage.ts, and — for a new call — its schema in shared/api.ts and its
// handler in engine/api/store-handlers.ts (store only) or engine/engine.ts.
const COMMANDS: Record<string, () => Promise<Command>> = {
  ingest: async () => (await import('./cli/ingest.ts')).ingestCommand,
  rules: async () => (await import('./cli/rules.ts')).rulesCommand,
  jobs: async () => (await import('./cli/listings.ts')).jobsCommand,
  queue: async () => (await import('./cli/listings.ts')).queueCommand,
  snapshots: async () => (await import('./cli/listings.ts')).snapshotsCommand,
  snapshot: async () => (await import('./cli/analytics.ts')).snapshotCommand,
  history: async () => (await import('./cli/analytics.ts')).historyCommand,
  diff: async () => (await import('./cli/analytics.ts')).diffCommand,
  levels: async () => (await import('./cli/analytics.ts')).levelsCommand,
  export: async () => (await import('./cli/export.ts')).exportCommand,
  sources: async () => (await import('./cli/sources.ts')).sourcesCommand,
  audit: async () => (await import('./cli/audit.ts')).auditCommand,
  inbox: async () => (await import('./cli/inbox.ts')).inboxCommand,
  serve: async () => (await import('./cli/serve-command.ts')).serveCommand,
};

/** Options every command takes (CONTRACTS.md). */
const GLOBAL_OPTIONS = new Set(['--db', '--data-dir']);

/**
 * Scripts also write the options every command takes before the command
 * (`gex-desk --db X jobs`, as `git -C`): they are moved after it and its subcommand,
 * where its parser reads them, but before any `--` (after which everything is a file).
 * One given again after the command is a usage error there (args.ts givenOnce), so
 * neither place wins over the other.
 */
function commandFirst(argv: string[]): string[] {
  let i = 0;
  while (i < argv.length && GLOBAL_OPTIONS.has(argv[i]!.split('=')[0]!)) {
    const next = argv[i + 1];
    // Said as after the command (Node's words there), not answered with the whole usage.
    if (!argv[i]!.includes('=') && (next === undefined || GLOBAL_OPTIONS.has(next.split('=')[0]!)))
      throw new UsageError(`Option '${argv[i]} <value>' argument missing`);
    i += argv[i]!.includes('=') ? 1 : 2;
  }
  if (i === 0) return argv;
  if (i >= argv.length) return []; // options and no command: the usage
  const rest = argv.slice(i + 1);
  const end = rest.includes('--') ? rest.indexOf('--') : rest.length;
  return [argv[i]!, ...rest.slice(0, end), ...argv.slice(0, i), ...rest.slice(end)];
}

export async function main(argv: string[], out: Output = stdio): Promise<ExitCode> {
  let args: string[];
  try {
    args = commandFirst(argv);
  } catch (e) {
    if (e instanceof UsageError) return usageFailure(out, e);
    throw e;
  }
  const [command, ...rest] = args;
  // Asked for, the usage is the answer (stdout); no command at all is a usage error, said
  // on stderr as every other one is (a script reading stdout must not take it for data).
  if (command === undefined) return (out.error(USAGE), EXIT.usage);
  if (command === '--help' || command === '-h' || command === 'help') {
    out.line(USAGE);
    return EXIT.ok;
  }
  if (command === '--version') {
    out.line('0.1.0');
    return EXIT.ok;
  }
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  try {
    if (!load) {
      const near = nearWord(command, Object.keys(COMMANDS));
      throw new UsageError(
        `unknown command "${command}"${near ? ` (did you mean \`gex-desk ${near}\`?)` : ''}`,
      );
    }
    return await (
      await load()
    )(rest, out);
  } catch (e) {
    if (e instanceof UsageError) return usageFailure(out, e);
    const error = e as NodeJS.ErrnoException;
    if (
      error.code === 'ENOSPC' ||
      error.code === 'EACCES' ||
      error.code === 'EPERM' ||
      error.code === 'EROFS'
    ) {
      out.error(`gex-desk: ${error.message}`);
      return EXIT.environment;
    }
    out.error(`gex-desk: internal error: ${error.stack ?? error.message}`);
    return EXIT.rejected;
  }
}

/** A usage error as every one is said: `gex-desk: …` and where the usage is; exit 2. */
function usageFailure(out: Output, e: UsageError): ExitCode {
  out.error(`gex-desk: ${e.message}\nRun "gex-desk --help" for usage.`);
  return EXIT.usage;
}
