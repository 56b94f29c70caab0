// `rules eval` and the Rules view's dry run refuse a key that is neither a fact nor `id`
// (QA ct2 F7): `requested_priorty` was ignored and the line decided as if it had no
// override (CRITICAL G3, not LOW G1), exit 0, where a manifest refuses the same slip. The
// line is answered with an INVALID_FACT error naming the key (`fact`) and, when it reads
// as a slip of a fact the line lacks, the fact; exit 1, as for any invalid line.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../pipeline/helpers.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';
import { runCli } from './run-cli.ts';

const DEFAULT = join(repoRoot, 'rules', 'default.rules.json');
const now = '2026-12-06T21:31:38Z';
const base = {
  underlying: 'SPX',
  as_of: now,
  now,
  total_volume: 80000,
  total_open_interest: 300000,
  gex_change: 0.25,
};

describe('rules eval: a key that is no fact', () => {
  it('refuses the line, naming the key and the fact it is a slip of; the others are decided', async () => {
    const input = [
      { id: 'slip1', ...base, requested_priorty: 'LOW', justification: 'j' },
      { id: 'ok1', ...base, requested_priority: 'LOW', justification: 'j' },
      { id: 'slip2', ...base, source_reliabilty: 0.1 },
      { id: 'ok2', ...base, source_reliability: 0.1 },
      { id: 'slip3', ...base, bogus: 1 },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const r = await runCli(['rules', 'eval', '--rules', DEFAULT], { input });
    expect(r.code).toBe(1);
    expect(r.lines).toHaveLength(5);
    expect(r.lines[0]).toEqual({
      id: 'slip1',
      line: 1,
      error: {
        code: 'INVALID_FACT',
        message: expect.stringMatching(
          /^"requested_priorty" is not a fact \(did you mean "requested_priority"\?\); the facts are underlying, as_of, /,
        ),
        fact: 'requested_priorty',
      },
    });
    expect(r.lines[1]).toMatchObject({ id: 'ok1', priority: 'LOW', rule: 'G1' });
    expect(r.lines[2]).toMatchObject({
      id: 'slip2',
      error: {
        code: 'INVALID_FACT',
        fact: 'source_reliabilty',
        message: expect.stringContaining('(did you mean "source_reliability"?)'),
      },
    });
    expect(r.lines[3]).toMatchObject({ id: 'ok2', priority: 'HIGH', rule: 'G4' });
    // Near no fact: named, without a guess.
    expect(r.lines[4]).toMatchObject({
      id: 'slip3',
      error: { code: 'INVALID_FACT', fact: 'bogus' },
    });
    expect((r.lines[4]!.error as { message: string }).message).not.toContain('did you mean');
  });

  it('refuses it with the active rules too (no --rules)', async () => {
    const input = JSON.stringify({ ...base, Underlying: 'QQQ' });
    const r = await runCli(['rules', 'eval'], { input });
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      {
        id: null,
        line: 1,
        error: expect.objectContaining({ code: 'INVALID_FACT', fact: 'Underlying' }),
      },
    ]);
  });
});

describe('the dry run (rules:dryRun): the same check', () => {
  let te: TestEngine | undefined;
  afterAll(async () => te?.stop());

  it('answers a row with a key that is no fact with the error rules eval gives', async () => {
    te = await startTestEngine({ workers: 1 });
    const { handlers } = te.engine;
    const active = await handlers['rules:active']({});
    const text = active.ok ? active.value.text : '';
    const dry = await handlers['rules:dryRun']({
      text,
      facts: [
        { id: 'slip', ...base, requested_priorty: 'LOW', justification: 'j' },
        { id: 'ok', ...base, requested_priority: 'LOW', justification: 'j' },
      ],
    });
    expect(dry).toMatchObject({
      ok: true,
      value: [
        {
          error: {
            code: 'INVALID_FACT',
            fact: 'requested_priorty',
            message: expect.stringContaining('(did you mean "requested_priority"?)'),
          },
        },
        { priority: 'LOW', rule: 'G1' },
      ],
    });
  });
});
