// Level targets and late behaviour come from the ACTIVE rule set, never from a copy:
// `gex-desk queue` shows the default rules' targets, then an edited set's once it is
// activated; a running engine announces the new targets with its queue figures at once.
// How many jobs of a level ended late in the latency window (`late_in_window`, the
// table's "ended late") counts against the active target too (QA qv F9).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { QueueStats } from '../../shared/api.ts';
import { defaultRulesText } from '../../electron/engine/rules/index.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { cliHome, cliStore, runCli } from './run-cli.ts';

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

  it(
    'gex-desk queue counts the jobs that ended past their level’s target in the window',
    { timeout: 90_000 },
    async () => {
      const { dir, args } = cliHome();
      const home = join(dir, 'home');
      // CRITICAL's target 1 ms: a CRITICAL ingest (hashing, its facts read, its run) ends past it.
      const file = join(dir, 'tight.json');
      writeFileSync(
        file,
        defaultRulesText().replace(
          '"CRITICAL": { "target": "30 s"',
          '"CRITICAL": { "target": "1 ms"',
        ),
      );
      expect(
        (await runCli(['rules', 'activate', file, '--author', 'ana', ...args], { home })).code,
      ).toBe(0);
      const chain = join(dir, 'fomc.csv');
      writeCboeCsv(chain, { seed: 7, expiries: 1, strikesPerExpiry: 4 });
      const ingest = await runCli(
        ['ingest', chain, '--priority', 'CRITICAL', '--justification', 'FOMC', ...args],
        { home },
      );
      expect(ingest.code, ingest.stderr).toBe(0);
      const stats = (await runCli(['queue', '--json', ...args], { home })).lines[0] as QueueStats;
      const ended = stats.levels.map((l) => [
        l.level,
        l.late,
        l.completed_in_window,
        l.late_in_window,
      ]);
      expect(ended).toEqual([
        ['CRITICAL', 0, 1, 1],
        ['HIGH', 0, 0, 0],
        ['MEDIUM', 0, 0, 0],
        ['LOW', 0, 0, 0],
      ]);
      const table = await runCli(['queue', ...args], { home });
      expect(table.stdout).toMatch(/ended late/);
      expect(table.stdout).toMatch(/CRITICAL\s+1 ms\s+flag.*\s1 of 1\s*$/m);
      expect(table.stdout).toMatch(/HIGH\s.*\s0 of 0\s*$/m);
    },
  );
});
