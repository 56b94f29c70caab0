// The chain a worker warms up on (workers/warm-up.ts) is read, decided on and run like a
// real CBOE download: if it stopped parsing, every worker would start cold again.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { readFacts, runPipeline } from '../../electron/engine/pipeline/index.ts';
import { warmUp, warmUpChain } from '../../electron/engine/workers/warm-up.ts';
import { GexConventions } from '../../shared/domain.ts';

const dir = mkdtempSync(join(tmpdir(), 'gex-warm-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('is a CBOE quotes CSV of 9,600 contracts that the facts read and the run accept', async () => {
  const file = join(dir, 'warm.csv');
  writeFileSync(file, warmUpChain());
  const conventions = GexConventions.parse({});
  const chainFile = join(dir, 'warm.chain');
  const facts = await readFacts({ file, chainFile }, conventions);
  if (!facts.ok) throw new Error(facts.error.message);
  expect(facts.value).toMatchObject({ format: 'cboe-csv', underlying: 'WARM', spot: 100 });
  expect(facts.value.contracts).toBe(9600);
  const run = await runPipeline({
    file,
    chainFile,
    contentHash: facts.value.content_hash,
    dataDir: dir,
    snapshotId: 'w',
    conventions,
  });
  if (!run.ok) throw new Error(run.error.message);
  expect(run.value.snapshot.total_gex).toBe(facts.value.total_gex);
  expect(run.value.profile.length).toBeGreaterThan(0);
  await expect(warmUp()).resolves.toBeUndefined();
});
