// A chain with no open interest at all (every OI 0, as a download taken before the OCC's
// morning update can be): no strike is max pain, as none is a wall. Run as a real command
// on a real CBOE CSV: ingest --json, snapshot --json, the JSON export and the export
// folder's row (read attached) say null.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliHome, cliStore, runCli } from './run-cli.ts';

const HEADER =
  'Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,Strike,Puts,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest';

/** A CBOE download of three strikes, every call's and put's open interest 0. */
function noOpenInterest(file: string): void {
  const line = (k: number): string => {
    const occ = String(k * 1000).padStart(8, '0');
    return `Fri Mar 27 2026,ACME260327C${occ},1,0,1,2,5,0.5,0.5,0.3,0,${k.toFixed(2)},ACME260327P${occ},1,0,1,2,5,0.5,-0.5,0.2,0`;
  };
  writeFileSync(
    file,
    [
      '',
      'ACME CORP,Last: 7.2,Change: 0',
      '"Date: March 20, 2026 at 10:30 AM ET",Bid: 1,Ask: 2,Size: 1*1,Volume: 0',
      HEADER,
      line(6),
      line(7),
      line(8),
      '',
    ].join('\n'),
  );
}

type Figures = {
  id: string;
  call_wall: number | null;
  put_wall: number | null;
  max_pain: number | null;
  total_open_interest: number;
};

describe('max pain without open interest', () => {
  it('is null, as the walls are, in ingest --json, snapshot --json and the JSON export', async () => {
    const { dir, args } = cliHome();
    const file = join(dir, 'no_oi.csv');
    noOpenInterest(file);
    const ingest = await runCli(['ingest', file, '--json', ...args]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const line = ingest.lines[0] as { status: string; snapshot: Figures };
    expect(line.status).toBe('completed');
    const s = line.snapshot;
    expect(s.total_open_interest).toBe(0);
    expect(s.call_wall).toBeNull();
    expect(s.put_wall).toBeNull();
    // Every strike's pain is 0: the lowest (6) was given, as if it were the answer.
    expect(s.max_pain).toBeNull();

    const one = await runCli(['snapshot', s.id, '--json', ...args]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.lines[0]).toMatchObject({ max_pain: null, call_wall: null, put_wall: null });
    expect(one.lines[0]).toHaveProperty('absolute_gamma_strike', null);

    const exported = await runCli(['export', s.id, '--format', 'json', '--out', '-', ...args]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ max_pain: null });

    // The export folder's snapshot row, read by another workstation that attaches it.
    const other = await cliStore();
    const attached = await runCli([
      'snapshot',
      s.id,
      '--json',
      '--attach',
      join(dir, 'data'),
      ...other.args,
    ]);
    expect(attached.code, attached.stderr).toBe(0);
    expect(attached.lines[0]).toMatchObject({ origin: join(dir, 'data'), max_pain: null });
  });
});
