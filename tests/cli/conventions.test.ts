// The GEX conventions a snapshot was computed under, through the real command (real
// engine, DuckDB and Polars): the same bytes ingested under other conventions are a new
// snapshot with their own figures, a duplicate only under the same ones; and
// `snapshot --json`, the text view and the snapshot's export row all say which they were.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONVENTIONS } from '../../shared/domain.ts';
import { exportFilesOf } from '../../electron/engine/export-layout.ts';
import { runCli } from './run-cli.ts';

const CHAIN = `underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv
QCV,2024-01-10T10:30:00-05:00,100,2024-03-15,100,C,1000,1,0.2
QCV,2024-01-10T10:30:00-05:00,100,2024-03-15,95,P,800,1,0.22
`;

describe('conventions recorded with a snapshot', () => {
  it('the same file under act-365 then the default business-262 is two snapshots, each a duplicate only of itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-conv-'));
    const file = join(dir, 'c.csv');
    writeFileSync(file, CHAIN);
    const actConfig = join(dir, 'act.json');
    writeFileSync(actConfig, JSON.stringify({ conventions: { day_count: 'act-365' } }));
    const args = ['--db', join(dir, 'db.duckdb'), '--data-dir', join(dir, 'data')];
    const act = { env: { GEX_DESK_CONFIG: actConfig } };
    const defaultsConfig = join(dir, 'defaults.json');
    writeFileSync(defaultsConfig, '{}');
    const none = { env: { GEX_DESK_CONFIG: defaultsConfig } };
    const ingest = async (opts: typeof act) => {
      const r = await runCli(['ingest', file, '--json', ...args], opts);
      expect(r.stderr).toBe('');
      expect(r.lines).toHaveLength(1);
      return r.lines[0] as { status: string; snapshot: Record<string, unknown> };
    };

    const first = await ingest(act);
    expect(first.status).toBe('completed');
    expect(first.snapshot.total_gex).toBe(184934.84);

    // The same bytes under the defaults: a new snapshot with the defaults' figures (as a
    // fresh database gives), not the act-365 one as a duplicate.
    const second = await ingest(none);
    expect(second.status).toBe('completed');
    expect(second.snapshot.id).not.toBe(first.snapshot.id);
    expect(second.snapshot.total_gex).toBe(183940.49);

    // Each is the duplicate of the same bytes under its own conventions.
    const again = await ingest(act);
    expect(again.status).toBe('duplicate');
    expect(again.snapshot.id).toBe(first.snapshot.id);
    expect(again.snapshot.total_gex).toBe(184934.84);
    const againDefault = await ingest(none);
    expect(againDefault.status).toBe('duplicate');
    expect(againDefault.snapshot.id).toBe(second.snapshot.id);

    // The ingest lines say which conventions.
    expect(first.snapshot.conventions).toEqual({ ...DEFAULT_CONVENTIONS, day_count: 'act-365' });
    expect(second.snapshot.conventions).toEqual(DEFAULT_CONVENTIONS);

    // `snapshot --json` and its text say which conventions.
    const detail = await runCli(['snapshot', String(first.snapshot.id), '--json', ...args], none);
    expect(detail.lines[0]!.conventions).toEqual({ ...DEFAULT_CONVENTIONS, day_count: 'act-365' });
    const text = await runCli(['snapshot', String(first.snapshot.id), ...args], none);
    expect(text.stdout).toContain('conventions: act-365, r 0 %, q 0 %, ×100 (not the defaults)');
    const listed = await runCli(['snapshots', '--json', ...args], none);
    expect(
      listed.lines.map((l) => (l.conventions as { day_count: string }).day_count).sort(),
    ).toEqual(['act-365', 'business-262']);

    // The snapshot's export row records them too (what an attached folder reads).
    const row = pl
      .readParquet(exportFilesOf(String(first.snapshot.parquet)).snapshot)
      .toRecords()[0]!;
    expect(JSON.parse(String(row.conventions))).toEqual({
      ...DEFAULT_CONVENTIONS,
      day_count: 'act-365',
    });
  });
});
