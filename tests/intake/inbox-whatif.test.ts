// What would change (rules:whatif) on an analyst's real day (QA day F3, F4): stale files
// dropped in the watched inbox are decided LOW at their arrival, before they are read;
// once read and stored, a draft under which they are fresh cannot decide them again
// without the GEX change they were compared with then, which is not kept — that is the
// reason given (`missing: gex_change`), not "never read" (before, every such request was
// said never read). A file that failed, a snapshot removed since, are told apart. Every
// file is named where it is now (an inbox file in done/ or failed/, as `jobs` names it),
// never at processing/, where it arrived. The real engine watching real folders.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { engineIn } from '../desktop/engine.ts';
import { jobsOf, until } from './inbox-engine.ts';
import type { Engine } from '../../electron/engine/engine.ts';
import { defaultRulesText } from '../../electron/engine/rules/index.ts';
import { TERMINAL_STATUSES } from '../../shared/domain.ts';

const SPX = '/work/shared/samples/spx_quotedata_2024-01-07.csv';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.shutdown(5000);
  engine = null;
});

it('says why each request may change (gex_change not kept, a failed file, a removed snapshot) and names inbox files where they are', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-whatif-'));
  engine = await engineIn(dir, { watchInbox: true });
  const e = engine;
  const inbox = e.config.inbox;
  mkdirSync(join(inbox, 'acme'), { recursive: true });
  const ended = async (n: number) =>
    (await jobsOf(e)).filter((j) => TERMINAL_STATUSES.has(j.status)).length >= n;
  // Stale chains of one underlying, one at a time (the second and third compare with the
  // one before: their GEX change is not known at arrival), then a file cut short.
  for (let i = 0; i < 3; i++) {
    writeCboeCsv(join(inbox, 'acme', `aaa-${i}.csv`), { seed: 10 + i, underlying: 'AAA' });
    await until(() => ended(i + 1), `aaa-${i} ended`);
  }
  writeFileSync(join(inbox, 'acme', 'spx-cut.csv'), readFileSync(SPX).subarray(0, 20_000));
  await until(() => ended(4), 'spx-cut ended');
  // A stale file submitted by hand, whose snapshot is then removed.
  const other = join(dir, 'bbb.csv');
  writeCboeCsv(other, { seed: 20, underlying: 'AAA' });
  const ack = await e.handlers['ingest:submit']({ file: other, source: 'desk' });
  if (!ack.ok) throw new Error(ack.error.message);
  await until(() => ended(5), 'bbb ended');
  const jobs = await jobsOf(e);
  const byName = (name: string) => jobs.find((j) => j.file.endsWith(`/${name}`))!;
  expect(jobs.map((j) => j.status).sort()).toEqual([
    'completed',
    'completed',
    'completed',
    'completed',
    'failed',
  ]);
  const removed = await e.handlers['snapshots:remove']({
    id: byName('bbb.csv').snapshot_id!,
    justification: 'test',
  });
  expect(removed.ok).toBe(true);
  await until(
    async () => (await jobsOf(e)).every((j) => !j.file.includes('/processing/')),
    'inbox files moved out of processing/',
  );

  // Under a draft where their data is fresh, their level depends on what was not kept.
  const draft = defaultRulesText().replace('"age_s": { "<": 300 }', '"age_s": { "<": 1e9 }');
  expect(draft).not.toBe(defaultRulesText());
  const r = await e.handlers['rules:whatif']({ text: draft, last: 100, baseline: 'arrival' });
  if (!r.ok) throw new Error(r.error.message);
  const changes = r.value.changes;
  // Every file named where its job names it now, never at processing/.
  const files = new Map((await jobsOf(e)).map((j) => [j.request_id, j.file]));
  for (const c of changes) expect(c.file).toBe(files.get(c.request_id));
  expect(changes.filter((c) => c.file.includes('/processing/'))).toEqual([]);
  expect(changes.map((c) => c.file)).toContain(join(inbox, 'done', 'acme', 'aaa-1.csv'));
  expect(existsSync(join(inbox, 'done', 'acme', 'aaa-1.csv'))).toBe(true);

  const undetermined = changes.filter((c) => 'unknown' in c.to || 'unknown' in c.from);
  const why = new Map(undetermined.map((c) => [c.file.replace(/^.*\//, ''), c.missing]));
  // Read and stored: only gex_change is missing. Cut short: never read. Removed: not stored.
  expect(why.get('aaa-1.csv')).toBe('gex_change');
  expect(why.get('aaa-2.csv')).toBe('gex_change');
  expect(why.get('spx-cut.csv')).toBe('failed');
  expect(why.get('bbb.csv')).toBe('removed');
  // A change whose level is known carries no reason.
  for (const c of changes) if (!undetermined.includes(c)) expect(c.missing).toBeUndefined();
}, 120_000);
