// A snapshot's created_at (and its conventions) travel in its export row (`created_at_ms`): the store keeps the
// very value its row records, and a desk that attaches the folder reads it from there,
// through either way the rows are read (a partition's glob, or one file); a row file
// written before the column existed falls back to its modification time, beside newer ones
// in the same partition.
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { afterAll, describe, expect, it } from 'vitest';
import { ExportFolder } from '../../electron/engine/analytics/export-folder.ts';
import { ExportOrigin } from '../../electron/engine/analytics/export-origin.ts';
import { exportFilesOf } from '../../electron/engine/export-layout.ts';
import { DEFAULT_CONVENTIONS } from '../../shared/domain.ts';
import { writeChain } from './chains.ts';
import { cleanupDirs, ingestFile, workstation } from './helpers.ts';

afterAll(cleanupDirs);

describe('created_at in the export row', () => {
  it('is the store’s, read by a glob or one by one; an older file’s is its time', async () => {
    const theirs = await workstation();
    const stored: { id: string; row: string }[] = [];
    for (const [i, hour] of [10, 11, 12].entries()) {
      const file = join(theirs.dir, `q${i}.csv`);
      writeChain(file, {
        underlying: 'QCRT',
        asOf: `2024-01-19T${hour}:00:00-05:00`,
        spot: 100,
        expiries: ['2024-01-26'],
        strikes: 5,
        seed: i + 1,
      });
      const { id, output } = await ingestFile(theirs, file);
      stored.push({ id, row: exportFilesOf(output.strikesParquet).snapshot });
    }
    const created = new Map(
      (
        await theirs.store.all<{ id: string; ms: number }>(
          'SELECT id, epoch_ms(created_at)::DOUBLE AS ms FROM gex_snapshots',
        )
      ).map((r) => [r.id, Number(r.ms)]),
    );
    // The store keeps what the row records.
    for (const s of stored)
      expect(Number(pl.readParquet(s.row).toRecords()[0]!.created_at_ms)).toBe(created.get(s.id));

    // The first as written before 2026-12-06: no created_at_ms (its time long before), no
    // conventions (not recorded).
    const old = stored[0]!;
    pl.readParquet(old.row).drop('created_at_ms', 'conventions').writeParquet(old.row);
    const when = new Date(Date.UTC(2024, 0, 19, 15, 0, 0, 250));
    utimesSync(old.row, when, when);
    const want = new Map(created).set(old.id, when.getTime());

    // Touched after being written (copied without -p, say): the row's value stands.
    const touched = new Date(Date.UTC(2030, 0, 1));
    utimesSync(stored[2]!.row, touched, touched);

    // The whole partition: one glob over files with and without the column.
    const globbed = await new ExportOrigin(new ExportFolder(theirs.dataDir)).history(
      'QCRT',
      -8.64e15,
      8.64e15,
    );
    expect(globbed.unreadable).toEqual([]);
    expect(new Map(globbed.rows.map((r) => [r.id, r.created_ms]))).toEqual(want);
    const conv = new Map(stored.map((s) => [s.id, s === old ? null : DEFAULT_CONVENTIONS]));
    expect(new Map(globbed.rows.map((r) => [r.id, r.conventions]))).toEqual(conv);
    // One file at a time (a snapshot's summary).
    for (const s of stored) {
      const one = await new ExportOrigin(new ExportFolder(theirs.dataDir)).summary(s.id);
      expect(one?.created_ms).toBe(want.get(s.id));
      expect(one?.conventions).toEqual(conv.get(s.id));
    }
    await theirs.store.close();
  });
});
