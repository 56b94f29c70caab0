// A CBOE download's option symbols against their lines, through the real reader and
// pipeline on real files: a symbol whose expiry, type or strike is not its line's is
// refused at its line and field; a Strike column rounded at its printed decimals takes
// the symbol's exact strike, so that the same chain as CSV and as CBOE JSON stores the
// same contracts and figures.
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { readChain, runPipeline, toContractRows } from '../../electron/engine/pipeline/index.ts';
import { conventions, fileWriter, tempDir } from './helpers.ts';

const dir = tempDir('gex-symbols-');
const write = fileWriter(dir);
const conv = conventions();

const PREAMBLE = [
  '',
  'ACME2 CORP,Last: 7.2,Change: 0',
  '"Date: March 20, 2026 at 10:30 AM ET",Bid: 1,Ask: 2,Size: 1*1,Volume: 0',
  'Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,Strike,Puts,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest',
];

/** One line: expiry cell, call symbol, Strike cell, put symbol; OI 100 calls, 200 puts. */
const line = (expiry: string, call: string, strike: string, put: string): string =>
  `${expiry},${call},1,0,1,2,5,0.5,0.5,0.3,100,${strike},${put},1,0,1,2,5,0.5,-0.5,0.2,200`;

const csv = (name: string, lines: string[]): string =>
  write(name, [...PREAMBLE, ...lines, ''].join('\n'));

const ok = (name: string, ...lines: string[]) =>
  readChain(csv(name, lines), conv).then((r) => {
    if (!r.ok) throw new Error(r.error.message);
    return toContractRows(r.value);
  });

const refused = async (lines: string[]) => {
  const r = await readChain(csv('bad.csv', lines), conv);
  expect(r.ok).toBe(false);
  return r.ok ? null : r.error;
};

