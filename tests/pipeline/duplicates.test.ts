// The same contract twice refuses the file as DUPLICATE_CONTRACT, naming both places;
// contracts that only look alike (SPX and SPXW sharing an expiry and a strike, a call
// and a put on one line) are different contracts.
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { readChain, readFacts } from '../../electron/engine/pipeline/index.ts';
import {
  cboeCsvText,
  cboeJsonText,
  longCsvText,
  makeChain,
  writeLongParquet,
} from '../fixtures/option-chains.ts';
import { conventions, fileWriter, runSampleTests, SPX_SAMPLE, tempDir } from './helpers.ts';

const dir = tempDir('gex-dup-');
const file = fileWriter(dir);

async function failure(path: string) {
  const r = await readFacts(path, conventions());
  if (r.ok) throw new Error(`${path} was accepted`);
  return r.error;
}

const chain = makeChain({ seed: 21, expiries: 3, strikesPerExpiry: 10 });

describe('DUPLICATE_CONTRACT', () => {
  it('a file listing every contract twice is refused (CBOE CSV), naming both lines', async () => {
    const lines = cboeCsvText(chain).trimEnd().split('\n');
    const body = lines.slice(4);
    const twice = file('twice.csv', [...lines, ...body].join('\n') + '\n');
    const e = await failure(twice);
    expect(e).toMatchObject({ code: 'DUPLICATE_CONTRACT', file: twice, line: 5 + body.length });
    expect(e.message).toContain(`line 5 and line ${5 + body.length}`);
  });

  it('one line repeated further down (CBOE CSV)', async () => {
    const lines = cboeCsvText(chain).trimEnd().split('\n');
    lines.splice(20, 0, lines[7]!);
    expect(await failure(file('one.csv', lines.join('\n')))).toMatchObject({
      code: 'DUPLICATE_CONTRACT',
      line: 21,
    });
  });

  it('CBOE JSON: an option listed twice, named by its place in the array', async () => {
    const doc = JSON.parse(cboeJsonText(chain));
    doc.data.options.push({ ...doc.data.options[4] });
    const e = await failure(file('dup.json', JSON.stringify(doc)));
    expect(e).toMatchObject({
      code: 'DUPLICATE_CONTRACT',
      field: `$.data.options[${doc.data.options.length - 1}]`,
    });
    expect(e.message).toContain('$.data.options[4]');
  });

  it('long format, CSV and Parquet: the same expiry, strike and type twice', async () => {
    const lines = longCsvText(chain).trimEnd().split('\n');
    lines.push(lines[3]!.replace(/,(\d+),(\d+),/, ',1,2,'));
    expect(await failure(file('dup-long.csv', lines.join('\n')))).toMatchObject({
      code: 'DUPLICATE_CONTRACT',
      line: lines.length,
    });
    const parquet = join(dir, 'dup.parquet');
    writeLongParquet(parquet, { seed: 21, expiries: 3, strikesPerExpiry: 10 });
    const df = pl.readParquet(parquet);
    const doubled = join(dir, 'doubled.parquet');
    pl.concat([df, df.slice(5, 1)]).writeParquet(doubled);
    expect(await failure(doubled)).toMatchObject({
      code: 'DUPLICATE_CONTRACT',
      line: df.height + 1,
    });
  });

  it('long format: one contract whose underlying is written as vendors write an index (^SPX, $SPX, .SPX) and plainly is a duplicate', async () => {
    // No root column: a row's root is its underlying cell. `^SPX` and `SPX` were two roots,
    // the contract counted twice (a call's GEX doubled, the total's sign turned).
    const lines = longCsvText(chain).trimEnd().split('\n');
    const [header, first] = [lines[0]!.split(','), lines[1]!.split(',')];
    const u = header.indexOf('underlying');
    expect(u).toBeGreaterThanOrEqual(0);
    for (const prefix of ['^', '$', '.']) {
      const written = [...first];
      written[u] = `${prefix}${first[u]}`;
      const both = [lines[0], written.join(','), ...lines.slice(2), lines[1]];
      expect(await failure(file(`prefixed-${prefix}.csv`, both.join('\n') + '\n'))).toMatchObject({
        code: 'DUPLICATE_CONTRACT',
        line: both.length,
      });
    }
  });

  it('SPX and SPXW sharing an expiry and a strike are different contracts, and both count', async () => {
    const spx = makeChain({ seed: 22, expiries: 2, strikesPerExpiry: 8, roots: ['SPX'] });
    spx.contracts = [...spx.contracts, ...spx.contracts.map((c) => ({ ...c, root: 'SPXW' }))];
    const r = await readChain(file('both.csv', cboeCsvText(spx)), conventions());
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.contracts.n).toBe(spx.contracts.length);
    expect(r.value.contracts.roots.sort()).toEqual(['SPX', 'SPXW']);
    // …but the same SPXW contract twice is a duplicate.
    const lines = cboeCsvText(spx).trimEnd().split('\n');
    const spxw = lines.findLastIndex((l) => l.includes(',SPXW'));
    lines.push(lines[spxw]!);
    expect(await failure(file('spxw-twice.csv', lines.join('\n')))).toMatchObject({
      code: 'DUPLICATE_CONTRACT',
      line: lines.length,
    });
  });

  it.skipIf(!runSampleTests)(
    'the real SPX file, whose SPX and SPXW lines share expiries and strikes, is not refused',
    async () => {
      const r = await readChain(SPX_SAMPLE, conventions());
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      const c = r.value.contracts;
      const seen = new Set<string>();
      let shared = 0;
      for (let i = 0; i < c.n; i++) {
        const key = `${c.expiry[i]}|${c.strike[i]}|${c.call[i]}`;
        if (seen.has(key)) shared++;
        seen.add(key);
      }
      expect(shared).toBeGreaterThan(0);
    },
  );
});
