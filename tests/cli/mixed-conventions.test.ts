// Snapshots computed under different GEX conventions, side by side through the real
// commands (real engine, DuckDB and Polars): `diff` says plainly that A and B were computed
// under other conventions and which (`--json`: an added `conventions` field), `history`
// that its points span more than one set, naming each change, and `levels` which
// underlyings' latest were computed under which set; a snapshot whose
// conventions were not recorded is said to be that, never claimed to differ.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../electron/engine/store/db.ts';
import { MIGRATIONS } from '../../electron/engine/store/migrations.ts';
import { DEFAULT_CONVENTIONS } from '../../shared/domain.ts';
import { runCli } from './run-cli.ts';

const chain = (asOf: string, callOi: number) =>
  [
    'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv',
    `QMIX,${asOf},100,2024-03-15,100,C,${callOi},1,0.2`,
    `QMIX,${asOf},100,2024-03-15,95,P,800,1,0.22`,
  ].join('\n') + '\n';
const AS_OF = [
  '2024-01-10T10:30:00-05:00',
  '2024-01-11T10:30:00-05:00',
  '2024-01-12T10:30:00-05:00',
];
const ACT = { ...DEFAULT_CONVENTIONS, day_count: 'act-365' };

describe('snapshots under different conventions side by side', () => {
  it('diff and history say so; not recorded is said as such', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-mix-'));
    const db = join(dir, 'db.duckdb');
    const args = ['--db', db, '--data-dir', join(dir, 'data')];
    const actConfig = join(dir, 'act.json');
    writeFileSync(actConfig, JSON.stringify({ conventions: { day_count: 'act-365' } }));
    const act = { env: { GEX_DESK_CONFIG: actConfig } };
    const defaultsConfig = join(dir, 'defaults.json');
    writeFileSync(defaultsConfig, '{}');
    const none = { env: { GEX_DESK_CONFIG: defaultsConfig } };
    const ids: string[] = [];
    for (const [i, asOf] of AS_OF.entries()) {
      const file = join(dir, `q${i}.csv`);
      writeFileSync(file, chain(asOf, 1000 + i * 100));
      const r = await runCli(['ingest', file, '--json', ...args], i === 0 ? act : none);
      expect(r.stderr).toBe('');
      ids.push(String((r.lines[0]!.snapshot as { id: string }).id));
    }
    const [a, b, c] = ids as [string, string, string];
    // Another underlying, under act-365: the board's latest snapshots span two sets.
    const other = join(dir, 'other.csv');
    writeFileSync(other, chain(AS_OF[0]!, 500).replaceAll('QMIX', 'QOTH'));
    expect((await runCli(['ingest', other, ...args], act)).code).toBe(0);
    const levels = await runCli(['levels', ...args], none);
    expect(levels.stdout).toContain(
      'note: These snapshots were computed under 2 sets of conventions — QMIX: business-262, ' +
        'r 0 %, q 0 %, ×100 (the defaults); QOTH: act-365, r 0 %, q 0 %, ×100 (not the defaults)',
    );
    const levelsJson = await runCli(['levels', '--json', ...args], none);
    expect(levelsJson.lines.map((l) => (l.conventions as { day_count: string }).day_count)).toEqual(
      ['business-262', 'act-365'],
    );

    // act-365 → business-262: said on a line of its own, and in --json.
    const text = await runCli(['diff', a, b, ...args], none);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      'note: A and B were computed under different conventions (day count act-365 → business-262)',
    );
    const json = await runCli(['diff', a, b, '--json', ...args], none);
    expect(json.lines[0]!.conventions).toEqual({
      from: ACT,
      to: DEFAULT_CONVENTIONS,
      compared: 'differ',
      differ: ['day_count'],
    });
    // The same conventions: nothing said.
    const same = await runCli(['diff', b, c, ...args], none);
    expect(same.stdout).not.toContain('conventions');
    const sameJson = await runCli(['diff', b, c, '--json', ...args], none);
    expect(sameJson.lines[0]!.conventions).toMatchObject({ compared: 'same', differ: [] });

    // History across the change: a note naming it at its as_of; each point's in --json.
    const history = await runCli(['history', 'QMIX', ...args], none);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toContain(
      `note: These snapshots were computed under 2 sets of conventions — from ${AS_OF[1]}: day count act-365 → business-262`,
    );
    const historyJson = await runCli(['history', 'QMIX', '--json', ...args], none);
    expect(
      historyJson.lines.map((l) => (l.conventions as { day_count: string }).day_count),
    ).toEqual(['act-365', 'business-262', 'business-262']);

    // The first file again under the defaults: another snapshot, with other figures, which
    // history lists beside the first (not merged with it for their common content).
    const again = await runCli(['ingest', join(dir, 'q0.csv'), '--json', ...args], none);
    expect(again.lines[0]!.status).toBe('completed');
    const twin = String((again.lines[0]!.snapshot as { id: string }).id);
    const withTwin = await runCli(['history', 'QMIX', '--json', ...args], none);
    expect(withTwin.lines.map((l) => l.id)).toEqual([a, twin, b, c]);
    // Only for this check: the rest counts the three of before.
    const removed = await runCli(
      ['snapshots', 'remove', twin, '--justification', 'the check is done', ...args],
      none,
    );
    expect(removed.code, removed.stderr).toBe(0);

    // C stored before conventions were recorded: "not recorded", never "different".
    const opened = await Store.open(db, MIGRATIONS);
    if (!opened.ok) throw new Error(opened.error.message);
    await opened.value.run('UPDATE gex_snapshots SET conventions = NULL WHERE id = $1', [c]);
    await opened.value.close();
    const unknown = await runCli(['diff', b, c, ...args], none);
    expect(unknown.stdout).toContain(
      'note: The conventions of B were not recorded (stored before GEX Desk recorded them)',
    );
    expect(unknown.stdout).not.toContain('different conventions');
    const unknownJson = await runCli(['diff', b, c, '--json', ...args], none);
    expect(unknownJson.lines[0]!.conventions).toEqual({
      from: DEFAULT_CONVENTIONS,
      to: null,
      compared: 'not_recorded',
      differ: [],
    });
    const partly = await runCli(['history', 'QMIX', ...args], none);
    expect(partly.stdout).toContain(
      'note: The conventions of 1 of these 3 snapshots were not recorded',
    );
    expect(partly.stdout).toContain('computed under 2 sets of conventions');
    // The board: QMIX's latest not recorded, QOTH's recorded: one set, nothing claimed.
    expect((await runCli(['levels', ...args], none)).stdout).not.toContain('note:');
  });
});
