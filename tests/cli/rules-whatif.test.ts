// `gex-desk rules whatif` on real history, as CONTRACTS.md describes it: requests
// ingested by the real command (stale ones decided LOW at arrival by G2, an override,
// fresh data decided after its facts read, an unreadable file) are replayed under an
// edit that makes stale data MEDIUM: exactly the stale requests without an override
// move, LOW → MEDIUM; the default rules move nothing; --last bounds the replay; once the
// edit is active, --against active compares with it (nothing moves) while the default
// still compares with the level at arrival; an invalid file exits 1 and writes nothing.
// Requests whose level depends on facts not stored are never listed as changes with an
// unknown level: they are said apart, as may change, with why (a file that failed was
// never read; QA day F3: one read and stored lacks only gex_change, not said "never read").
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRulesText } from '../../electron/engine/rules/index.ts';
import { writeCboeCsv, writeLongCsv } from '../fixtures/option-chains.ts';
import { repoRoot } from '../pipeline/helpers.ts';
import { cliStore, runCli } from './run-cli.ts';

const DEFAULT = join(repoRoot, 'rules', 'default.rules.json');
const SAMPLES = '/work/shared/samples';
const SPX = join(SAMPLES, 'spx_quotedata_2024-01-07.csv');
const META = join(SAMPLES, 'cboe_delayed_META_2025-09-06.json');

