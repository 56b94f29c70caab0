// Every command's usage text, in a module that imports nothing: `gex-desk --help` (and
// a usage error) prints it without loading DuckDB, zod or the engine.

/** The job states a user may filter by (the same as shared/domain.ts's JobStatus; a test checks). */
export const JOB_STATUSES = [
  'deciding',
  'queued',
  'running',
  'completed',
  'duplicate',
  'failed',
  'cancelled',
] as const;

export const INGEST_USAGE = `gex-desk ingest FILE... [--manifest FILE] [--source ID] [--priority LEVEL --justification TEXT] [--author NAME] [--workers N] [--json]
  Submits each file as an ingest request and waits until every request has ended.
  A FILE may be a pattern (chains/*.csv), expanded here where the shell does not (Windows);
  - reads a chain piped in (curl … | gex-desk ingest -).
  --manifest FILE     JSON Lines: {"file","source","requested_priority","justification","author","at_ms"}
                      a line (another key is ignored with a warning; a slip of one, "priority",
                      refuses the line); - reads it piped in (its relative paths from the current folder)
  --source ID         the data source (default: cli; trimmed, in NFC; never inbox or inbox/…, any case)
  --priority LEVEL    manual priority (CRITICAL, HIGH, MEDIUM, LOW); needs --justification
  --justification T   why the manual priority
  --author NAME       who submits (recorded in the audit log)
  --workers N         pipeline workers, 1 to 64 (default: one per core but one, at least one)
  --json              one JSON object a line per request, in submission order`;

export const RULES_USAGE = `gex-desk rules <command>
  eval [--rules FILE]        facts as JSON Lines on stdin → an answer for each line read
  check FILE [--json]        validate a rule file (errors and conflicts with line and column;
                             --json: one object a problem, with its end: endLine, endColumn)
  show [--version N] [--json]
                             print the active (or a stored) rule set
  activate FILE --author NAME [--comment TEXT] [--base N] [--json]
                             store FILE as a new version and make it active; with --base N
                             (the version FILE was edited from), refused (exit 1) when
                             another version has been activated since, or N does not exist
  history [--json]           list the stored versions
  rollback VERSION --author NAME [--comment TEXT] [--base N] [--json]
                             activate an earlier version again (as a new version; its
                             comment "rollback to version VERSION: TEXT"); with --base N
                             (the version it was compared with), refused (exit 1) when
                             another version has been activated since
  whatif FILE [--last N] [--against arrival|active] [--json]
                             replay the last N decided requests (default 1000) under FILE,
                             without activating it: each request whose level would change
                             (against its level at arrival, or --against active: against
                             what the active rules decide on the same facts)
  FILE - (check, activate, whatif) is the rules piped in: gex-desk rules show | … | gex-desk rules check -`;

export const JOBS_USAGE = `gex-desk jobs [--json] [--status STATUS] [--source ID] [--limit N]
  Lists jobs, newest first: all of them, or the first N; a failed job's error code and line.
  STATUS: ${JOB_STATUSES.join(', ')}. --source ID: only that data source's jobs
  (its name exactly; a name no source has is said on stderr).
  jobs retry ID... [--author NAME] [--force] [--json]
                             queue failed or cancelled jobs again (their files as captured at
                             arrival) and wait for their ends, as ingest does; a job that
                             failed on its file's content only with --force
  jobs cancel ID... [--author NAME] [--json]
                             cancel waiting or running jobs
  An ID is a job's, its request's, or the first characters (four or more) of either.`;
export const SNAPSHOTS_USAGE = `gex-desk snapshots [--json] [--underlying SYM] [--limit N]
  Lists stored snapshots, newest as-of first (then the later stored): all of them, or the first N.
  snapshots remove ID --justification TEXT [--author NAME] [--json]
                             remove a snapshot ingested by mistake: its figures and export
                             files (audited; its file may then be ingested again)
  snapshots remove --before DATE [--underlying SYM] [--dry-run] --justification TEXT
                   [--author NAME] [--json]
                             remove every snapshot whose as_of is before DATE (YYYY-MM-DD,
                             the exchange's day, or an ISO time: without an offset, exchange
                             time); --dry-run only counts them`;
export const QUEUE_USAGE = `gex-desk queue [--json] [--drain] [--workers N]
  Shows the queue per level: the active rules' target and late behaviour, waiting, running,
  oldest wait, latency percentiles, late jobs.
  --drain  runs the queued jobs (including those recovered after a crash) until none is left;
           beside the app, in the app, and when it quits meanwhile, in this command; then
           says how the jobs it counted ended ("drained: N completed, M failed"; --json:
           "drained": {completed, failed}), exit 1 when one failed.`;

