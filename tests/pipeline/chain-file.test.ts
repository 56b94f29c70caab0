// Read once: the facts read leaves the parsed chain beside the staged file, and the run
// loads it instead of parsing the file again — with the same figures. A chain file that
// is damaged or of another version is ignored, and the file is parsed as usual.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GexConventions } from '../../shared/domain.ts';
import { readChainFile, writeChainFile } from '../../electron/engine/pipeline/chain-file.ts';
import { readChain, readFacts, runPipeline } from '../../electron/engine/pipeline/index.ts';
import { writeCboeCsv, writeCboeJson } from '../fixtures/option-chains.ts';

const conv = GexConventions.parse({});

describe('chain files', () => {
  it('round-trips every column of a parsed chain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-chainfile-'));
    const file = join(dir, 'c.json');
    writeCboeJson(file, {
      seed: 4,
      underlying: 'META',
      spot: 750,
      expiries: 5,
      strikesPerExpiry: 30,
    });
    const chain = await readChain(file, conv);
    if (!chain.ok) throw new Error(chain.error.message);
    const { content_hash: _hash, ...parsed } = chain.value;
    writeChainFile(join(dir, 'c.chain'), parsed);
    expect(readChainFile(join(dir, 'c.chain'))).toEqual(parsed);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets the run use what the facts read parsed, with the same snapshot as a run that parses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-chainfile-'));
    const file = join(dir, 'staged');
    writeCboeCsv(file, {
      seed: 5,
      underlying: 'SPX',
      spot: 4700,
      expiries: 12,
      strikesPerExpiry: 60,
    });
    const chainFile = join(dir, 'staged.chain');
    const facts = await readFacts({ file, chainFile }, conv);
    if (!facts.ok) throw new Error(facts.error.message);
    const parsedRun = await runPipeline({
      file,
      dataDir: join(dir, 'a'),
      snapshotId: 's1',
      conventions: conv,
    });
    // The staged bytes are no longer needed: the run reads the chain file.
    rmSync(file);
    const fromChain = await runPipeline({
      file,
      chainFile,
      contentHash: facts.value.content_hash,
      sourceFile: '/desk/spx.csv',
      dataDir: join(dir, 'b'),
      snapshotId: 's1',
      conventions: conv,
    });
    if (!parsedRun.ok || !fromChain.ok) throw new Error('a run failed');
    const strip = (s: typeof parsedRun.value.snapshot) => ({ ...s, parquet: '', source_file: '' });
    expect(strip(fromChain.value.snapshot)).toEqual(strip(parsedRun.value.snapshot));
    expect(fromChain.value.snapshot.source_file).toBe('/desk/spx.csv');
    expect(fromChain.value.snapshot.total_gex).toBe(facts.value.total_gex);
    // The same chain, from the chain file (the staged bytes gone): the same fingerprint.
    expect(fromChain.value.chain_fingerprint).toBe(parsedRun.value.chain_fingerprint);
    rmSync(dir, { recursive: true, force: true });
  });

  it('ignores a damaged chain file and parses the staged bytes instead', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-chainfile-'));
    const file = join(dir, 'staged');
    writeCboeCsv(file, {
      seed: 6,
      underlying: 'AAPL',
      spot: 190,
      expiries: 3,
      strikesPerExpiry: 10,
    });
    const chainFile = join(dir, 'staged.chain');
    writeFileSync(chainFile, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(readChainFile(chainFile)).toBeNull();
    // The staged bytes' own hash: the run checks it before it parses them.
    const contentHash = createHash('sha256').update(readFileSync(file)).digest('hex');
    const run = await runPipeline({
      file,
      chainFile,
      contentHash,
      dataDir: dir,
      snapshotId: 's',
      conventions: conv,
    });
    if (!run.ok) throw new Error(run.error.message);
    expect(run.value.snapshot.underlying).toBe('AAPL');
    rmSync(dir, { recursive: true, force: true });
  });
});
