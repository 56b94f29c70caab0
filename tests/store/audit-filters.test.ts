// The Audit view's filters asked of the engine (audit:list's kinds, text and source), so
// that a search finds entries past the newest pages the view has loaded (QA qv F3): the
// text in a file, underlying (the entry's or its job's), request, analyst or explanation,
// in any letter case; a source's changes and its jobs' entries; several kinds at once;
// and paging with `after` through a filtered list. The real engine on a real database.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/api.ts';
import { appendAudits, type AuditInput } from '../../electron/engine/store/audit.ts';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';

let te: TestEngine;
beforeAll(async () => {
  te = await startTestEngine({ workers: 1 });
});
afterAll(async () => {
  await te?.stop();
});

type ListArgs = Parameters<TestEngine['engine']['handlers']['audit:list']>[0];
async function list(args: Partial<ListArgs>): Promise<AuditEntry[]> {
  const r = await te.engine.handlers['audit:list']({ limit: 500, ...args } as ListArgs);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const entry = (i: number, more: Partial<AuditInput> = {}): AuditInput => ({
  kind: 'rules',
  request_id: null,
  job_id: null,
  rule_version: null,
  rule: null,
  priority: null,
  facts: null,
  explanation: `filler ${i}`,
  actor: null,
  ...more,
});

it('finds by text, source and kinds across the whole log, and pages through what it finds', async () => {
  const file = join(te.dir, 'NeedleFile-spx.csv');
  writeFileSync(file, cboeCsvText(makeChain({ seed: 7, expiries: 1, strikesPerExpiry: 3 })));
  const ack = await te.engine.handlers['ingest:submit']({ file, source: 'acme-feed' });
  if (!ack.ok) throw new Error(ack.error.message);
  await te.engine.drain();
  const requestId = ack.value.request_id;
  // An override of the source, by an analyst, then many newer entries above them all.
  await appendAudits(te.engine.store, [
    entry(-1, {
      kind: 'source',
      facts: { source: 'acme-feed', reliability: 0.5 },
      explanation: 'Reliability of acme-feed set to 50 %',
      actor: 'Ana Lyst',
    }),
  ]);
  await appendAudits(
    te.engine.store,
    Array.from({ length: 300 }, (_, i) => entry(i)),
  );

  // The newest 100 are all filler: the job's entries are older.
  expect((await list({ limit: 100 })).every((e) => e.explanation.startsWith('filler'))).toBe(true);

  // Its file name, in another letter case: every entry of its job (found by the job's file).
  const byFile = await list({ text: 'needlefile' });
  expect(byFile.length).toBeGreaterThanOrEqual(3);
  expect(byFile.every((e) => e.request_id === requestId)).toBe(true);
  expect(new Set(byFile.map((e) => e.kind))).toEqual(
    new Set((await list({ request_id: requestId })).map((e) => e.kind)),
  );
  // The analyst's name, the request id.
  expect((await list({ text: 'ana lyst' })).map((e) => e.kind)).toEqual(['source']);
  expect((await list({ text: requestId.toUpperCase() })).length).toBe(byFile.length);
  // Text that is a LIKE pattern is taken as text.
  expect((await list({ text: '50 %' })).map((e) => e.kind)).toEqual(['source']);
  expect(await list({ text: '5_ %' })).toEqual([]);

  // A source: its change and its job's entries.
  const bySource = await list({ source: 'acme-feed' });
  expect(bySource.filter((e) => e.kind === 'source').length).toBe(1);
  expect(bySource.filter((e) => e.request_id === requestId).length).toBe(byFile.length);
  expect(await list({ source: 'acme' })).toEqual([]);

  // Several kinds in one list, newest first, combined with the text.
  const kinds = await list({ kinds: ['completed', 'source'] });
  expect(new Set(kinds.map((e) => e.kind))).toEqual(new Set(['completed', 'source']));
  expect((await list({ kinds: ['completed', 'arrival'], text: 'needlefile' })).length).toBe(2);

  // Paging through a filtered list with `after`: the same entries, no gap or repeat.
  const whole = await list({ text: 'filler 2' }); // filler 2, 20–29, 200–299
  expect(whole.length).toBe(111);
  const paged: AuditEntry[] = [];
  for (let after: number | undefined; ;) {
    const page = await list({ text: 'filler 2', limit: 25, ...(after ? { after } : {}) });
    paged.push(...page);
    if (page.length < 25) break;
    after = page.at(-1)!.id;
  }
  expect(paged.map((e) => e.id)).toEqual(whole.map((e) => e.id));
});
