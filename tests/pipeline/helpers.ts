// Shared by the pipeline tests: where the real samples are (skipped when absent, unless
// REQUIRE_SAMPLES=1 makes their absence a failure), fresh temporary folders, defaults.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GexConventions } from '../../shared/domain.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const samplesDir = resolve(repoRoot, '../shared/samples');
export const SPX_SAMPLE = join(samplesDir, 'spx_quotedata_2024-01-07.csv');
export const META_SAMPLE = join(samplesDir, 'cboe_delayed_META_2025-09-06.json');

export const samplesPresent = existsSync(SPX_SAMPLE) && existsSync(META_SAMPLE);
/** Run sample tests when the samples are there, or when they are required (then a missing file fails). */
export const runSampleTests = samplesPresent || process.env.REQUIRE_SAMPLES === '1';

export const conventions = (over: Partial<GexConventions> = {}): GexConventions =>
  GexConventions.parse(over);

export const tempDir = (prefix = 'gex-pipeline-'): string => mkdtempSync(join(tmpdir(), prefix));

/** A writer of numbered files in `dir`: file('x.csv', text) → its path. */
export function fileWriter(dir: string): (name: string, content: string | Buffer) => string {
  let n = 0;
  return (name, content) => {
    const path = join(dir, `${n++}-${name}`);
    writeFileSync(path, content);
    return path;
  };
}
