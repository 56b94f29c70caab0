// A file read ahead (pipeline/prepared.ts) is only a shortcut: the run and the facts read
// that find it give exactly what they give without it, use it only for the same bytes
// under the same settings, and the run is its last use.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { readAhead, readFacts, runPipeline } from '../../electron/engine/pipeline/index.ts';
import { forgetPrepared, preparedCount } from '../../electron/engine/pipeline/prepared.ts';
import { sha256 } from '../../electron/engine/pipeline/source.ts';
import { cboeJsonText, longCsvText, makeChain } from '../fixtures/option-chains.ts';
import { conventions, tempDir } from './helpers.ts';

const dir = tempDir('gex-read-ahead-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const never = async () => false;
const conv = conventions();

function write(name: string, text: string): { file: string; hash: string } {
  const file = join(dir, name);
  writeFileSync(file, text);
  return { file, hash: sha256(readFileSync(file)) };
}

/** What a run gives, without the timings and its creation time (which differ by design) and Parquet paths. */
async function run(file: string, hash: string, id: string) {
  const out = await runPipeline({
    file,
    contentHash: hash,
    dataDir: join(dir, id),
    snapshotId: 'same',
    conventions: conv,
  });
  if (!out.ok) throw new Error(out.error.message);
  const {
    timings_ms: _t,
    strikesParquet: _s,
    expiriesParquet: _e,
    snapshotParquet: _p,
    created_ms: _c,
    ...rest
  } = out.value;
  return { ...rest, snapshot: { ...rest.snapshot, parquet: '' } };
}

describe('a file read ahead', () => {
  beforeEach(forgetPrepared);
  const chain = makeChain({ seed: 11, expiries: 6, strikesPerExpiry: 40 });

  it('gives the run exactly what a run without it gives, once', async () => {
    const { file, hash } = write('a.json', cboeJsonText(chain));
    const cold = await run(file, hash, 'cold');
    await expect(readAhead(file, conv, undefined, never)).resolves.toBe(2);
    expect(preparedCount()).toBe(1);
    const ahead = await run(file, hash, 'ahead');
    expect(ahead).toEqual(cold);
    expect(preparedCount()).toBe(0); // the run was its last use
  });

  it('stopped after the parse, leaves the figures to the run, which gives the same', async () => {
    const { file, hash } = write('b.csv', longCsvText(chain, { offset: '-05:00' }));
    const cold = await run(file, hash, 'cold-b');
    await expect(readAhead(file, conv, undefined, async () => true)).resolves.toBe(1);
    expect(await run(file, hash, 'ahead-b')).toEqual(cold);
    expect(preparedCount()).toBe(0);
  });

  it('serves the facts read without being used up, then the run', async () => {
    const { file, hash } = write('c.json', cboeJsonText(chain));
    const plain = await readFacts({ file, contentHash: hash }, conv);
    await readAhead(file, conv, undefined, never);
    const chainFile = join(dir, 'c.chain');
    const facts = await readFacts({ file, contentHash: hash, chainFile }, conv);
    expect(facts).toEqual(plain);
    expect(readFileSync(chainFile).length).toBeGreaterThan(0); // still left for the run
    expect(preparedCount()).toBe(1);
    await run(file, hash, 'c');
    expect(preparedCount()).toBe(0);
  });

  it('is not used for other bytes, nor under other conventions', async () => {
    const { file, hash } = write('d.json', cboeJsonText(chain));
    await readAhead(file, conv, undefined, never);
    // The file is rewritten after it was read ahead: its task comes with the new bytes' hash.
    const other = makeChain({ seed: 12, expiries: 6, strikesPerExpiry: 40 });
    const changed = write('d.json', cboeJsonText(other));
    expect(changed.hash).not.toBe(hash);
    const cold = await run(changed.file, changed.hash, 'd-cold');
    expect(cold.snapshot.content_hash).toBe(changed.hash);
    expect(preparedCount()).toBe(1); // the entry of the old bytes, untouched
    // The same bytes under another convention: read again, with that convention's figures.
    const again = write(
      'e.json',
      cboeJsonText(makeChain({ seed: 13, expiries: 6, strikesPerExpiry: 40 })),
    );
    const base = await run(again.file, again.hash, 'e-base');
    await readAhead(again.file, conv, undefined, never);
    const moved = await runPipeline({
      file: again.file,
      contentHash: again.hash,
      dataDir: join(dir, 'e'),
      snapshotId: 'e',
      conventions: conventions({ move: 0.02 }),
    });
    if (!moved.ok) throw new Error(moved.error.message);
    expect(moved.value.snapshot.total_gex).toBeCloseTo(2 * base.snapshot.total_gex, 0);
    expect(preparedCount()).toBe(2); // neither entry was this run's
  });

  it('leaves a file it cannot read to its task', async () => {
    const { file } = write('bad.csv', 'not,a,chain\n1,2,3\n');
    const before = preparedCount();
    await expect(readAhead(file, conv, undefined, never)).resolves.toBe(0);
    await expect(readAhead(join(dir, 'missing.csv'), conv, undefined, never)).resolves.toBe(0);
    // Past the read limits: not held, left to the task (which refuses it with FILE_TOO_LARGE).
    const big = write(
      'big.json',
      cboeJsonText(makeChain({ seed: 14, expiries: 2, strikesPerExpiry: 5 })),
    );
    await expect(readAhead(big.file, conv, { maxFileBytes: 100 }, never)).resolves.toBe(0);
    // Something that would never deliver its bytes (a pipe nobody writes): not waited for.
    if (process.platform !== 'win32') {
      const fifo = join(dir, 'stalled.csv');
      execFileSync('mkfifo', [fifo]);
      await expect(readAhead(fifo, conv, undefined, never)).resolves.toBe(0);
    }
    expect(preparedCount()).toBe(before);
  });
});