export const SOURCES_USAGE = `gex-desk sources [--json]
  Each data source: completed and failed ingests, its duplicates (content already stored:
  counted in neither), reliability (completed ÷ (completed + failed)), last ingest, and the
  rules its reliability sets off under the active rules. A name longer than 48 columns is
  cut in its middle (start…end) in the table; --json gives it whole.
  sources set ID --reliability X --justification TEXT [--author NAME] [--json]
                             override the source's reliability (0 to 1) for its next requests
  sources clear ID [--justification TEXT] [--author NAME] [--json]
                             back to the reliability computed from its ingests`;
export const AUDIT_USAGE = `gex-desk audit [--request ID] [--kind KIND] [--json] [--limit N]
  The audit trail with file and underlying: one request's whole trail, oldest first; else
  the latest 500 entries (or N), newest first. KIND: only those (source, rules, removed, …).
  --request takes a request's id, or a job's (as gex-desk jobs prints it) or its first
  characters (four or more): that job's request.`;
export const INBOX_USAGE = `gex-desk inbox [--json]   |   gex-desk inbox set DIR [--take-existing] [--json]
  The watched inbox folder and its counts; \`set\` chooses another (kept in config.json). A
  folder that already holds files is refused unless --take-existing: the inbox ingests each
  and moves it into its done/ or failed/.`;

export const SERVE_USAGE = `gex-desk serve [--port N] [--workers N]
  Serves the desktop UI to a browser on 127.0.0.1 (first line: the address with its token);
  without --port, on the port this database was served on last when it is free.`;

const ATTACH_HELP = `  --attach DIR   also read this export folder (another workstation's data folder), read-only; repeatable`;
const ID_HELP = `  An ID may be given by its first characters (four or more): the tables print it in full.`;

export const SNAPSHOT_USAGE = `gex-desk snapshot ID [--json] [--attach DIR]
  One snapshot in full: figures, exposures (GEX, DEX, VEX, CEX), absolute-gamma strike,
  buckets (0DTE, weekly, monthly), expiries and strikes.
${ID_HELP}
${ATTACH_HELP}`;

export const HISTORY_USAGE = `gex-desk history UNDERLYING [--from ISO] [--to ISO] [--json] [--attach DIR]
  Every snapshot of UNDERLYING, oldest as_of first: spot, total GEX, zero gamma, walls, DEX, VEX, CEX.
  --from, --to   inclusive bounds on as_of: an ISO-8601 timestamp (with an offset, or
                 without one: exchange time, 2024-01-08T09:30), or a date YYYY-MM-DD
                 (that whole day in the exchange's time zone)
${ATTACH_HELP}`;

export const DIFF_USAGE = `gex-desk diff ID_A ID_B [--json] [--attach DIR]
  Snapshot A → B: the move of total GEX, zero gamma and the walls, and every strike whose
  net GEX, call or put open interest changed (a strike missing on one side counts as 0).
${ID_HELP}
${ATTACH_HELP}`;

export const LEVELS_USAGE = `gex-desk levels [--json] [--attach DIR]
  Each underlying's latest snapshot by as_of: spot, zero gamma, walls, absolute-gamma strike,
  total GEX and age.
${ATTACH_HELP}`;

export const EXPORT_USAGE = `gex-desk export ID --format csv|parquet|json --out FILE [--attach DIR] [--json]
  Writes a snapshot's strike table (csv, parquet) or the whole snapshot --json object (json);
  --json says what it wrote as {"id", "format", "out", "strikes"}.
  Without --format, FILE's extension gives it (.csv, .parquet, .json). --out - writes the
  export to standard output (gex-desk export ID --format csv --out - | …).
${ID_HELP}`;

export const USAGE = `gex-desk — gamma exposure from option chains, prioritised by the firm's rules

Usage:
${[INGEST_USAGE, RULES_USAGE, JOBS_USAGE, QUEUE_USAGE, SNAPSHOTS_USAGE, SNAPSHOT_USAGE, HISTORY_USAGE, DIFF_USAGE, LEVELS_USAGE, EXPORT_USAGE, SOURCES_USAGE, AUDIT_USAGE, INBOX_USAGE, SERVE_USAGE].map((u) => '  ' + u.replace(/\n/g, '\n  ')).join('\n\n')}

Every command takes --db PATH (the DuckDB file; default: gex-desk.duckdb in the desktop
app's per-user folder) and --data-dir DIR (Parquet exports; default beside the database),
after the command or before it (gex-desk --db PATH jobs). A path flag given empty
(--db "") is a usage error; so is, for a command that only reads (it never creates the
database), a --db, GEX_DESK_DB or config dbPath where no database is. While the desktop
app or gex-desk serve runs on the database, a command goes through it (same output; another data folder than its own, by --data-dir,
GEX_DESK_DATA_DIR or the config file's dataDir, is refused).
Exit codes: 0 ok; 1 some input rejected or some job failed; 2 usage error; 3 environment
(database held by something that does not answer, disk full, permissions, a share that
does not answer).`;
