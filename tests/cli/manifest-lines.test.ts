// `gex-desk ingest --manifest`: a refused line is reported at its place in submission
// order (CONTRACTS.md), and a key no line takes is said, never silently dropped. Before,
// every refused line was reported first (at_ms 0), and `{"file": …, "priority": "HIGH",
// "justification": "FOMC"}` ran at the level the rules decided, LOW, without a word.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { cliHome, runCli } from './run-cli.ts';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const TAKES = 'a line takes file, source, requested_priority, justification, author, at_ms';

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

  it('refuses a line with a slip of a key it lacks (priority), and warns of a key no line takes', async () => {
    const { dir, args } = cliHome();
    writeCboeCsv(join(dir, 'm3.csv'), { seed: 51, expiries: 1, strikesPerExpiry: 6 });
    for (const [i, name] of ['two.csv', 'three.csv', 'four.csv'].entries())
      writeCboeCsv(join(dir, name), { seed: 52 + i, expiries: 1, strikesPerExpiry: 6 });
    const manifest = join(dir, 'arrivals.jsonl');
    writeFileSync(
      manifest,
      [
        JSON.stringify({ file: 'm3.csv', priority: 'HIGH', justification: 'FOMC' }),
        // Another tool's own keys: the contract is open to extension.
        JSON.stringify({ file: 'two.csv', vendor_ref: 'x-1', at_ms: 0 }),
        JSON.stringify({ file: 'three.csv', vendor_ref: 'x-2', at_ms: 50 }),
        // `priority` beside the key it would be a slip of: another tool's, ignored too.
        JSON.stringify({
          file: 'four.csv',
          requested_priority: 'HIGH',
          priority: 'p1',
          justification: 'desk',
          at_ms: 50,
        }),
      ].join('\n'),
    );
    const r = await runCli(['ingest', '--manifest', manifest, '--json', ...args]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.lines.map((l) => [String(l.file).split(/[/\\]/).pop(), l.status])).toEqual([
      ['m3.csv', 'rejected'],
      ['two.csv', 'completed'],
      ['three.csv', 'completed'],
      ['four.csv', 'completed'],
    ]);
    expect(r.lines[0]!.error).toEqual({
      code: 'VALIDATION',
      message: `manifest ${manifest} line 1: priority: not a key a line takes (did you mean "requested_priority"?); ${TAKES}`,
      field: 'priority',
      file: manifest,
      line: 1,
    });
    expect(r.lines[3]).toMatchObject({ priority: 'HIGH' });
    // Each ignored key once, at the first line that has it.
    expect(r.stderr).toContain(
      `gex-desk: manifest ${manifest} line 2: "vendor_ref" is not a key a line takes, ignored (on 2 lines); ${TAKES}\n`,
    );
    expect(r.stderr).toContain(
      `gex-desk: manifest ${manifest} line 4: "priority" is not a key a line takes, ignored; ${TAKES}\n`,
    );
    // The refused line was not submitted: no job of m3.csv, at LOW or any level.
    const jobs = await runCli(['jobs', '--json', ...args]);
    expect(jobs.lines.map((l) => String(l.file).split(/[/\\]/).pop())).not.toContain('m3.csv');
  });

  // A manifest generator upstream that failed wrote nothing: it was exit 0 with no line at
  // all, as if every request had gone well. It names no file, as `ingest` alone does not.
  it('refuses a manifest of no line (empty, blank lines, piped in) as a usage error, exit 2', async () => {
    const { dir, args, db } = cliHome();
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const blank = join(dir, 'blank.jsonl');
    writeFileSync(blank, '\n  \r\n\n');
    const names = (m: string) =>
      `gex-desk: the manifest ${m} names no files: it has no request lines (JSON Lines, one request a line: {"file": "…"})\n`;
    for (const [run, m] of [
      [['ingest', '--manifest', empty, ...args], empty],
      [['ingest', '--manifest', empty, '--json', ...args], empty],
      [['ingest', '--manifest', blank, ...args], blank],
    ] as const) {
      const r = await runCli([...run]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^${escape(names(m))}`));
    }
    const piped = await runCli(['ingest', '--manifest', '-', ...args], { input: '\n\n' });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(new RegExp(`^${escape(names('(piped in)'))}`));
    // Nothing was opened, so no database was made.
    expect(existsSync(db)).toBe(false);
  });
});

describe('gex-desk ingest --manifest with the command line’s own request options', () => {
  it("gives a line without its own level, source or author the command's --priority (with its --justification), --source and --author", async () => {
    // The override was applied to the files given as arguments and dropped without a word
    // for the manifest's lines (QA: a line decided LOW by the rules, exit 0).
    const { dir, args } = cliHome();
    for (const [i, name] of ['plain.csv', 'own.csv', 'given.csv'].entries())
      writeCboeCsv(join(dir, name), { seed: 61 + i, expiries: 1, strikesPerExpiry: 6 });
    const manifest = join(dir, 'm.jsonl');
    writeFileSync(
      manifest,
      [
        JSON.stringify({ file: 'plain.csv' }),
        JSON.stringify({
          file: 'own.csv',
          requested_priority: 'LOW',
          justification: 'its own',
          source: 'vendor-x',
          author: 'ana',
        }),
      ].join('\n'),
    );
    const r = await runCli([
      'ingest',
      join(dir, 'given.csv'),
      '--manifest',
      manifest,
      '--priority',
      'CRITICAL',
      '--justification',
      'FOMC',
      '--source',
      'desk',
      '--author',
      'bo',
      '--json',
      ...args,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const byFile = new Map(r.lines.map((l) => [String(l.file).split(/[/\\]/).pop(), l]));
    expect(byFile.get('given.csv')).toMatchObject({ priority: 'CRITICAL', rule: 'G1' });
    expect(byFile.get('plain.csv')).toMatchObject({ priority: 'CRITICAL', rule: 'G1' });
    expect(byFile.get('own.csv')).toMatchObject({ priority: 'LOW', rule: 'G1' });
    const jobs = await runCli(['jobs', '--json', ...args]);
    const job = (name: string) =>
      jobs.lines.find((l) => String(l.file).split(/[/\\]/).pop() === name)!;
    expect(job('plain.csv')).toMatchObject({ source: 'desk' });
    expect(job('own.csv')).toMatchObject({ source: 'vendor-x' });
    // Who asked, and why: the command's for the plain line, the line's own for the other.
    const audit = await runCli(['audit', '--json', ...args]);
    const override = (name: string) =>
      audit.lines.find(
        (l) => l.request_id === byFile.get(name)!.request_id && l.kind === 'override',
      )!;
    expect(override('plain.csv')).toMatchObject({ actor: 'bo' });
    expect(override('plain.csv').explanation).toContain('justification "FOMC"');
    expect(override('own.csv')).toMatchObject({ actor: 'ana' });
    expect(override('own.csv').explanation).toContain('justification "its own"');
  });
});
