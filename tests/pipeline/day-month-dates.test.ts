// Slash dates in a long file are US order (docs/formats.md). A day/month file whose every
// day is at most 12 (Excel on a UK desk) read so without a word as a chain months away
// (QA fmt2 F7): where the US reading gives an expiry before the as_of date or on a weekend
// and the day/month one gives none, the file is refused, naming the ambiguity and the fix.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../electron/engine/pipeline/index.ts';
import { conventions, tempDir } from './helpers.ts';

const dir = tempDir('gex-day-month-');
const HEADER = 'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv';

/** A small SPX chain: each expiry as written, strikes 4700–4800, calls and puts. */
function chain(name: string, asOf: string, expiries: string[]): string {
  const rows = expiries.flatMap((e) =>
    [4700, 4750, 4800].flatMap((k) =>
      ['C', 'P'].map((t) => `SPX,${asOf},4760,${e},${k},${t},1000,10,0.14`),
    ),
  );
  const file = join(dir, name);
  writeFileSync(file, [HEADER, ...rows].join('\n') + '\n');
  return file;
}

const run = (file: string) =>
  runPipeline({
    file,
    dataDir: join(dir, 'out'),
    snapshotId: `t${Math.random().toString(36).slice(2)}`,
    conventions: conventions(),
  });

async function failureOf(file: string) {
  const r = await run(file);
  if (r.ok) throw new Error(`${file} was read: ${r.value.snapshot.as_of}`);
  return r.error;
}

describe('slash dates whose order is a guess', () => {
  it('a day/month file with no day above 12 is refused at as_of, naming the order and the fix', async () => {
    // 8 January 2024, expiries Friday 12 and Tuesday 9 January, as a UK desk writes them.
    const uk = chain('uk.csv', '08/01/2024 10:30:00', ['12/01/2024', '09/01/2024']);
    const e = await failureOf(uk);
    expect(e).toMatchObject({ code: 'BAD_VALUE', line: 2, field: 'as_of' });
    expect(e.message).toContain('could be month/day or day/month');
    // Read US: 1 August, an expiry 1 December 2024, a Sunday.
    expect(e.message).toContain('an expiry 12/01/2024 on a Sunday (1 December 2024)');
    expect(e.message).toContain(
      'Write its dates as ISO, YYYY-MM-DD (read day/month, 12/01/2024 is 2024-01-12)',
    );
    // The same chain in ISO, and in US order, is read: one chain.
    const iso = await run(chain('iso.csv', '2024-01-08 10:30:00', ['2024-01-12', '2024-01-09']));
    const us = await run(chain('us.csv', '01/08/2024 10:30:00', ['01/12/2024', '01/09/2024']));
    if (!iso.ok || !us.ok) throw new Error('not read');
    expect(iso.value.snapshot.as_of).toBe('2024-01-08T10:30:00-05:00');
    expect(us.value.chain_fingerprint).toBe(iso.value.chain_fingerprint);
  });

  it('with an ISO as_of, day/month expiries read US before it are refused at expiry', async () => {
    // Monday 2 December 2024; expiry Friday 6 December written 06/12/2024 (US: 12 June).
    const e = await failureOf(chain('uk-exp.csv', '2024-12-02T10:30:00-05:00', ['06/12/2024']));
    expect(e).toMatchObject({ code: 'BAD_VALUE', line: 2, field: 'expiry' });
    expect(e.message).toContain(
      'an expiry 06/12/2024 (12 June 2024) before the as_of date (2 December 2024): its rows would be dropped as expired',
    );
  });

  it('a US file whose day/month reading is the implausible one is read, as documented', async () => {
    // 8 January 2024 in US order; expiries Friday 12 January and Friday 9 February.
    const r = await run(chain('us2.csv', '01/08/2024 10:30:00', ['01/12/2024', '02/09/2024']));
    expect(r.ok && r.value.snapshot.as_of).toBe('2024-01-08T10:30:00-05:00');
    // Every date reads the same both ways: nothing to guess.
    const same = await run(chain('same.csv', '01/01/2024 10:30:00', ['02/02/2024']));
    expect(same.ok && same.value.snapshot.as_of).toBe('2024-01-01T10:30:00-05:00');
  });

  it('a date that reads only day/month says so in its "is not a date"', async () => {
    const e = await failureOf(chain('day-first.csv', '01/08/2024 10:30:00', ['16/01/2024']));
    expect(e).toMatchObject({ code: 'BAD_VALUE', line: 2, field: 'expiry' });
    expect(e.message).toMatch(
      /\("16\/01\/2024"\) is not a date in US order \(month\/day\/year, as the long format reads slash dates\); it reads as day\/month, 2024-01-16: write dates as ISO, YYYY-MM-DD, or in US order$/,
    );
    const a = await failureOf(chain('as-of-first.csv', '16/01/2024 10:30:00', ['2024-01-19']));
    expect(a).toMatchObject({ code: 'BAD_VALUE', line: 2, field: 'as_of' });
    expect(a.message).toContain('is not a timestamp in US order');
  });
});
