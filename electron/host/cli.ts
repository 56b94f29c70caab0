// The `gex-desk` command (CONTRACTS.md): a public interface that the firm's import
// scripts, schedulers and checks depend on. Exit codes: 0 all went well; 1 some input
// was rejected or some job failed; 2 usage error; 3 the environment failed.
import {
  DIFF_USAGE,
  diffCommand,
  HISTORY_USAGE,
  historyCommand,
  LEVELS_USAGE,
  levelsCommand,
  SNAPSHOT_USAGE,
  snapshotCommand,
} from './cli/analytics.ts';
import { EXPORT_USAGE, exportCommand } from './cli/export.ts';
import { ingestCommand, INGEST_USAGE } from './cli/ingest.ts';
import { EXIT, stdio, UsageError, type ExitCode, type Output } from './cli/io.ts';
import {
  JOBS_USAGE,
  jobsCommand,
  QUEUE_USAGE,
  queueCommand,
  SNAPSHOTS_USAGE,
  snapshotsCommand,
} from './cli/listings.ts';
import { RULES_USAGE, rulesCommand } from './cli/rules.ts';
import { SERVE_USAGE, serveCommand } from './cli/serve-command.ts';

const USAGE = `gex-desk — gamma exposure from option chains, prioritised by the firm's rules

Usage:
${[INGEST_USAGE, RULES_USAGE, JOBS_USAGE, QUEUE_USAGE, SNAPSHOTS_USAGE, SNAPSHOT_USAGE, HISTORY_USAGE, DIFF_USAGE, LEVELS_USAGE, EXPORT_USAGE, SERVE_USAGE].map((u) => '  ' + u.replace(/\n/g, '\n  ')).join('\n\n')}

Every command takes --db PATH (the DuckDB file; default: the desktop app's per-user file)
and --data-dir DIR (Parquet exports; default beside the database).
Exit codes: 0 ok; 1 some input rejected or some job failed; 2 usage error; 3 environment
(database locked, disk full, permissions).`;

const COMMANDS: Record<string, (argv: string[], out: Output) => Promise<ExitCode>> = {
  ingest: ingestCommand,
  rules: rulesCommand,
  jobs: jobsCommand,
  queue: queueCommand,
  snapshots: snapshotsCommand,
  snapshot: snapshotCommand,
  history: historyCommand,
  diff: diffCommand,
  levels: levelsCommand,
  export: exportCommand,
  serve: serveCommand,
};

export async function main(argv: string[], out: Output = stdio): Promise<ExitCode> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    out.line(USAGE);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version') {
    out.line('0.1.0');
    return EXIT.ok;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageError(`unknown command "${command}"`);
    return await run(rest, out);
  } catch (e) {
    if (e instanceof UsageError) {
      out.error(`gex-desk: ${e.message}\nRun "gex-desk --help" for usage.`);
      return EXIT.usage;
    }
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