describe('gex-desk rules whatif', () => {
  it(
    'lists exactly the stale past requests LOW → MEDIUM under an edit that makes stale data MEDIUM',
    { timeout: 120_000 },
    async () => {
      const { dir, args } = await cliStore();
      const home = join(dir, 'home');
      // Before any request: nothing to replay, said so.
      const before = await runCli(['rules', 'whatif', DEFAULT, ...args], { home });
      expect(before.code, before.stderr).toBe(0);
      expect(before.stdout).toBe(
        `No request has been decided yet: there is nothing to replay under ${DEFAULT} (active rules: version default).\n`,
      );
      const stale = ['SPX', 'NDX', 'QQQ'].map((u, i) => {
        const f = join(dir, `stale-${u}.csv`);
        writeCboeCsv(f, { seed: 60 + i, underlying: u, expiries: 3, strikesPerExpiry: 15 });
        return f;
      });
      const overridden = join(dir, 'stale-override.csv');
      writeCboeCsv(overridden, { seed: 70, underlying: 'IWM', expiries: 3, strikesPerExpiry: 15 });
      // Real-time data: its level needs the whole file's facts (decided after its read).
      const fresh = join(dir, 'fresh.csv');
      writeLongCsv(fresh, {
        seed: 71,
        underlying: 'AAPL',
        spot: 190,
        expiries: 3,
        strikesPerExpiry: 15,
        asOf: new Date().toISOString().slice(0, 19),
        offset: '+00:00',
      });
      const junk = join(dir, 'junk.csv');
      writeFileSync(junk, 'not a chain\n');

      const a = await runCli(['ingest', ...stale, junk, '--json', ...args], { home });
      const b = await runCli(
        [
          'ingest',
          overridden,
          '--priority',
          'HIGH',
          '--justification',
          'desk asked',
          '--json',
          ...args,
        ],
        { home },
      );
      const c = await runCli(['ingest', fresh, '--json', ...args], { home });
      expect(a.lines.map((l) => [l.status, l.priority, l.rule])).toEqual([
        ['completed', 'LOW', 'G2'],
        ['completed', 'LOW', 'G2'],
        ['completed', 'LOW', 'G2'],
        ['failed', null, null], // unreadable: no rule decided it
      ]);
      expect(b.lines[0]).toMatchObject({ status: 'completed', priority: 'HIGH', rule: 'G1' });
      expect(c.lines[0]).toMatchObject({ status: 'completed', rule: 'G3' });
      expect(c.lines[0]!.priority).not.toBe('LOW');

      const edited = join(dir, 'stale-medium.json');
      writeFileSync(
        edited,
        defaultRulesText().replace(
          /("freshness":\s*\{\s*"==":\s*"stale"\s*\}\s*\},\s*"level":\s*)"LOW"/,
          '$1"MEDIUM"',
        ),
      );
      const r = await runCli(['rules', 'whatif', edited, '--json', ...args], { home });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const staleIds = a.lines.slice(0, 3).map((l) => l.request_id);
      // One line per request whose level changes, in the contract's shape (the three were
      // submitted together: their arrival order is the engine's).
      const byFile = (xs: Record<string, unknown>[]) =>
        [...xs].sort((x, y) => String(x.file).localeCompare(String(y.file)));
      expect(byFile(r.lines)).toEqual(
        byFile(a.lines.slice(0, 3)).map((l) => ({
          request_id: l.request_id,
          file: l.file,
          underlying: (l.snapshot as { underlying: string }).underlying,
          from: { priority: 'LOW', rule: 'G2' },
          to: { priority: 'MEDIUM', rule: 'G2' },
        })),
      );
      expect(r.lines.map((l) => l.request_id).sort()).toEqual([...staleIds].sort());

      const table = await runCli(['rules', 'whatif', edited, ...args], { home });
      expect(table.code).toBe(0);
      expect(table.stdout).toContain('3 of 5 decided requests would change level');
      expect(table.stdout).toContain('LOW → MEDIUM: 3');
      for (const id of staleIds) expect(table.stdout).toContain(String(id));

      // --last 2: the two latest decided requests (the fresh one and the override) move nothing.
      const last2 = await runCli(['rules', 'whatif', edited, '--last', '2', '--json', ...args], {
        home,
      });
      expect(last2.code).toBe(0);
      expect(last2.lines).toEqual([]);
      const none = await runCli(['rules', 'whatif', DEFAULT, '--json', ...args], { home });
      expect(none.code).toBe(0);
      expect(none.stdout).toBe('');

      // Once the edit is active, the default still compares with the level at arrival
      // (the contract), and --against active with the active rules: nothing moves.
      const act = await runCli(['rules', 'activate', edited, '--author', 'ana', ...args], { home });
      expect(act.code, act.stderr).toBe(0);
      const still = await runCli(['rules', 'whatif', edited, '--json', ...args], { home });
      expect(still.lines.map((l) => l.request_id).sort()).toEqual([...staleIds].sort());
      const againstActive = await runCli(
        ['rules', 'whatif', edited, '--against', 'active', ...args],
        { home },
      );
      expect(againstActive.code, againstActive.stderr).toBe(0);
      expect(againstActive.stdout).toBe(
        `0 of 5 decided requests would change level under ${edited} (against the active rules, version 2).\n`,
      );
      const back = await runCli(
        ['rules', 'whatif', DEFAULT, '--against', 'active', '--json', ...args],
        { home },
      );
      expect(back.lines.map((l) => [l.request_id, l.from, l.to]).sort()).toEqual(
        [...staleIds]
          .sort()
          .map((id) => [id, { priority: 'MEDIUM', rule: 'G2' }, { priority: 'LOW', rule: 'G2' }]),
      );
      const wrong = await runCli(['rules', 'whatif', edited, '--against', 'then', ...args], {
        home,
      });
      expect(wrong.code).toBe(2);

      const broken = join(dir, 'broken.json');
      writeFileSync(broken, '{ "levels": ');
      const bad = await runCli(['rules', 'whatif', broken, '--json', ...args], { home });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/broken\.json:1:\d+: error SYNTAX/);
      expect((await runCli(['rules', 'whatif', ...args], { home })).code).toBe(2);
    },
  );

  it(
    'keeps requests whose files were never read (a failed file) out of the changes, and decides a duplicate from its snapshot: never `to.priority` null, said apart as "may change" with their range',
    { timeout: 120_000 },
    async () => {
      const { dir, args } = await cliStore();
      const home = join(dir, 'home');
      const truncated = join(dir, 'spx-cut.csv');
      writeFileSync(truncated, readFileSync(SPX).subarray(0, 20_000));
      const first = await runCli(['ingest', SPX, '--json', ...args], { home });
      const more = await runCli(['ingest', SPX, META, truncated, '--json', ...args], { home });
      expect(first.lines.map((l) => l.status)).toEqual(['completed']);
      expect(more.lines.map((l) => l.status)).toEqual(['duplicate', 'completed', 'failed']);
      // The first SPX file was read before its level was decided; the duplicate's facts are
      // its snapshot's (compared with the first, which arrived before it); the cut file was
      // never read (META may be either, as the engine's timing has it).
      const readFirst = String(first.lines[0]!.request_id);
      const duplicate = String(more.lines[0]!.request_id);
      const neverRead = [String(more.lines[2]!.request_id)];
      // The active rules with "fresh" data up to 1e9 s old: the old samples become fresh.
      const shown = await runCli(['rules', 'show', ...args], { home });
      const edited = join(dir, 'rules2.json');
      const text = shown.stdout.replace('"age_s": { "<": 300 }', '"age_s": { "<": 1e9 }');
      expect(text).not.toBe(shown.stdout);
      writeFileSync(edited, text);

      const t = await runCli(['rules', 'whatif', edited, ...args], { home });
      expect(t.code, t.stderr).toBe(0);
      expect(t.stdout).not.toContain('UNKNOWN');
      const [changes, ...sections] = t.stdout.split(/\n\n(?=\d+ may change)/);
      expect(sections.length, t.stdout).toBeGreaterThan(0);
      const apart = sections.join('\n\n');
      const ids = (s: string) => [...s.matchAll(/^([0-9a-f-]{36}) /gm)].map((m) => m[1]!);
      const moved = ids(changes!);
      const undetermined = ids(apart);
      // The cut file's section says why: it failed, it was never read.
      const failedSection = sections.find((x) => neverRead.every((id) => x.includes(id)))!;
      const failedCount = ids(failedSection).length;
      expect(moved).toEqual(expect.arrayContaining([readFirst, duplicate]));
      expect(undetermined).toEqual(expect.arrayContaining(neverRead));
      expect(moved.filter((id) => undetermined.includes(id))).toEqual([]);
      expect(changes).toContain(
        `\n${moved.length} of 4 decided requests would change level under ${edited} (`,
      );
      expect(failedSection.split('\n')[0]).toBe(
        `${failedCount} may change (the rules' decision under ${edited} depends on facts not stored): their files failed, so their facts were never read.`,
      );
      expect(t.stdout).not.toContain('were never read, so the rules');
      for (const id of neverRead)
        expect(apart).toMatch(new RegExp(`${id} +SPX +LOW \\(G2\\) +[A-Z]+…[A-Z]+ `));

      // --json: only the requests whose level FILE decides, the others counted on stderr.
      const r = await runCli(['rules', 'whatif', edited, '--json', ...args], { home });
      expect(r.code, r.stderr).toBe(0);
      expect(r.lines.map((l) => l.request_id)).toEqual(moved);
      for (const l of r.lines) {
        expect(Object.keys(l)).toEqual(['request_id', 'file', 'underlying', 'from', 'to']);
        expect(l.to).toEqual({ priority: expect.any(String), rule: expect.any(String) });
      }
      expect(r.stderr).toContain(
        `gex-desk: ${failedCount} may change (the rules' decision under ${edited} depends on facts not stored): their files failed, so their facts were never read. They are not listed: without --json, the command lists each with the levels it could get.\n`,
      );
      expect(r.stderr.match(/ may change /g)).toHaveLength(sections.length);

      // Once the edit is active, the default rules against it: the cut file's level under
      // the active rules depends on its volume, never read, so whether the default moves it
      // is not known. Said apart with the levels the active rules could give — neither a
      // change from the level an earlier version gave it at arrival, nor left out as staying.
      const act = await runCli(['rules', 'activate', edited, '--author', 'qa', ...args], { home });
      expect(act.code, act.stderr).toBe(0);
      const back = await runCli(['rules', 'whatif', DEFAULT, '--against', 'active', ...args], {
        home,
      });
      expect(back.code, back.stderr).toBe(0);
      const [backChanges, ...backSections] = back.stdout.split(/\n\n(?=\d+ may change)/);
      const backApart = backSections.find((x) => neverRead.every((id) => x.includes(id)));
      expect(backApart, back.stdout).toBeDefined();
      expect(backApart!.split('\n')[0]).toBe(
        `${ids(backApart!).length} may change (the rules' decision under ${DEFAULT} or the active rules depends on facts not stored): their files failed, so their facts were never read.`,
      );
      for (const id of neverRead) {
        expect(ids(backChanges!)).not.toContain(id);
        expect(backApart).toMatch(new RegExp(`${id} +SPX +[A-Z]+…[A-Z]+ +LOW \\(G2\\) `));
      }
      const backJson = await runCli(
        ['rules', 'whatif', DEFAULT, '--against', 'active', '--json', ...args],
        { home },
      );
      expect(backJson.code, backJson.stderr).toBe(0);
      expect(backJson.lines.map((l) => l.request_id)).toEqual(ids(backChanges!));
    },
  );
});
