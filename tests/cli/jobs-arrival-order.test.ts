// `gex-desk jobs` ("newest first") and `gex-desk rules whatif --last N` ("the last N decided
// requests") among the files of one command, which share one arrival to the millisecond:
// newest first is the reverse of the order they were given in, whatever order their
// captures ended in. QA ct F1: each run listed them in a different order (their jobs'
// `seq`, the order their rows were written, breaking the tie). Here the captures are made
// to have ended in reverse (their jobs' `seq` rewritten as that race leaves it), so that an
// order by `seq` shows every time.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRulesText } from '../../electron/engine/rules/index.ts';
import { Store } from '../../electron/engine/store/db.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { cliStore, runCli } from './run-cli.ts';

describe('one command’s files, newest first', () => {
  it(
    'jobs --json lists them in reverse arrival order and rules whatif --last 2 replays the last two given',
    { timeout: 120_000 },
    async () => {
      const { dir, db, args } = await cliStore();
      const home = join(dir, 'home');
      const files = ['SPX', 'NDX', 'QQQ', 'IWM'].map((u, i) => {
        const f = join(dir, `stale-${u}.csv`);
        writeCboeCsv(f, { seed: 80 + i, underlying: u, expiries: 2, strikesPerExpiry: 8 });
        return f;
      });
      const ing = await runCli(['ingest', ...files, '--json', ...args], { home });
      expect(ing.code, ing.stderr).toBe(0);
      expect(ing.lines.map((l) => [l.status, l.priority, l.rule])).toEqual(
        files.map(() => ['completed', 'LOW', 'G2']),
      );
      const ids = ing.lines.map((l) => String(l.request_id));

      // The captures ended last file first: the last file's row was written first.
      const opened = await Store.open(db);
      if (!opened.ok) throw new Error(opened.error.message);
      const store = opened.value;
      try {
        const at = await store.all<{ n: number }>(
          'SELECT count(DISTINCT submitted_at)::DOUBLE AS n FROM requests',
        );
        expect(at[0]!.n).toBe(1); // one command: one arrival
        await store.run(
          `UPDATE jobs SET seq = 1000 - (SELECT r.arrival_order FROM requests r WHERE r.id = jobs.request_id)`,
        );
      } finally {
        await store.close();
      }

      const jobs = await runCli(['jobs', '--json', ...args], { home });
      expect(jobs.code, jobs.stderr).toBe(0);
      expect(jobs.lines.map((l) => l.request_id)).toEqual([...ids].reverse());
      expect(jobs.lines.map((l) => l.file)).toEqual([...files].reverse());

      // An edit that makes stale data MEDIUM moves every one of them: --last 2 lists the
      // two given last.
      const edited = join(dir, 'stale-medium.json');
      writeFileSync(
        edited,
        defaultRulesText().replace(
          /("freshness":\s*\{\s*"==":\s*"stale"\s*\}\s*\},\s*"level":\s*)"LOW"/,
          '$1"MEDIUM"',
        ),
      );
      const last2 = await runCli(['rules', 'whatif', edited, '--last', '2', '--json', ...args], {
        home,
      });
      expect(last2.code, last2.stderr).toBe(0);
      expect(last2.lines.map((l) => l.request_id).sort()).toEqual(ids.slice(2).sort());
    },
  );
});
