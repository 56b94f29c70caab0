// An analyst's retry claims the ended job's kept bytes before its transition is written:
// from then on no sweep (nor a full disk's yield) can let them go under the retry, and a
// retry that was not written gives them back as they were. Real Staging, real files.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { ProcessingJob } from '../../shared/domain.ts';
import { StagedJobs } from '../../electron/engine/intake/staged-jobs.ts';
import { Staging } from '../../electron/engine/intake/staging.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'gex-claim-'));
  dirs.push(dir);
  const staging = new Staging({ dir: join(dir, 'staging'), maxBytes: 1 << 20 });
  const file = join(dir, 'a.csv');
  writeFileSync(file, 'some content\n');
  const captured = await staging.capture(file);
  if (!captured.ok) throw new Error(captured.error.message);
  const staged = new StagedJobs(staging, { keepEndedMs: 1000 });
  const hash = captured.value.hash;
  staged.hold('j1', hash);
  const failed = { id: 'j1', status: 'failed' } as ProcessingJob;
  staged.onJobUpdated(failed, 0);
  return { staging, staged, hash };
}

it('keeps claimed bytes through a sweep, and gives back the claim of a retry not written', async () => {
  const { staging, staged, hash } = await setup();
  const claim = staged.claim('j1', hash);
  expect(claim).not.toBeNull();
  // The keep time passes (and the disk fills) while the retry's transaction is written.
  expect(staged.sweep(Infinity)).toBe(0);
  expect(existsSync(staging.pathOf(hash))).toBe(true);
  claim!.undo();
  expect(staged.sweep(500)).toBe(0);
  expect(staged.sweep(2000)).toBe(1);
  expect(existsSync(staging.pathOf(hash))).toBe(false);
  expect(staged.claim('j1', hash)).toBeNull();
});

it('claims nothing for a job whose bytes were never captured', async () => {
  const { staged } = await setup();
  expect(staged.claim('j2', null)).toBeNull();
});
