// `gex-desk jobs` for a person: a job still deciding (its file waiting for the read that
// decides its level) is ranked at the rules' upper bound, no level yet. QA3 F1: the table
// printed it as a plain `CRITICAL CRITICAL`, as a decided job's; it shows `≤CRITICAL`, as
// the Queue does. Its --json line (CONTRACTS.md) keeps the stored level and rule as they
// were. The job is made deciding in the real store, as an engine stopped mid-decision
// leaves it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../electron/engine/store/db.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { cliStore, runCli } from './run-cli.ts';

describe('a deciding job in `gex-desk jobs`', () => {
  it(
    'shows its level as the upper bound (≤CRITICAL), its JSON line unchanged',
    { timeout: 60_000 },
    async () => {
      const { dir, db, args } = await cliStore();
      const home = join(dir, 'home');
      const files = ['deciding', 'decided'].map((name, i) => {
        const f = join(dir, `${name}.csv`);
        writeCboeCsv(f, { seed: 40 + i, expiries: 1, strikesPerExpiry: 4 });
        return f;
      });
      const ing = await runCli(['ingest', ...files, '--json', ...args], { home });
      expect(ing.code, ing.stderr).toBe(0);

      const opened = await Store.open(db);
      if (!opened.ok) throw new Error(opened.error.message);
      try {
        await opened.value.run(
          `UPDATE jobs SET status = 'deciding', rule = 'deciding', priority = 'CRITICAL',
           effective_priority = 'CRITICAL', decided_at = NULL, started_at = NULL,
           run_ended_at = NULL, finished_at = NULL, snapshot_id = NULL
         WHERE file LIKE '%deciding.csv'`,
        );
      } finally {
        await opened.value.close();
      }

      const table = await runCli(['jobs', ...args], { home });
      expect(table.code, table.stderr).toBe(0);
      const rows = table.stdout.split('\n');
      expect(rows.find((r) => r.includes('deciding.csv'))).toMatch(
        /\sdeciding\s+≤CRITICAL\s+≤CRITICAL\s/,
      );
      expect(rows.find((r) => r.includes('decided.csv'))).toMatch(/\scompleted\s+LOW\s+LOW\s/);

      const json = await runCli(['jobs', '--json', ...args], { home });
      const line = json.lines.find((l) => String(l.file).endsWith('deciding.csv'));
      expect(line).toMatchObject({
        status: 'deciding',
        priority: 'CRITICAL',
        effective_priority: 'CRITICAL',
        rule: 'deciding',
      });
    },
  );
});
