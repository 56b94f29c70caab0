// Issue 8: "Analysts move or delete what they dropped." A burst of 300 files goes through
// the real `gex-desk ingest --manifest --json`; once the command's log shows 30 requests
// acknowledged (observed, not timed), the whole folder is moved away. Every acknowledged
// request must still complete — none may fail with FILE_NOT_FOUND, since its bytes were
// staged at the door — with the snapshot its content gives (totals computed here from the
// contracts written), and nothing may be left in staging. Requests that arrive after the
// move are refused at the door (never acknowledged), which is right.
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  writeCboeCsv,
  writeCboeJson,
  writeLongCsv,
  type FixtureChain,
} from '../fixtures/option-chains.ts';
import { totalsOf, type Totals } from './bursts/chains.ts';
import { newHome, readOutcome, startCommand, cleanUp } from './bursts/command.ts';

const FILES = 300;
const PER_WAVE = 25;
const WAVE_GAP_MS = 500;
const MOVE_AFTER_ACKS = 30;
const TICKERS = ['SPX', 'NDX', 'AAPL', 'MSFT', 'TSLA', 'QQQ', 'IWM', 'META'];

describe('files moved away after their requests were acknowledged', () => {
  it(
    'loses nothing acknowledged: every such request completes with the right snapshot',
    { timeout: 900_000 },
    async () => {
      const home = newHome('gex-move-');
      onTestFinished(cleanUp(home));
      const dir = join(home.dir, 'dropped');
      mkdirSync(dir);
      const expected = new Map<string, { chain: FixtureChain; totals: Totals }>();
      const lines: string[] = [];
      for (let i = 0; i < FILES; i++) {
        const kind = i % 3;
        const file = join(dir, `chain-${i}.${kind === 1 ? 'json' : 'csv'}`);
        const opts = {
          seed: 3000 + i,
          underlying: TICKERS[i % TICKERS.length]!,
          spot: 500 + (i % 50) * 20,
          asOf: `2024-02-${String(1 + (i % 27)).padStart(2, '0')}T${String(10 + (i % 6)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`,
          expiries: 4 + (i % 5),
          strikesPerExpiry: 20 + (i % 30),
        };
        const chain =
          kind === 0
            ? writeCboeCsv(file, opts)
            : kind === 1
              ? writeCboeJson(file, opts)
              : writeLongCsv(file, opts);
        expected.set(file, { chain, totals: totalsOf(chain) });
        lines.push(
          JSON.stringify({ file, source: 'desk', at_ms: Math.floor(i / PER_WAVE) * WAVE_GAP_MS }),
        );
      }
      const manifest = join(home.dir, 'arrivals.jsonl');
      writeFileSync(manifest, lines.join('\n') + '\n');

      const run = startCommand(home, ['ingest', '--manifest', manifest, '--json']);
      const acks = () => run.log.of(run.child.pid, 'request.accepted').length;
      const gone = run.exited.then(() => 'exited' as const);
      const moved = await Promise.race([
        run.log.until(() => acks() >= MOVE_AFTER_ACKS).then(() => 'acks' as const),
        gone,
      ]);
      expect(moved, `the command ended before ${MOVE_AFTER_ACKS} requests were acknowledged`).toBe(
        'acks',
      );
      const movedAtMs = Date.now();
      renameSync(dir, join(home.dir, 'moved-away'));
      const ackedBeforeMove = new Set(
        run.log.of(run.child.pid, 'request.accepted').map((e) => e.job_id as string),
      );
      const exit = await run.exited;
      expect(exit.stderr).toBe('');
      expect(existsSync(dir)).toBe(false);

      const acked = new Set(
        run.log.of(run.child.pid, 'request.accepted').map((e) => e.job_id as string),
      );
      expect(exit.lines).toHaveLength(FILES);
      const ackedLines = exit.lines.filter((l) => l.job_id && acked.has(l.job_id));
      expect(ackedLines.length).toBeGreaterThanOrEqual(MOVE_AFTER_ACKS);
      // Acknowledged requests: all completed, none lost to the move.
      expect(
        ackedLines
          .filter((l) => l.status !== 'completed')
          .map((l) => `${l.file}: ${l.status} ${l.error?.code ?? ''}`),
      ).toEqual([]);
      // The others were refused at the door (their file was gone), never acknowledged.
      for (const l of exit.lines.filter((x) => !x.job_id || !acked.has(x.job_id)))
        expect(l.status).toBe('failed');

      // The move came before some acknowledged jobs had run: they ran on their staged bytes.
      const outcome = await readOutcome(home);
      const ranAfterMove = outcome.jobs.filter(
        (j) => ackedBeforeMove.has(j.id) && Date.parse(j.started_at ?? '') > movedAtMs,
      );
      expect(ranAfterMove.length).toBeGreaterThanOrEqual(1);

      for (const l of ackedLines) {
        const want = expected.get(l.file)!;
        const s = l.snapshot as Record<string, number | string>;
        expect(s.underlying, l.file).toBe(want.chain.underlying);
        expect(s.contracts, l.file).toBe(want.totals.contracts);
        expect(s.total_open_interest, l.file).toBe(want.totals.openInterest);
        expect(s.total_volume, l.file).toBe(want.totals.volume);
        expect(Math.abs((s.total_gex as number) - want.totals.gex), l.file).toBeLessThanOrEqual(
          Math.max(1, Math.abs(want.totals.gex) * 1e-9),
        );
      }
      // Nothing left in staging once every acknowledged job has ended.
      expect(readdirSync(home.staging)).toEqual([]);
    },
  );
});
