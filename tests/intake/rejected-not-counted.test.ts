// A request the rules refuse (INVALID_FACT) is rejected, not ingested (GUIDELINES: "nothing
// is queued"), and counts for its source the same whenever it is found invalid. Before, one
// refused at its arrival (its file's first bytes told the invalid fact) counted nothing,
// while the same rows behind 9,000 cleared Excel rows — invalid only once its facts were
// read — failed its job and counted against the source: 0 of 1, 0.00, G4 for everything
// the source sent next. The real engine, real files, both paths.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { afterEach, expect, it } from 'vitest';
import { engineIn } from '../desktop/engine.ts';
import type { Engine } from '../../electron/engine/engine.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.shutdown(5000);
  engine = null;
});

/** A 10-contract long-format chain, `blank` cleared rows (commas only) after its header. */
function chain(file: string, underlying: string, asOf: string, blank = 0, oi = 1000): string {
  const lines = ['underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv'];
  for (let i = 0; i < blank; i++) lines.push(',,,,,,,,');
  for (const k of [90, 95, 100, 105, 110])
    for (const t of ['C', 'P'])
      lines.push(`${underlying},${asOf},100,2024-04-19,${k},${t},${oi},6000,0.2${k % 7}`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const STALE = '2024-03-01T10:30:00-05:00';

async function sourceRecord(e: Engine, id: string) {
  const sources = await e.handlers['sources:list']({});
  if (!sources.ok) throw new Error(sources.error.message);
  const s = sources.value.find((x) => x.id === id);
  return s && { completed: s.completed, failed: s.failed, reliability: s.reliability };
}

/** The reliability a valid request of the source is decided with (what G4 reads). */
async function decidedWith(e: Engine, dir: string, source: string): Promise<unknown> {
  const ack = await e.handlers['ingest:submit']({
    file: chain(join(dir, `${source}-ok.csv`), `OK${source.toUpperCase()}`, STALE),
    source,
  });
  if (!ack.ok) throw new Error(ack.error.message);
  await e.drain();
  const trail = await e.handlers['audit:list']({
    request_id: ack.value.request_id,
    limit: 500,
    order: 'oldest',
  });
  if (!trail.ok) throw new Error(trail.error.message);
  return trail.value.find((a) => a.kind === 'decision')?.facts?.source_reliability;
}

it('counts a request the rules refuse for its source neither at its arrival nor after its read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-rejected-'));
  engine = await engineIn(dir);
  const submit = async (file: string, source: string) => {
    const ack = await engine!.handlers['ingest:submit']({ file, source });
    if (!ack.ok) throw new Error(ack.error.message);
    await engine!.drain();
    if (ack.value.job_id === null) return [ack.value.status, ack.value.error?.code];
    const job = await engine!.handlers['jobs:get']({ id: ack.value.job_id });
    if (!job.ok) throw new Error(job.error.message);
    return [job.value.job.status, job.value.job.error?.code];
  };
  // An underlying of 12 letters, seen in the first bytes: refused at its arrival, no job.
  expect(await submit(chain(join(dir, 'a.csv'), 'ABCDEFGHIJKL', STALE), 's1')).toEqual([
    'rejected',
    'INVALID_FACT',
  ]);
  // The same rows behind 9,000 cleared rows: found invalid only by its facts read.
  expect(await submit(chain(join(dir, 'b.csv'), 'ABCDEFGHIJKL', STALE, 9000), 's2')).toEqual([
    'failed',
    'INVALID_FACT',
  ]);
  // Data from 2030: refused at its arrival.
  expect(await submit(chain(join(dir, 'c.csv'), 'FUT', '2030-01-02T10:30:00Z'), 's3')).toEqual([
    'rejected',
    'INVALID_FACT',
  ]);
  // The same as Parquet (QA fmt F7). A text as_of: its footer's statistics tell it, so
  // refused at its arrival. A timestamp-typed one too, whatever its zone: its footer gives
  // its instant, and the zone of its column (Arrow's schema) the string the reader writes
  // (docs/formats.md, Sniff).
  const csv = chain(join(dir, 'd.csv'), 'FUT', '2030-01-02T10:30:00Z');
  const frame = pl.readCSV(csv, { inferSchemaLength: 0 });
  const text = join(dir, 'd-text.parquet');
  frame.writeParquet(text);
  expect(await submit(text, 's3')).toEqual(['rejected', 'INVALID_FACT']);
  for (const dtype of [
    pl.Datetime('us', 'UTC'),
    pl.Datetime('ms', 'America/Chicago'),
    pl.Datetime('ns'),
  ]) {
    const typed = join(dir, `d-typed-${String(dtype).replace(/\W+/g, '-')}.parquet`);
    frame
      .withColumns(
        pl
          .Series(
            'as_of',
            Array.from({ length: frame.height }, () => new Date('2030-01-02T10:30:00Z')),
            pl.Datetime('us', 'UTC'),
          )
          .cast(dtype)
          .alias('as_of'),
      )
      .writeParquet(typed);
    expect(await submit(typed, 's3'), String(dtype)).toEqual(['rejected', 'INVALID_FACT']);
  }
  for (const s of ['s1', 's2', 's3'])
    expect(await sourceRecord(engine, s)).toEqual({ completed: 0, failed: 0, reliability: 1 });
  // What G4 reads agrees.
  expect(await decidedWith(engine, dir, 's1')).toBe(1);
  expect(await decidedWith(engine, dir, 's2')).toBe(1);

  // An input error found by the read still counts, as it does at the arrival.
  const bad = chain(join(dir, 'bad.csv'), 'BADV', STALE, 9000, -5);
  expect(await submit(bad, 's2')).toEqual(['failed', 'BAD_VALUE']);
  const empty = join(dir, 'empty.csv');
  writeFileSync(empty, '');
  expect(await submit(empty, 's1')).toEqual(['failed', 'EMPTY_FILE']);
  expect(await sourceRecord(engine, 's2')).toEqual({ completed: 1, failed: 1, reliability: 0.5 });
  expect(await sourceRecord(engine, 's1')).toEqual({ completed: 1, failed: 1, reliability: 0.5 });
});
