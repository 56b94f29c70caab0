// A chain re-saved is a duplicate, not a second snapshot: the SPX sample saved again with
// CRLF line ends, with a UTF-8 BOM, or with its rows in another order (what Excel and
// editors do) has other bytes and another content hash, but the same chain fingerprint
// (pipeline/chain-fingerprint.ts), so the store answers the first snapshot; a bid or ask
// changed enters no figure and is the same chain too. One open interest changed is another
// chain; the same chain under other conventions is another snapshot; a snapshot stored
// before fingerprints were recorded is matched by its bytes only. The real pipeline, the
// real DuckDB store, real files; then the real engine, whose audit trail says why.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { saveSnapshot, SAME_CHAIN_NOTE } from '../../electron/engine/store/snapshots.ts';
import { runPipeline } from '../../electron/engine/pipeline/index.ts';
import type { GexConventions } from '../../shared/domain.ts';
import type { PipelineOutput } from '../../shared/pipeline.ts';
import { cleanupDirs, tempDir, workstation, type Workstation } from '../analytics/helpers.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';
import { conventions, runSampleTests, SPX_SAMPLE } from '../pipeline/helpers.ts';

afterAll(cleanupDirs);

const ids = { request_id: null, job_id: null };
const ACT: GexConventions = conventions({ day_count: 'act-365', contract_multiplier: 10 });

/** The sample's lines (LF), its four header lines first. */
const sampleLines = (): string[] => readFileSync(SPX_SAMPLE, 'utf8').split('\n');
const HEADER_LINES = 4;

/** The sample with one data line's comma-separated field `field` set to `value`. */
function withField(line: number, field: number, value: string): string {
  const lines = sampleLines();
  const cells = lines[line]!.split(',');
  cells[field] = value;
  lines[line] = cells.join(',');
  return lines.join('\n');
}

const variants = {
  crlf: (): string | Buffer => sampleLines().join('\r\n'),
  bom: (): string | Buffer =>
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(SPX_SAMPLE)]),
  reordered: (): string | Buffer => {
    const lines = sampleLines();
    const last = lines.at(-1) === '' ? lines.pop() : undefined;
    const data = lines.splice(HEADER_LINES).reverse();
    return [...lines, ...data, ...(last === undefined ? [] : [last])].join('\n');
  },
  // Line 5000 (Feb 16 2024, strike 4440): its call's bid (field 4) 292.9 → 291.
  'bid changed': (): string | Buffer => withField(4999, 4, '291'),
};

