// A sub-dollar underlying (spot $0.0125, strikes 0.0100–0.0150 by 0.0005, two expiries, IV
// given): its zero gamma used to be stored to the cent (0.01, where the profile is still
// negative) and the command line showed it so. Now the level keeps 5 significant figures
// below $1 (shared/prices.ts), stored and shown; SPX's stays to the cent (4734.48).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../electron/engine/pipeline/index.ts';
import type { GammaProfilePoint } from '../../shared/domain.ts';
import { conventions, runSampleTests, SPX_SAMPLE, tempDir } from '../pipeline/helpers.ts';
import { cliHome, runCli } from './run-cli.ts';

const HEAD = 'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv,gamma';

/** Calls heavier above spot, puts below: the profile turns positive between 0.0125 and 0.013. */
function pennyChain(file: string, asOf = '2024-01-10T10:30:00-05:00', calls = 100): void {
  const rows = [HEAD];
  for (const [expiry, times] of [
    ['2024-01-19', 1],
    ['2024-02-16', 2],
  ] as const)
    for (let i = 0; i <= 10; i++) {
      const strike = (100 + 5 * i) / 10_000;
      const at = `PENNY,${asOf},0.0125,${expiry},${strike}`;
      rows.push(`${at},C,${(calls + 400 * i) * times},1,0.9,`);
      rows.push(`${at},P,${(4500 - 400 * i) * times},1,0.9,`);
    }
  writeFileSync(file, rows.join('\n') + '\n');
}

/** The first sign change of the profile, linearly interpolated (ANALYTICS.md), unrounded. */
function firstFlip(profile: GammaProfilePoint[]): number {
  for (let i = 1; i < profile.length; i++) {
    const [a, b] = [profile[i - 1]!, profile[i]!];
    if (Math.sign(a.gex) !== Math.sign(b.gex) && a.gex !== 0)
      return a.level + ((b.level - a.level) * -a.gex) / (b.gex - a.gex);
  }
  throw new Error('no flip');
}

describe('a sub-dollar underlying', () => {
  it('stores its zero gamma to 5 significant figures and the command line shows its levels so', async () => {
    const home = cliHome();
    const file = join(home.dir, 'penny.csv');
    pennyChain(file);
    // The unrounded flip, from the same chain's gamma profile.
    const run = await runPipeline({
      file,
      dataDir: join(home.dir, 'scratch'),
      snapshotId: 'scratch',
      conventions: conventions(),
    });
    if (!run.ok) throw new Error(run.error.message);
    const flip = firstFlip(run.value.profile);
    expect(flip).toBeGreaterThan(0.0125);
    expect(flip).toBeLessThan(0.0135);

    const T = [...home.args, '--data-dir', join(home.dir, 'data')];
    const ingest = await runCli(['ingest', file, '--json', ...T]);
    expect(ingest.code).toBe(0);
    const s = ingest.lines[0]!.snapshot as Record<string, number>;
    // 5 significant figures: 0.0128xx to the millionth.
    expect(Math.abs(s.zero_gamma! - flip)).toBeLessThanOrEqual(5e-7 + 1e-12);
    expect(s.zero_gamma).toBe(Number(flip.toPrecision(5)));
    const z = String(s.zero_gamma);
    expect(z).toMatch(/^0\.01\d{4}$/);

    const levels = await runCli(['levels', ...T]);
    expect(levels.code).toBe(0);
    const row = levels.stdout.split('\n').find((l) => l.startsWith('PENNY'))!;
    expect(row.split(/\s+/).slice(4, 9)).toEqual(['0.0125', z, '0.0145', '0.0115', '0.0125']);

    const detail = await runCli(['snapshot', s.id as unknown as string, ...T]);
    expect(detail.code).toBe(0);
    expect(detail.stdout).toContain(`spot 0.0125 `);
    expect(detail.stdout).toContain(
      `zero gamma ${z}; call wall 0.0145; put wall 0.0115; absolute-gamma strike 0.0125`,
    );

    // An hour later, more calls: the flip moves by less than a cent, and diff says by how much.
    const later = join(home.dir, 'later.csv');
    pennyChain(later, '2024-01-10T11:30:00-05:00', 400);
    const second = await runCli(['ingest', later, '--json', ...T]);
    const s2 = second.lines[0]!.snapshot as Record<string, number>;
    const moved = s2.zero_gamma! - s.zero_gamma!;
    expect(Math.abs(moved)).toBeGreaterThan(1e-5);
    expect(Math.abs(moved)).toBeLessThan(0.005);
    const diff = await runCli(['diff', String(s.id), String(s2.id), ...T]);
    expect(diff.code, diff.stderr).toBe(0);
    const zeroRow = diff.stdout.split('\n').find((l) => l.startsWith('zero gamma'))!;
    expect(zeroRow.split(/\s+/).slice(2)).toEqual([
      z,
      String(s2.zero_gamma),
      `${moved > 0 ? '+' : '-'}${Number(Math.abs(moved).toFixed(6))}`,
    ]);
  });

  it.runIf(runSampleTests)("leaves SPX's zero gamma to the cent (4734.48)", async () => {
    const r = await runPipeline({
      file: SPX_SAMPLE,
      dataDir: tempDir(),
      snapshotId: 'spx',
      conventions: conventions(),
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.snapshot.zero_gamma).toBe(4734.48);
  });
});
