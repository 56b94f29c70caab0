// What each request's gex_change was computed against, recorded beside its facts (QA gd
// F5): nowhere said before, so an analyst checking a level against the Snapshots list
// found another "previous" (under GUIDELINES v2 often a request not stored yet). Three
// fresh files of one underlying in one command, then a fourth in another: the first is
// compared with nothing (null, news), each next one with the request before it, whose
// total GEX is its snapshot's; said in the decision's audit facts (`audit --json`) and in
// the request's stored facts the job drawer reads (requests:get, getRequests), and by the
// drawer's sentence.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../electron/engine/store/db.ts';
import { getRequests } from '../../electron/engine/store/requests.ts';
import { gexChangeBaseText } from '../../renderer/src/text/gex-change-base.ts';
import { writeLongCsv } from '../fixtures/option-chains.ts';
import { cliHome, runCli } from './run-cli.ts';

type Line = { request_id: string; snapshot: { id: string; total_gex: number } };

describe('what gex_change was compared with', () => {
  it('is recorded with each decision and the request’s facts', { timeout: 90_000 }, async () => {
    const { dir, db, args } = cliHome();
    const asOf = new Date(Date.now() - 30_000).toISOString().slice(0, 19);
    const file = (i: number) => {
      const f = join(dir, `f${i}.csv`);
      writeLongCsv(f, {
        seed: 50 + i,
        underlying: 'AAPL',
        spot: 190,
        expiries: 1,
        strikesPerExpiry: 4,
        asOf,
        offset: '+00:00',
      });
      return f;
    };
    const one = await runCli(['ingest', file(1), file(2), file(3), '--json', ...args]);
    expect(one.code, one.stderr).toBe(0);
    const two = await runCli(['ingest', file(4), '--json', ...args]);
    expect(two.code, two.stderr).toBe(0);
    const lines = [...one.lines, ...two.lines] as unknown as Line[];
    const expected = [
      null,
      ...lines.slice(0, 3).map((l) => ({
        request_id: l.request_id,
        snapshot_id: null,
        total_gex: l.snapshot.total_gex,
      })),
    ];

    const audit = await runCli(['audit', '--kind', 'decision', '--json', ...args]);
    expect(audit.code, audit.stderr).toBe(0);
    for (const [i, l] of lines.entries()) {
      const entry = audit.lines.find((e) => e.request_id === l.request_id)!;
      const facts = entry.facts as Record<string, unknown>;
      expect(facts.gex_change_compared_with, `f${i + 1}`).toEqual(expected[i]);
      if (i > 0) {
        const prev = expected[i]!.total_gex;
        expect(facts.gex_change).toBeCloseTo(
          Math.abs(l.snapshot.total_gex - prev) / Math.abs(prev),
          12,
        );
      } else expect(facts.gex_change).toBeNull();
    }

    const opened = await Store.open(db);
    if (!opened.ok) throw new Error(opened.error.message);
    try {
      const stored = await getRequests(
        opened.value,
        lines.map((l) => l.request_id),
      );
      for (const [i, l] of lines.entries())
        expect(stored.find((r) => r.id === l.request_id)!.gex_change_compared_with).toEqual(
          expected[i],
        );
    } finally {
      await opened.value.close();
    }
    expect(gexChangeBaseText(expected[0])).toMatch(/^gex_change compared with nothing/);
    expect(gexChangeBaseText(expected[1])).toBe(
      `gex_change compared with the previous request of this underlying, ${lines[0]!.request_id} (its file read): total GEX ${lines[0]!.snapshot.total_gex < 0 ? '-' : ''}$${Math.abs(lines[0]!.snapshot.total_gex).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} per 1 % move.`,
    );
    expect(gexChangeBaseText({ request_id: null, snapshot_id: 'abc', total_gex: 1 })).toMatch(
      /^gex_change compared with snapshot abc, the latest stored before/,
    );
    expect(gexChangeBaseText(undefined)).toBeNull();
  });
});