describe('CBOE CSV: each option symbol against its line', () => {
  it("refuses a symbol whose expiry is not the line's, at its line and side (QA's file)", async () => {
    const e = await refused([
      line('Fri Apr 17 2026', 'ACMF260327C00007000', '9.00', 'ACMF260327P00007000'),
      line('Fri Mar 27 2026', 'ACMF260327C00007500', '7.50', 'ACMF260327P00007500'),
    ]);
    expect(e).toMatchObject({ code: 'BAD_VALUE', line: 5, field: 'Calls' });
    expect(e!.message).toMatch(
      /line 5, field "Calls": the symbol "ACMF260327C00007000" expires 2026-03-27, not 2026-04-17 as the line's Expiration Date/,
    );
    // Only the put's expiry wrong: the put is named.
    const put = await refused([
      line('Fri Mar 27 2026', 'ACMF260327C00007500', '7.50', 'ACMF260327P00007500'),
      line('Fri Mar 27 2026', 'ACMF260327C00008000', '8.00', 'ACMF260403P00008000'),
    ]);
    expect(put).toMatchObject({ code: 'BAD_VALUE', line: 6, field: 'Puts' });
  });

  it("refuses a symbol whose strike is not the line's Strike, even rounded", async () => {
    const e = await refused([
      line('Fri Mar 27 2026', 'ACMF260327C00007000', '9.00', 'ACMF260327P00007000'),
    ]);
    expect(e).toMatchObject({ code: 'BAD_VALUE', line: 5, field: 'Calls' });
    expect(e!.message).toMatch(
      /"ACMF260327C00007000" is of strike 7, not 9\.00 as the line's Strike/,
    );
    expect(e!.message).toMatch(
      /correct the line \(its symbol, Expiration Date or Strike\) or download the chain again$/,
    );
    // 7.125 at two decimals is 7.13 (or 7.12, a tie rounded down or cut short): never 7.14 or 7.11.
    for (const strike of ['7.14', '7.11']) {
      const off = await refused([
        line('Fri Mar 27 2026', 'ACMG260327C00007125', strike, 'ACMG260327P00007125'),
      ]);
      expect(off, strike).toMatchObject({ line: 5, field: 'Calls' });
    }
    // A column more precise than the symbol must be it exactly.
    const finer = await refused([
      line('Fri Mar 27 2026', 'ACMG260327C00007125', '7.1251', 'ACMG260327P00007125'),
    ]);
    expect(finer).toMatchObject({ line: 5, field: 'Calls' });
    const putOnly = await refused([
      line('Fri Mar 27 2026', 'ACMF260327C00007500', '7.50', 'ACMF260327P00007000'),
    ]);
    expect(putOnly).toMatchObject({ line: 5, field: 'Puts' });
  });

  it('reads a symbol of before 2015-02-20 dated the Saturday after its Friday expiry as that expiry, not since', async () => {
    const rows = await ok(
      'saturday.csv',
      line('Fri Jan 17 2014', 'ACMF140118C00007000', '7.00', 'ACMF140118P00007000'),
    );
    expect(rows.map((r) => [r.option_type, r.expiry])).toEqual([
      ['C', '2014-01-17'],
      ['P', '2014-01-17'],
    ]);
    // Since, the symbol carries the Friday: a Saturday is another expiry.
    const since = await refused([
      line('Fri Mar 20 2026', 'ACMF260321C00007000', '7.00', 'ACMF260321P00007000'),
    ]);
    expect(since).toMatchObject({ code: 'BAD_VALUE', line: 5, field: 'Calls' });
  });

  it('refuses a put symbol in the Calls column and a call symbol in the Puts column', async () => {
    const swapped = await refused([
      line('Fri Mar 27 2026', 'ACMF260327P00007500', '7.50', 'ACMF260327C00007500'),
    ]);
    expect(swapped).toMatchObject({ code: 'BAD_VALUE', line: 5, field: 'Calls' });
    expect(swapped!.message).toMatch(/"ACMF260327P00007500" is a put, in the Calls column/);
    const put = await refused([
      line('Fri Mar 27 2026', 'ACMF260327C00007500', '7.50', 'ACMF260327C00007500'),
    ]);
    expect(put).toMatchObject({ line: 5, field: 'Puts' });
  });

  it("takes the symbol's exact strike where the Strike column rounds it at its decimals", async () => {
    // Rounded or cut short at the decimals printed.
    for (const strike of ['7.13', '7.12', '7.1', '7', '7.125', '7.1250', '"7.13"']) {
      const rows = await ok(
        'rounded.csv',
        line('Fri Mar 27 2026', 'ACMG260327C00007125', strike, 'ACMG260327P00007125'),
      );
      expect(
        rows.map((r) => [r.option_type, r.strike]),
        strike,
      ).toEqual([
        ['C', 7.125],
        ['P', 7.125],
      ]);
    }
    // A three-decimal strike cut short at two (a tool that truncates): the symbol's.
    const cut = await ok(
      'cut.csv',
      line('Fri Mar 27 2026', 'ACMG260327C00016667', '16.66', 'ACMG260327P00016667'),
    );
    expect(cut.map((r) => r.strike)).toEqual([16.667, 16.667]);
  });

  it('gives the same contracts and figures as the same chain in CBOE JSON', async () => {
    const file = csv('acmg.csv', [
      line('Fri Mar 27 2026', 'ACMG260327C00007000', '7.00', 'ACMG260327P00007000'),
      line('Fri Mar 27 2026', 'ACMG260327C00007125', '7.13', 'ACMG260327P00007125'),
      line('Fri Mar 27 2026', 'ACMG260327C00007250', '7.25', 'ACMG260327P00007250'),
      line('Fri Apr 17 2026', 'ACMG260417C00007125', '7.13', 'ACMG260417P00007125'),
    ]);
    const option = (symbol: string, call: boolean, oi: number) => ({
      option: symbol,
      open_interest: oi,
      volume: 5,
      iv: 0.5,
      delta: call ? 0.5 : -0.5,
      gamma: call ? 0.3 : 0.2,
      bid: 1,
      ask: 2,
    });
    const options = [
      ['260327', '00007000'],
      ['260327', '00007125'],
      ['260327', '00007250'],
      ['260417', '00007125'],
    ].flatMap(([d, k]) => [
      option(`ACMG${d}C${k}`, true, 100),
      option(`ACMG${d}P${k}`, false, 200),
    ]);
    const json = write(
      'acmg.json',
      JSON.stringify({
        timestamp: '2026-03-20 10:30:00',
        data: { options, current_price: 7.2, symbol: 'ACMG' },
      }),
    );
    const key = (r: { expiry: string; strike: number; option_type: string }) =>
      `${r.expiry} ${r.strike} ${r.option_type}`;
    const [fromCsv, fromJson] = await Promise.all(
      [file, json].map(async (f) => {
        const r = await readChain(f, conv);
        if (!r.ok) throw new Error(r.error.message);
        return toContractRows(r.value).map(key).sort();
      }),
    );
    expect(fromCsv).toEqual(fromJson);
    expect(fromCsv).toContain('2026-03-27 7.125 C');

    const run = async (f: string, id: string) => {
      const r = await runPipeline({
        file: f,
        dataDir: join(dir, 'out'),
        snapshotId: id,
        conventions: conv,
      });
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    const [a, b] = [await run(file, 'from-csv'), await run(json, 'from-json')];
    expect(a.snapshot.underlying).toBe(b.snapshot.underlying);
    expect(a.snapshot.as_of).toBe(b.snapshot.as_of);
    for (const k of [
      'total_gex',
      'call_gex',
      'put_gex',
      'zero_gamma',
      'call_wall',
      'put_wall',
      'max_pain',
    ] as const)
      expect(a.snapshot[k], k).toBe(b.snapshot[k]);
    expect(a.measures).toEqual(b.measures);
    // The profile sums contracts in file order (the CSV's calls first): to the last bits.
    expect(a.profile.map((p) => p.level)).toEqual(b.profile.map((p) => p.level));
    a.profile.forEach((p, i) => expect(p.gex).toBeCloseTo(b.profile[i]!.gex, 6));
    // The stored (expiry, strike) rows: 7.125, never 7.13, from either file.
    const cells = (path: string) =>
      pl
        .readParquet(path)
        .select('expiry', 'strike', 'call_gex', 'put_gex')
        .sort(['expiry', 'strike'])
        .toRecords();
    expect(cells(a.strikesParquet).map((r) => r.strike)).toEqual([7, 7.125, 7.25, 7.125]);
    expect(cells(a.strikesParquet)).toEqual(cells(b.strikesParquet));
  });
});
