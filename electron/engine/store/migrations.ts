// The DuckDB schema as an ordered list of migrations. A new file and a file written by
// an older version both reach the current schema: each migration runs once, in order,
// inside a transaction, and `schema_migrations` records which ones a file has.
// Never edit a migration that has shipped; add a new one.

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'core tables',
    statements: [
      `CREATE TABLE sources (
        id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        ingests_ok BIGINT NOT NULL DEFAULT 0,
        ingests_failed BIGINT NOT NULL DEFAULT 0,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE requests (
        id VARCHAR PRIMARY KEY,
        file VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        requested_priority VARCHAR,
        justification VARCHAR,
        author VARCHAR,
        submitted_at TIMESTAMPTZ NOT NULL,
        content_hash VARCHAR,
        facts JSON
      )`,
      `CREATE SEQUENCE job_seq START 1`,
      `CREATE TABLE jobs (
        id VARCHAR PRIMARY KEY,
        seq BIGINT NOT NULL DEFAULT nextval('job_seq'),
        request_id VARCHAR NOT NULL,
        file VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        underlying VARCHAR,
        content_hash VARCHAR,
        priority VARCHAR NOT NULL,
        effective_priority VARCHAR NOT NULL,
        rule VARCHAR NOT NULL,
        rule_version INTEGER,
        status VARCHAR NOT NULL,
        submitted_at TIMESTAMPTZ NOT NULL,
        queued_at TIMESTAMPTZ NOT NULL,
        started_at TIMESTAMPTZ,
        finished_at TIMESTAMPTZ,
        not_before TIMESTAMPTZ,
        attempts INTEGER NOT NULL DEFAULT 0,
        late BOOLEAN NOT NULL DEFAULT false,
        error JSON,
        snapshot_id VARCHAR
      )`,
      `CREATE INDEX jobs_status ON jobs (status)`,
      `CREATE TABLE rule_sets (
        version INTEGER PRIMARY KEY,
        text VARCHAR NOT NULL,
        author VARCHAR NOT NULL,
        comment VARCHAR NOT NULL DEFAULT '',
        created_at TIMESTAMPTZ NOT NULL,
        active BOOLEAN NOT NULL DEFAULT false
      )`,
      `CREATE SEQUENCE audit_seq START 1`,
      `CREATE TABLE audit_log (
        id BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'),
        recorded_at TIMESTAMPTZ NOT NULL,
        kind VARCHAR NOT NULL,
        request_id VARCHAR,
        job_id VARCHAR,
        rule_version INTEGER,
        rule VARCHAR,
        priority VARCHAR,
        facts JSON,
        explanation VARCHAR NOT NULL,
        actor VARCHAR
      )`,
      `CREATE TABLE gex_snapshots (
        id VARCHAR PRIMARY KEY,
        underlying VARCHAR NOT NULL,
        as_of TIMESTAMPTZ NOT NULL,
        as_of_text VARCHAR NOT NULL,
        spot DOUBLE NOT NULL,
        contracts BIGINT NOT NULL,
        total_gex DOUBLE NOT NULL,
        call_gex DOUBLE NOT NULL,
        put_gex DOUBLE NOT NULL,
        zero_gamma DOUBLE,
        call_wall DOUBLE,
        put_wall DOUBLE,
        max_pain DOUBLE,
        total_open_interest DOUBLE NOT NULL,
        total_volume DOUBLE NOT NULL,
        quality JSON NOT NULL,
        content_hash VARCHAR NOT NULL UNIQUE,
        format VARCHAR NOT NULL,
        source_file VARCHAR NOT NULL,
        parquet VARCHAR NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        request_id VARCHAR,
        job_id VARCHAR
      )`,
      `CREATE TABLE gex_strikes (
        snapshot_id VARCHAR NOT NULL,
        expiry DATE NOT NULL,
        strike DOUBLE NOT NULL,
        call_gex DOUBLE NOT NULL,
        put_gex DOUBLE NOT NULL,
        net_gex DOUBLE NOT NULL,
        call_open_interest DOUBLE NOT NULL,
        put_open_interest DOUBLE NOT NULL,
        call_volume DOUBLE NOT NULL,
        put_volume DOUBLE NOT NULL,
        contracts BIGINT NOT NULL
      )`,
      `CREATE INDEX gex_strikes_snapshot ON gex_strikes (snapshot_id)`,
      `CREATE TABLE gamma_profiles (
        snapshot_id VARCHAR NOT NULL,
        level DOUBLE NOT NULL,
        gex DOUBLE NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: 'per-strike and per-expiry views',
    statements: [
      `CREATE VIEW gex_by_strike AS
        SELECT snapshot_id, strike,
          sum(call_gex) AS call_gex, sum(put_gex) AS put_gex, sum(net_gex) AS net_gex,
          sum(call_open_interest) AS call_open_interest, sum(put_open_interest) AS put_open_interest,
          sum(call_volume) AS call_volume, sum(put_volume) AS put_volume
        FROM gex_strikes GROUP BY snapshot_id, strike`,
      `CREATE VIEW gex_by_expiry AS
        SELECT snapshot_id, expiry,
          sum(call_gex) AS call_gex, sum(put_gex) AS put_gex, sum(net_gex) AS net_gex,
          sum(call_open_interest) AS call_open_interest, sum(put_open_interest) AS put_open_interest
        FROM gex_strikes GROUP BY snapshot_id, expiry`,
    ],
  },
  {
    // Exposures beyond gamma (ANALYTICS.md). Snapshots stored before this version keep NULL
    // in the new columns (measures_version NULL) until their file is ingested again.
    version: 3,
    name: 'exposures, expiries and buckets',
    statements: [
      `ALTER TABLE gex_snapshots ADD COLUMN measures_version INTEGER`,
      `ALTER TABLE gex_snapshots ADD COLUMN absolute_gamma_strike DOUBLE`,
      `ALTER TABLE gex_snapshots ADD COLUMN exposure_gex DOUBLE`,
      `ALTER TABLE gex_snapshots ADD COLUMN exposure_dex DOUBLE`,
      `ALTER TABLE gex_snapshots ADD COLUMN exposure_vex DOUBLE`,
      `ALTER TABLE gex_snapshots ADD COLUMN exposure_cex DOUBLE`,
      `ALTER TABLE gex_strikes ADD COLUMN dex DOUBLE`,
      `ALTER TABLE gex_strikes ADD COLUMN vex DOUBLE`,
      `ALTER TABLE gex_strikes ADD COLUMN cex DOUBLE`,
      `CREATE TABLE gex_expiries (
        snapshot_id VARCHAR NOT NULL,
        expiry DATE NOT NULL,
        bucket VARCHAR NOT NULL,
        call_gex DOUBLE NOT NULL,
        put_gex DOUBLE NOT NULL,
        net_gex DOUBLE NOT NULL,
        dex DOUBLE NOT NULL,
        vex DOUBLE NOT NULL,
        cex DOUBLE NOT NULL,
        call_open_interest DOUBLE NOT NULL,
        put_open_interest DOUBLE NOT NULL,
        call_volume DOUBLE NOT NULL,
        put_volume DOUBLE NOT NULL,
        call_wall DOUBLE,
        put_wall DOUBLE,
        contracts BIGINT NOT NULL
      )`,
      `CREATE INDEX gex_expiries_snapshot ON gex_expiries (snapshot_id)`,
      `CREATE TABLE gex_buckets (
        snapshot_id VARCHAR NOT NULL,
        bucket VARCHAR NOT NULL,
        net_gex DOUBLE NOT NULL,
        call_wall DOUBLE,
        put_wall DOUBLE
      )`,
      `CREATE OR REPLACE VIEW gex_by_strike AS
        SELECT snapshot_id, strike,
          sum(call_gex) AS call_gex, sum(put_gex) AS put_gex, sum(net_gex) AS net_gex,
          sum(dex) AS dex, sum(vex) AS vex, sum(cex) AS cex,
          sum(call_open_interest) AS call_open_interest, sum(put_open_interest) AS put_open_interest,
          sum(call_volume) AS call_volume, sum(put_volume) AS put_volume
        FROM gex_strikes GROUP BY snapshot_id, strike`,
      `CREATE OR REPLACE VIEW gex_by_expiry AS
        SELECT snapshot_id, expiry,
          sum(call_gex) AS call_gex, sum(put_gex) AS put_gex, sum(net_gex) AS net_gex,
          sum(call_open_interest) AS call_open_interest, sum(put_open_interest) AS put_open_interest,
          sum(dex) AS dex, sum(vex) AS vex, sum(cex) AS cex,
          sum(call_volume) AS call_volume, sum(put_volume) AS put_volume
        FROM gex_strikes GROUP BY snapshot_id, expiry`,
    ],
  },
  {
    version: 4,
    name: 'arrival: staged content, decisions after a facts read, a complete audit trail',
    statements: [
      // A request's underlying and, once its file has been read, the file's total GEX:
      // what the next request of the same underlying compares with (GUIDELINES v2).
      `ALTER TABLE requests ADD COLUMN underlying VARCHAR`,
      `ALTER TABLE requests ADD COLUMN total_gex DOUBLE`,
      `ALTER TABLE requests ADD COLUMN size BIGINT`,
      `CREATE INDEX requests_underlying ON requests (underlying)`,
      // When the job's level was decided: its arrival, or the end of its facts read (set
      // below: DuckDB refuses to commit an ALTER TABLE after an UPDATE of the same table's rows).
      `ALTER TABLE jobs ADD COLUMN decided_at TIMESTAMPTZ`,
      // Poison files: worker crashes on a job's content, and engine stops during its run,
      // counted across restarts (jobs/transitions.ts sets such a job aside).
      `ALTER TABLE jobs ADD COLUMN crashes INTEGER DEFAULT 0`,
      // Every status change rewrote this index's entry, and DuckDB's status filters do not use it.
      `DROP INDEX IF EXISTS jobs_status`,
      `ALTER TABLE jobs ADD COLUMN interruptions INTEGER DEFAULT 0`,
      // Counts a job's written changes: the UI keeps the newest of events that cross.
      `ALTER TABLE jobs ADD COLUMN revision INTEGER DEFAULT 0`,
      // Migration 6's column, added here too for a file migrated from before this version:
      // its ALTER could not commit after the UPDATE below (migrations share a transaction).
      `ALTER TABLE jobs ADD COLUMN run_ended_at TIMESTAMPTZ`,
      // Migration 8's column, for the same reason (NULL on every row: not recorded).
      `ALTER TABLE jobs ADD COLUMN inbox VARCHAR`,
      // Migration 11's column, for the same reason (NULL: no request had a place yet).
      `ALTER TABLE jobs ADD COLUMN arrival_order BIGINT`,
      `UPDATE jobs SET decided_at = submitted_at`,
      `ALTER TABLE audit_log ADD COLUMN file VARCHAR`,
      `ALTER TABLE audit_log ADD COLUMN underlying VARCHAR`,
      `UPDATE audit_log SET file = j.file, underlying = j.underlying FROM jobs j WHERE audit_log.job_id = j.id`,
    ],
  },
  {
    version: 5,
    name: 'source reliability overrides',
    statements: [
      // An analyst's correction of a source's reliability: what new requests' rules read
      // instead of the share of successful ingests, with who set it, when and why.
      `ALTER TABLE sources ADD COLUMN reliability_override DOUBLE`,
      `ALTER TABLE sources ADD COLUMN override_justification VARCHAR`,
      `ALTER TABLE sources ADD COLUMN override_author VARCHAR`,
      `ALTER TABLE sources ADD COLUMN override_at TIMESTAMPTZ`,
    ],
  },
  {
    version: 6,
    name: 'when a job’s run ended',
    statements: [
      // Its worker's run ended (its result then waited for the store): a job's Ran time ends
      // here, and finished_at (data available) may come much later under a busy store.
      // (Added by migration 4 already on a file that was migrated from before it.)
      `ALTER TABLE jobs ADD COLUMN IF NOT EXISTS run_ended_at TIMESTAMPTZ`,
    ],
  },
  {
    // The conventions a snapshot was computed under (canonical JSON, shared/domain.ts
    // conventionsKey), NULL on the rows stored before: not recorded, not known. The same
    // content under other conventions is another snapshot, so content_hash alone is no
    // longer unique: DuckDB cannot drop a UNIQUE constraint, so the table is copied into one
    // without it (the columns of migrations 1 and 3, in their order, then the new one), and
    // (content_hash, conventions) is the unique key.
    version: 7,
    name: 'the conventions a snapshot was computed under',
    statements: [
      `CREATE TABLE gex_snapshots_7 (
        id VARCHAR PRIMARY KEY,
        underlying VARCHAR NOT NULL,
        as_of TIMESTAMPTZ NOT NULL,
        as_of_text VARCHAR NOT NULL,
        spot DOUBLE NOT NULL,
        contracts BIGINT NOT NULL,
        total_gex DOUBLE NOT NULL,
        call_gex DOUBLE NOT NULL,
        put_gex DOUBLE NOT NULL,
        zero_gamma DOUBLE,
        call_wall DOUBLE,
        put_wall DOUBLE,
        max_pain DOUBLE,
        total_open_interest DOUBLE NOT NULL,
        total_volume DOUBLE NOT NULL,
        quality JSON NOT NULL,
        content_hash VARCHAR NOT NULL,
        format VARCHAR NOT NULL,
        source_file VARCHAR NOT NULL,
        parquet VARCHAR NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        request_id VARCHAR,
        job_id VARCHAR,
        measures_version INTEGER,
        absolute_gamma_strike DOUBLE,
        exposure_gex DOUBLE,
        exposure_dex DOUBLE,
        exposure_vex DOUBLE,
        exposure_cex DOUBLE,
        conventions JSON
      )`,
      `INSERT INTO gex_snapshots_7 BY NAME SELECT * FROM gex_snapshots`,
      `DROP TABLE gex_snapshots`,
      `ALTER TABLE gex_snapshots_7 RENAME TO gex_snapshots`,
      `CREATE UNIQUE INDEX gex_snapshots_content ON gex_snapshots (content_hash, conventions)`,
    ],
  },
  {
    // The watched inbox a job's file was taken by (its folder, whose processing/ the file
    // was read from); '' for a job of any other channel; NULL for a job stored before this
    // version (not recorded). At the next start the inboxes an earlier run was changed
    // from are found by it exactly (inboxesOfJobs), never guessed from a folder named
    // `processing` somewhere in the file's path; a job stored before keeps the rule it
    // had (source `inbox`, the folder above its path's last `processing`). Added by
    // migration 4 already on a file migrated from before it (DuckDB refuses to commit an
    // ALTER TABLE after an UPDATE of the same table's rows, and migrations share a
    // transaction).
    version: 8,
    name: 'the inbox a job was taken by',
    statements: [`ALTER TABLE jobs ADD COLUMN IF NOT EXISTS inbox VARCHAR`],
  },
  {
    // The jobs whose failure on input an analyst retried (store/sources.ts): that failure
    // keeps counting against the source until the retry ends, which then replaces it. A
    // retry queued by an earlier version took its failure back at once, and has no row
    // here: its end is counted as a first outcome, as that version would have.
    version: 9,
    name: 'retried failures kept against their source',
    statements: [
      `CREATE TABLE retried_failures (
        job_id VARCHAR PRIMARY KEY,
        source VARCHAR NOT NULL
      )`,
    ],
  },
  {
    // A request's place in arrival order (intake/memory.ts), given when it is submitted:
    // the files of one command share their arrival to the millisecond, and their jobs'
    // `seq` is the order their rows were written, which is the order their captures ended,
    // not the order they were submitted in. After a restart `gex_change` compares with
    // the request before by this place; NULL for a request stored before (then `seq`).
    version: 10,
    name: 'a request’s place in arrival order',
    statements: [`ALTER TABLE requests ADD COLUMN IF NOT EXISTS arrival_order BIGINT`],
  },
  {
    // The request's place in arrival order on its job too, so that every view of jobs —
    // the Queue's tabs in the browser, which has only the jobs — orders one command's files
    // as they were submitted without asking the requests. Its rows are filled from their
    // requests; a later migration that alters `jobs` must add its column in migration 4
    // and here as well (DuckDB refuses an ALTER TABLE after an UPDATE of the table's rows
    // in one transaction).
    version: 11,
    name: 'a job’s place in arrival order',
    statements: [
      `ALTER TABLE jobs ADD COLUMN IF NOT EXISTS arrival_order BIGINT`,
      `UPDATE jobs SET arrival_order = r.arrival_order
         FROM requests r WHERE r.id = jobs.request_id AND r.arrival_order IS NOT NULL`,
    ],
  },
  {
    // The answers of rule checks (rules/stored-checks.ts) by the SHA-256 of the text checked
    // and the analyser's version, so that a text already analysed (the active version, above
    // all) is not analysed again after a restart. A cache: the last few texts checked, and
    // the active version's; `answer` is the check's JSON ({ ok, diagnostics }).
    version: 12,
    name: 'rule checks kept',
    statements: [
      `CREATE TABLE rule_checks (
        text_sha256 VARCHAR NOT NULL,
        analyser VARCHAR NOT NULL,
        answer VARCHAR NOT NULL,
        checked_at TIMESTAMPTZ NOT NULL
      )`,
    ],
  },
  {
    // What makes a snapshot's chain the same chain whatever its file's bytes
    // (pipeline/chain-fingerprint.ts): a file re-saved with CRLF line ends, a BOM or its
    // rows in another order is the duplicate of the snapshot with its fingerprint under the
    // same conventions (store/snapshots.ts). NULL on the rows stored before: those match
    // by their content hash only.
    version: 13,
    name: 'the chain a snapshot was computed from',
    statements: [`ALTER TABLE gex_snapshots ADD COLUMN IF NOT EXISTS chain_fingerprint VARCHAR`],
  },
  {
    // A class share is one underlying however a file spelt it (shared/underlyings.ts
    // tickerOf): `BRK.B`, `BRK-B` and `BRK/B` are the OCC root CBOE's files write, `BRKB`.
    // Snapshots, jobs and requests stored under such a spelling are renamed to it, so that
    // one stock keeps one history, one row on the board, and its requests the previous
    // request the rules compare with (gex_change). The audit trail keeps what it recorded.
    // The snapshots' Parquet files keep their paths and their rows (`underlying=BRK.B`),
    // as the store and scripts know them, and their fingerprints (computed with the old
    // spelling): a re-saved copy of such a chain is another snapshot, the same bytes still
    // their duplicate by content. The pattern is CLASS_SHARE's. A later migration that
    // alters one of these tables must add its column here too, before the UPDATEs, as
    // migration 4 does (DuckDB refuses an ALTER TABLE after an UPDATE of the table's rows
    // in one transaction, and pending migrations share one).
    version: 14,
    name: 'class shares under their OCC root',
    statements: ['gex_snapshots', 'jobs', 'requests'].map(
      (table) =>
        `UPDATE ${table} SET underlying = regexp_replace(underlying, '^([A-Z]{1,6})[./-]([A-Z])$', '\\1\\2')
           WHERE regexp_matches(underlying, '^([A-Z]{1,6})[./-]([A-Z])$')`,
    ),
  },
];

export const CURRENT_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
