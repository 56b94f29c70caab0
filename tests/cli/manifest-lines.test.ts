// `gex-desk ingest --manifest`: a refused line is reported at its place in submission
// order (CONTRACTS.md). Before, every refused line was reported first (at_ms 0).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { cliHome, runCli } from './run-cli.ts';

describe('gex-desk ingest --manifest', () => {
  it('reports a refused line at its own at_ms, else at the line before it, with --json and without', async () => {
    const { dir } = cliHome();
    for (const [i, name] of ['a.csv', 'b.csv', 'd.csv'].entries())
      writeCboeCsv(join(dir, name), { seed: 40 + i, expiries: 1, strikesPerExpiry: 6 });
    const manifest = join(dir, 'arrivals.jsonl');
    writeFileSync(
      manifest,
      [
        JSON.stringify({ file: 'a.csv', at_ms: 0 }),
        JSON.stringify({ file: 'b.csv', at_ms: 200 }),
        '{not json', // no at_ms to read: that of the line before it, 200
        JSON.stringify({ file: 'c.csv', requested_priority: 'HIGH', at_ms: 400 }), // no justification
        JSON.stringify({ file: 'd.csv', at_ms: 300 }),
      ].join('\n') + '\n',
    );
    const order = [
      [join(dir, 'a.csv'), 'completed'],
      [join(dir, 'b.csv'), 'completed'],
      [manifest, 'rejected'],
      [join(dir, 'd.csv'), 'completed'],
      [join(dir, 'c.csv'), 'rejected'],
    ];
    const json = await runCli(['ingest', '--manifest', manifest, '--json', ...cliHome().args]);
    expect(json.code, json.stderr).toBe(1);
    expect(json.lines.map((l) => [l.file, l.status])).toEqual(order);
    expect(json.lines.map((l) => (l.error as { line?: number } | undefined)?.line)).toEqual([
      undefined,
      undefined,
      3,
      undefined,
      4,
    ]);
    // The lines for people, in the same order.
    const text = await runCli(['ingest', '--manifest', manifest, ...cliHome().args]);
    expect(text.code, text.stderr).toBe(1);
    const heads = text.stdout.split('\n').filter((l) => /^[✓✗] /.test(l));
    expect(heads.map((l) => l.split(/\s+/).slice(1, 3))).toEqual(
      order.map(([file, status]) => [file, status]),
    );
  });
});
