// A file dropped in a sub-folder of the watched inbox is sent by the source that folder
// names (`inbox/acme/x.csv` → `acme`); one dropped straight in, by `inbox`. Before, every
// inbox file had the source `inbox`, so one vendor's bad files demoted every vendor's
// (G4). The real engine watching a real folder, real files.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { engineIn } from '../desktop/engine.ts';
import type { Engine } from '../../electron/engine/engine.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.shutdown(5000);
  engine = null;
});

it('takes the source of an inbox file from its sub-folder, else inbox', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-sources-'));
  engine = await engineIn(dir, { watchInbox: true });
  const inbox = engine.config.inbox;
  mkdirSync(join(inbox, 'acme', '2024'), { recursive: true });
  mkdirSync(join(inbox, 'globex'), { recursive: true });
  writeFileSync(join(inbox, 'acme', 'empty.csv'), '');
  writeCboeCsv(join(inbox, 'acme', '2024', 'a.csv'), { seed: 1, underlying: 'AAA', spot: 100 });
  writeCboeCsv(join(inbox, 'globex', 'g.csv'), { seed: 2, underlying: 'GGG', spot: 50 });
  writeCboeCsv(join(inbox, 'top.csv'), { seed: 3, underlying: 'TTT', spot: 70 });
  // Waits on what the engine reports: every file's job ended.
  let sources: { id: string; completed: number; failed: number }[];
  for (;;) {
    const listed = await engine.handlers['sources:list']({});
    if (!listed.ok) throw new Error(listed.error.message);
    sources = listed.value.map((s) => ({ id: s.id, completed: s.completed, failed: s.failed }));
    if (sources.reduce((n, s) => n + s.completed + s.failed, 0) >= 4) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(sources).toEqual([
    { id: 'acme', completed: 1, failed: 1 },
    { id: 'globex', completed: 1, failed: 0 },
    { id: 'inbox', completed: 1, failed: 0 },
  ]);
}, 120_000);
