// `gex-desk sources` and `gex-desk audit` as the real command: each source's record and
// the rule its reliability sets off under the active rules; an analyst's override, set
// and cleared with who and why, audited, and used by the source's next request; one
// request's trail oldest first with its file and underlying, the whole log newest first.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeBadFiles, writeCboeCsv } from '../fixtures/option-chains.ts';
import { cliHome, runCli } from './run-cli.ts';

describe('gex-desk sources and audit', () => {
  it(
    'shows each source, takes an override that the next request uses, and audits it',
    { timeout: 120_000 },
    async () => {
      const { dir, args } = cliHome();
      const home = join(dir, 'home');
      const run = (xs: string[]) => runCli([...xs, ...args], { home });
      const files = [1, 2, 3, 4].map((i) => {
        const f = join(dir, `chain-${i}.csv`);
        writeCboeCsv(f, { seed: 90 + i, underlying: 'SPX', expiries: 2, strikesPerExpiry: 10 });
        return f;
      });
      const bad = writeBadFiles(join(dir, 'bad'));
      expect(
        (await run(['ingest', files[0]!, bad.badValue!.path, '--source', 'vendor-a', '--json']))
          .code,
      ).toBe(1);
      expect((await run(['ingest', files[1]!, '--source', 'vendor-b', '--json'])).code).toBe(0);
      // vendor-a sends its good file again: a duplicate, which counts neither way (QA day
      // F5: shown, and said, so that "1 completed, 1 failed, 0.50" reads true).
      const again = await run(['ingest', files[0]!, '--source', 'vendor-a', '--json']);
      expect(again.lines.map((l) => l.status)).toEqual(['duplicate']);

      const listed = await run(['sources', '--json']);
      expect(listed.code).toBe(0);
      const byId = Object.fromEntries(listed.lines.map((s) => [s.id, s]));
      expect(byId['vendor-a']).toMatchObject({
        completed: 1,
        failed: 1,
        duplicates: 1,
        computed_reliability: 0.5,
        reliability: 0.5,
        override: null,
        triggers: [
          {
            rule: 'G4',
            effect: 'demotes G3 by 1 level',
            condition: 'source reliability < 0.8',
            certain: true,
          },
        ],
      });
      expect(byId['vendor-b']).toMatchObject({
        completed: 1,
        failed: 0,
        duplicates: 0,
        reliability: 1,
        override: null,
        triggers: [],
      });
      expect(String(byId['vendor-b']!.last_ingest_at)).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
      const table = await run(['sources']);
      expect(table.stdout).toMatch(/^source +completed +failed +duplicates +computed /);
      expect(table.stdout).toMatch(
        /vendor-a\s+1\s+1\s+1\s+0\.50\s+0\.50 .*G4: demotes G3 by 1 level \(source reliability < 0\.8\)/,
      );
      expect(table.stdout).toMatch(
        /\ncomputed = completed ÷ \(completed \+ failed\), 1\.00 without either; duplicates \(content already stored\) count in neither\.\n$/,
      );

      const set = await run([
        'sources',
        'set',
        'vendor-b',
        '--reliability',
        '0.6',
        '--justification',
        'vendor outage',
        '--author',
        'ana',
        '--json',
      ]);
      expect(set.code).toBe(0);
      expect(set.lines[0]).toMatchObject({
        id: 'vendor-b',
        computed_reliability: 1,
        reliability: 0.6,
        override: { reliability: 0.6, justification: 'vendor outage', author: 'ana' },
        triggers: [{ rule: 'G4', certain: true }],
      });
      const logged = await run(['audit', '--limit', '1', '--json']);
      expect(logged.lines[0]).toMatchObject({
        kind: 'source',
        actor: 'ana',
        request_id: null,
        facts: {
          source: 'vendor-b',
          reliability_override: 0.6,
          previous_override: null,
          computed_reliability: 1,
        },
      });
      expect(logged.lines[0]!.explanation).toBe(
        'source vendor-b: reliability set to 0.60 (was computed 1.00): vendor outage',
      );

      // The source's next request is decided with the override.
      const next = await run(['ingest', files[2]!, '--source', 'vendor-b', '--json']);
      const trail = await run(['audit', '--request', String(next.lines[0]!.request_id), '--json']);
      expect(trail.code).toBe(0);
      expect(trail.lines.map((e) => e.kind)).toEqual([
        'arrival',
        'decision',
        'started',
        'completed',
      ]);
      expect(trail.lines.every((e) => e.file === files[2] && e.underlying === 'SPX')).toBe(true);
      expect((trail.lines[1]!.facts as { source_reliability: number }).source_reliability).toBe(
        0.6,
      );

      const cleared = await run([
        'sources',
        'clear',
        'vendor-b',
        '--author',
        'ana',
        '--justification',
        'vendor back',
        '--json',
      ]);
      expect(cleared.lines[0]).toMatchObject({ override: null, reliability: 1, triggers: [] });
      const after = await run(['ingest', files[3]!, '--source', 'vendor-b', '--json']);
      const decision = (
        await run(['audit', '--request', String(after.lines[0]!.request_id), '--json'])
      ).lines.find((e) => e.kind === 'decision')!;
      expect((decision.facts as { source_reliability: number }).source_reliability).toBe(1);

      const log = await run(['audit', '--json']);
      // Newest first by when each happened (an arrival is written after entries of later
      // moments: its decision's), entries of one moment newest written first.
      const order = log.lines.map((e) => [Date.parse(e.at as string), e.id as number] as const);
      expect(order).toEqual([...order].sort((a, b) => b[0] - a[0] || b[1] - a[1]));
      const changes = log.lines.filter((e) => e.kind === 'source').map((e) => e.explanation);
      expect(changes).toEqual([
        'source vendor-b: reliability override 0.60 cleared (back to computed 1.00): vendor back',
        'source vendor-b: reliability set to 0.60 (was computed 1.00): vendor outage',
      ]);
      // Only the sources' changes, asked as such (`--kind`); an unknown kind is a usage error.
      const sourced = await run(['audit', '--kind', 'source', '--json']);
      expect(sourced.lines.map((e) => e.explanation)).toEqual(changes);
      const unknown = await run(['audit', '--kind', 'sources']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/--kind must be one of .*source/);
      const human = await run(['audit', '--request', String(next.lines[0]!.request_id)]);
      expect(human.stdout.split('\n')[1]).toMatch(/arrival/);
      // Sources are named exactly; one named so but for its case is pointed at.
      const cased = await run(['sources', 'clear', 'Vendor-B']);
      expect(cased.code).toBe(1);
      expect(cased.stderr).toContain(
        'NOT_FOUND: There is no source "Vendor-B" (did you mean "vendor-b"?): a source is known once a request has named it.',
      );
    },
  );

  it(
    'shows and audits an override as it was set (0.7999, not 0.80 beside G4’s < 0.8)',
    { timeout: 120_000 },
    async () => {
      const { dir, args } = cliHome();
      const home = join(dir, 'home');
      const run = (xs: string[]) => runCli([...xs, ...args], { home });
      const file = join(dir, 'chain.csv');
      writeCboeCsv(file, { seed: 97, underlying: 'SPX', expiries: 2, strikesPerExpiry: 10 });
      expect((await run(['ingest', file, '--source', 'vendor-c', '--json'])).code).toBe(0);
      const set = ['sources', 'set', 'vendor-c', '--reliability', '0.7999', '--justification'];
      expect((await run([...set, 'thin feed'])).code).toBe(0);
      expect((await run([...set, 'thin feed, still'])).code).toBe(0);
      const table = await run(['sources']);
      expect(table.stdout).toMatch(
        /vendor-c\s+1\s+0\s+0\s+1\.00\s+0\.7999 \(override\)\s+.*G4: demotes/,
      );
      const changes = (await run(['audit', '--kind', 'source', '--json'])).lines.map(
        (e) => e.explanation,
      );
      expect(changes).toEqual([
        'source vendor-c: reliability set to 0.7999 (was override 0.7999): thin feed, still',
        'source vendor-c: reliability set to 0.7999 (was computed 1.00): thin feed',
      ]);
      const described = await run([...set, 'thin feed, again']);
      expect(described.stdout).toContain('reliability 0.7999 (override by someone');
    },
  );

  it('refuses an unknown source (exit 1) and a bad reliability or a missing justification (exit 2)', async () => {
    const { dir, args } = cliHome();
    const home = join(dir, 'home');
    const run = (xs: string[]) => runCli([...xs, ...args], { home });
    const unknown = await run([
      'sources',
      'set',
      'nobody',
      '--reliability',
      '0.5',
      '--justification',
      'x',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('NOT_FOUND: There is no source "nobody"');
    expect(
      (await run(['sources', 'set', 'nobody', '--reliability', '1.5', '--justification', 'x']))
        .code,
    ).toBe(2);
    expect((await run(['sources', 'set', 'nobody', '--reliability', '0.5'])).code).toBe(2);
    // Blank as a person reads it: white space, a Hangul filler, the blank Braille pattern.
    for (const why of ['  ', '\u3164', '\u2800\u200b']) {
      const r = await run([
        'sources',
        'set',
        'nobody',
        '--reliability',
        '0.5',
        '--justification',
        why,
      ]);
      expect(r.code, JSON.stringify(why)).toBe(2);
      expect(r.stderr).toMatch(/sources set needs a --justification that is not blank/);
    }
    // A plain decimal only: what Number() also reads (hex, exponents, blanks, Infinity) is not one.
    for (const bad of ['0x1', '1e0', ' 1 ', 'Infinity']) {
      const r = await run([
        'sources',
        'set',
        'nobody',
        '--reliability',
        bad,
        '--justification',
        'x',
      ]);
      expect([bad, r.code]).toEqual([bad, 2]);
      expect(r.stderr).toContain(`--reliability must be a decimal from 0 to 1, not "${bad}"`);
    }
    const none = await run(['audit', '--request', 'no-such-request']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('There is no audit entry for request no-such-request');
  });
});
