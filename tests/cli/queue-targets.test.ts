// Level targets and late behaviour come from the ACTIVE rule set, never from a copy:
// `gex-desk queue` shows the default rules' targets, then an edited set's once it is
// activated; a running engine announces the new targets with its queue figures at once.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { QueueStats } from '../../shared/api.ts';
import { defaultRulesText } from '../../electron/engine/rules/index.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';
import { cliStore, runCli } from './run-cli.ts';

const edited = defaultRulesText()
  .replace(
    '"LOW": { "target": "2 h", "on_late": "escalate" }',
    '"LOW": { "target": "4 h", "on_late": "flag" }',
  )
  .replace('"CRITICAL": { "target": "30 s"', '"CRITICAL": { "target": "10 s"');

const targets = (s: QueueStats) => s.levels.map((l) => [l.level, l.target_ms, l.on_late]);

let te: TestEngine | null = null;
afterAll(async () => {
  await te?.stop();
});

describe('level targets', () => {
  it(
    "gex-desk queue shows the active rules' targets, before and after an activation",
    { timeout: 60_000 },
    async () => {
      expect(edited).not.toBe(defaultRulesText());
      const { dir, args } = await cliStore();
      const home = join(dir, 'home');
      const before = await runCli(['queue', '--json', ...args], { home });
      expect(targets(before.lines[0] as QueueStats)).toEqual([
        ['CRITICAL', 30_000, 'flag'],
        ['HIGH', 300_000, 'escalate'],
        ['MEDIUM', 1_800_000, 'escalate'],
        ['LOW', 7_200_000, 'escalate'],
      ]);
      const file = join(dir, 'edited.json');
      writeFileSync(file, edited);
      expect(
        (await runCli(['rules', 'activate', file, '--author', 'ana', ...args], { home })).code,
      ).toBe(0);
      const after = await runCli(['queue', '--json', ...args], { home });
      expect(targets(after.lines[0] as QueueStats)).toEqual([
        ['CRITICAL', 10_000, 'flag'],
        ['HIGH', 300_000, 'escalate'],
        ['MEDIUM', 1_800_000, 'escalate'],
        ['LOW', 14_400_000, 'flag'],
      ]);
      const table = await runCli(['queue', ...args], { home });
      expect(table.stdout).toMatch(/CRITICAL\s+10 s\s+flag/);
      expect(table.stdout).toMatch(/LOW\s+4 h\s+flag/);
      // The summary line in words, not the JSON object.
      expect(table.stdout).toContain(
        'no engine running; jobs: 0 deciding, 0 queued, 0 running, 0 completed, 0 failed, 0 cancelled',
      );
    },
  );

  it('a running engine announces the new targets as soon as rules are activated', async () => {
    te = await startTestEngine({ workers: 1 });
    const seen: QueueStats[] = [];
    te.engine.events.on('queue:stats', (s) => seen.push(s));
    const r = await te.engine.handlers['rules:activate']({
      text: edited,
      author: 'ana',
      comment: '',
    });
    expect(r.ok).toBe(true);
    await expect.poll(() => seen.map(targets).some((t) => t[3]![1] === 14_400_000)).toBe(true);
    const stats = await te.engine.handlers['queue:stats']({});
    expect(stats.ok && targets(stats.value)[0]).toEqual(['CRITICAL', 10_000, 'flag']);
  });
});
