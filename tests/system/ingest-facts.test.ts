// The facts a request is decided from, derived by the engine before the full pipeline:
// GEX change against the latest stored snapshot of the same underlying, the source's
// reliability from its ingest history, and the decision's own `now`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../electron/engine/store/audit.ts';
import { writeBadFiles, writeCboeCsv, writeLongCsv } from '../fixtures/option-chains.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';

let running: TestEngine | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

describe('facts derived at submission', () => {
  it('computes gex_change against the latest snapshot of the underlying, and reliability from the source history', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const dir = mkdtempSync(join(tmpdir(), 'gex-facts-'));
    const first = join(dir, 'first.csv');
    const second = join(dir, 'second.csv');
    writeCboeCsv(first, {
      seed: 1,
      underlying: 'AAPL',
      spot: 190,
      expiries: 3,
      strikesPerExpiry: 20,
      asOf: '2024-01-08T10:30:00',
    });
    // Real-time data (the long format carries seconds): its level needs the file's facts.
    writeLongCsv(second, {
      seed: 2,
      underlying: 'AAPL',
      spot: 192,
      expiries: 3,
      strikesPerExpiry: 20,
      asOf: new Date().toISOString().slice(0, 19),
      offset: '+00:00',
    });
    const bad = writeBadFiles(join(dir, 'bad'));

    const a = await engine.handlers['ingest:submit']({ file: first, source: 'vendor-x' });
    if (!a.ok) throw new Error(a.error.message);
    await engine.drain();
    const snapA = await engine.handlers['snapshots:list']({ underlying: 'aapl', limit: 10 });
    if (!snapA.ok) throw new Error(snapA.error.message);
    const totalA = snapA.value[0]!.total_gex;

    // One failure of the same source: 1 success, 1 failure → reliability 0.5.
    const failed = await engine.handlers['ingest:submit']({
      file: bad.badValue!.path,
      source: 'vendor-x',
    });
    if (!failed.ok) throw new Error(failed.error.message);
    await engine.drain();
    const failedJob = await engine.handlers['jobs:list']({ limit: 10 });
    expect(failedJob.ok && failedJob.value.find((j) => j.id === failed.value.job_id)?.status).toBe(
      'failed',
    );

    const b = await engine.handlers['ingest:submit']({ file: second, source: 'vendor-x' });
    if (!b.ok) throw new Error(b.error.message);
    await engine.drain();
    const snaps = await engine.handlers['snapshots:list']({ underlying: 'AAPL', limit: 10 });
    if (!snaps.ok) throw new Error(snaps.error.message);
    const totalB = snaps.value.find((s) => s.request_id === b.value.request_id)!.total_gex;

    const [first_, second_] = await Promise.all(
      [a.value.request_id, b.value.request_id].map(async (id) =>
        (await listAudit(engine.store, { request_id: id, limit: 5 })).find(
          (e) => e.kind === 'decision',
        )!,
      ),
    );
    // The first snapshot of AAPL is news (null → large) even before its file is read.
    expect(first_!.facts).toMatchObject({
      gex_change: null,
      source_reliability: 1,
      underlying: 'AAPL',
      change: 'large',
    });
    expect(second_!.facts!.gex_change).toBeCloseTo(Math.abs(totalB - totalA) / Math.abs(totalA), 9);
    expect(second_!.facts!.source_reliability).toBe(0.5);
    // `now` is the arrival, not the moment the file was read.
    const secondJob = await engine.handlers['jobs:list']({ limit: 10 });
    if (!secondJob.ok) throw new Error(secondJob.error.message);
    expect(second_!.facts!.now).toBe(
      secondJob.value.find((j) => j.request_id === b.value.request_id)!.submitted_at,
    );
    // Stale data: G2 decides LOW at arrival, whatever the rest; the explanation says so.
    expect(first_).toMatchObject({ rule: 'G2', priority: 'LOW' });
  });
});