async function run(
  ws: Workstation,
  file: string,
  conv: GexConventions = conventions(),
): Promise<PipelineOutput> {
  const r = await runPipeline({
    file,
    dataDir: ws.dataDir,
    snapshotId: crypto.randomUUID(),
    conventions: conv,
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function count(ws: Workstation): Promise<number> {
  const row = await ws.store.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM gex_snapshots');
  return row!.n;
}

describe.runIf(runSampleTests)('a chain re-saved', () => {
  let running: TestEngine | null = null;
  afterEach(async () => {
    await running?.stop();
    running = null;
  });

  it('is the duplicate of its first snapshot (CRLF, BOM, rows reordered, a bid changed)', async () => {
    const ws = await workstation();
    const dir = tempDir();
    const first = await saveSnapshot(ws.store, await run(ws, SPX_SAMPLE), ids);
    expect(first.status).toBe('completed');
    for (const [name, bytes] of Object.entries(variants)) {
      const file = join(dir, `${name}.csv`);
      writeFileSync(file, bytes());
      const output = await run(ws, file);
      expect(output.snapshot.content_hash, name).not.toBe(first.snapshot.content_hash);
      const saved = await saveSnapshot(ws.store, output, ids);
      expect(saved, name).toMatchObject({
        status: 'duplicate',
        sameChain: true,
        snapshot: { id: first.snapshot.id, content_hash: first.snapshot.content_hash },
      });
    }
    expect(await count(ws)).toBe(1);
    // The same bytes again: a duplicate by its content, as before (not said to be saved differently).
    const again = await saveSnapshot(ws.store, await run(ws, SPX_SAMPLE), ids);
    expect(again.status).toBe('duplicate');
    expect(again.sameChain).toBeUndefined();
    await ws.store.close();
  });

  it('is another snapshot when an open interest changed, or under other conventions', async () => {
    const ws = await workstation();
    const dir = tempDir();
    const first = await saveSnapshot(ws.store, await run(ws, SPX_SAMPLE), ids);
    // Line 5000's call open interest (field 10) 130 → 131: every figure of that strike moves.
    const oi = join(dir, 'oi.csv');
    writeFileSync(oi, withField(4999, 10, '131'));
    const changed = await saveSnapshot(ws.store, await run(ws, oi), ids);
    expect(changed.status).toBe('completed');
    expect(changed.snapshot.id).not.toBe(first.snapshot.id);

    // The CRLF copy under other conventions: its own snapshot; the BOM copy under those
    // conventions is then that one's duplicate.
    const crlf = join(dir, 'crlf.csv');
    writeFileSync(crlf, variants.crlf());
    const underAct = await saveSnapshot(ws.store, await run(ws, crlf, ACT), ids);
    expect(underAct.status).toBe('completed');
    const bom = join(dir, 'bom.csv');
    writeFileSync(bom, variants.bom());
    expect(await saveSnapshot(ws.store, await run(ws, bom, ACT), ids)).toMatchObject({
      status: 'duplicate',
      sameChain: true,
      snapshot: { id: underAct.snapshot.id },
    });
    expect(await count(ws)).toBe(3);
    await ws.store.close();
  });

  it('does not match a snapshot stored before fingerprints were recorded', async () => {
    const ws = await workstation();
    const dir = tempDir();
    await saveSnapshot(ws.store, await run(ws, SPX_SAMPLE), ids);
    // As migration 13 leaves a row stored before it.
    await ws.store.run('UPDATE gex_snapshots SET chain_fingerprint = NULL');
    const crlf = join(dir, 'crlf.csv');
    writeFileSync(crlf, variants.crlf());
    expect((await saveSnapshot(ws.store, await run(ws, crlf), ids)).status).toBe('completed');
    // Its own bytes still are its duplicate.
    expect((await saveSnapshot(ws.store, await run(ws, SPX_SAMPLE), ids)).status).toBe('duplicate');
    await ws.store.close();
  });

  it('ends its job as the duplicate, its trail saying it is the same chain saved differently', async () => {
    running = await startTestEngine();
    const { engine } = running;
    const dir = tempDir();
    const crlf = join(dir, 'spx-excel.csv');
    writeFileSync(crlf, variants.crlf());
    const submit = async (file: string) => {
      const ack = await engine.handlers['ingest:submit']({ file, source: 'cli' });
      if (!ack.ok || !ack.value.job_id) throw new Error(JSON.stringify(ack));
      await engine.drain();
      const got = await engine.handlers['jobs:get']({ id: ack.value.job_id });
      if (!got.ok) throw new Error(got.error.message);
      return got.value.job;
    };
    const first = await submit(SPX_SAMPLE);
    expect(first.status).toBe('completed');
    const second = await submit(crlf);
    expect(second).toMatchObject({ status: 'duplicate', snapshot_id: first.snapshot_id });
    const trail = await engine.handlers['audit:list']({
      request_id: second.request_id,
      limit: 50,
      order: 'oldest',
    });
    if (!trail.ok) throw new Error(trail.error.message);
    const completed = trail.value.find((e) => e.kind === 'completed');
    expect(completed?.explanation).toBe(
      `duplicate: snapshot ${first.snapshot_id} (${SAME_CHAIN_NOTE})`,
    );
    const list = await engine.handlers['snapshots:list']({ limit: 10 });
    if (!list.ok) throw new Error(list.error.message);
    expect(list.value.map((s) => s.id)).toEqual([first.snapshot_id]);
  });
});
