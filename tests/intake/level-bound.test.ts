// Before a file is captured, the rules bound its level from its two ends: the real
// default rules on a real store, real files. A stale file is LOW at once (it holds nothing
// back and is captured after the rest); a real-time file of a new underlying could still
// be CRITICAL (its open interest is unread); a file the ends cannot read stays CRITICAL.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IntakeMemory } from '../../electron/engine/intake/memory.ts';
import { levelBound } from '../../electron/engine/intake/level-bound.ts';
import { writeLongCsv } from '../fixtures/option-chains.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';

let running: TestEngine | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

describe('the level bound at the door', () => {
  it('is the decided level, the rules’ upper bound, or CRITICAL when nothing can be read', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const rules = engine.rules.active;
    const deps = {
      memory: await IntakeMemory.load(engine.store),
      conventions: engine.config.conventions,
      limits: engine.config.limits,
    };
    const dir = mkdtempSync(join(tmpdir(), 'gex-bound-'));
    const now = Date.now();
    const stale = join(dir, 'stale.csv');
    writeLongCsv(stale, {
      seed: 1,
      underlying: 'AAPL',
      spot: 190,
      expiries: 3,
      strikesPerExpiry: 10,
      asOf: '2024-01-05T15:00:00',
      offset: '+00:00',
    });
    const live = join(dir, 'live.csv');
    const liveAsOf = new Date(now).toISOString().slice(0, 19);
    writeLongCsv(live, {
      seed: 2,
      underlying: 'NVDA',
      spot: 480,
      expiries: 3,
      strikesPerExpiry: 10,
      asOf: liveAsOf,
      offset: '+00:00',
    });
    const garbage = join(dir, 'garbage.csv');
    writeFileSync(garbage, Buffer.from([0, 1, 2, 3, 0, 0, 9]));

    const bound = (file: string) =>
      levelBound(deps, {
        request: { file, source: 'vendor' },
        arrivedMs: now,
        rules,
        source_reliability: 1,
      });
    expect(await bound(stale)).toBe('LOW');
    expect(await bound(live)).toBe('CRITICAL');
    expect(await bound(join(dir, 'missing.csv'))).toBe('CRITICAL');
    expect(await bound(garbage)).toBe('CRITICAL');
    // A read that does not answer in time knows nothing either. A stalled share, for real:
    // every I/O thread is held by an open of a named pipe that has no writer yet, so the
    // peek's own stat cannot even start before its bound.
    const pipes = Array.from({ length: Number(process.env.UV_THREADPOOL_SIZE ?? 4) }, (_, i) => {
      const fifo = join(dir, `stalled-${i}`);
      execFileSync('mkfifo', [fifo]);
      return fifo;
    });
    const held = pipes.map((fifo) => open(fifo, 'r'));
    try {
      expect(
        await levelBound(
          deps,
          {
            request: { file: stale, source: 'vendor' },
            arrivedMs: now,
            rules,
            source_reliability: 1,
          },
          50,
        ),
      ).toBe('CRITICAL');
    } finally {
      // A writer lets each held open return.
      for (const fifo of pipes) closeSync(openSync(fifo, 'w'));
      for (const h of held) await (await h).close();
    }
    // Given its time, the same read answers.
    expect(
      await levelBound(
        deps,
        {
          request: { file: stale, source: 'vendor' },
          arrivedMs: now,
          rules,
          source_reliability: 1,
        },
        2000,
      ),
    ).toBe('LOW');
  });
});
