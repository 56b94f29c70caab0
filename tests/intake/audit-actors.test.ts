// Who each intake entry is put down to (QA qv F6): a request's arrival is by whoever sent
// it, a level the rules gave (G2–G4) by no analyst — the rules — and a level set by hand
// (G1) by the analyst who set it; so a search for an analyst finds what she sent and
// set, not the rules' decisions. Decided at arrival (submit.ts) and after the facts read
// (decide.ts) alike. The real engine on a temporary database, with its real workers.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../electron/engine/store/audit.ts';
import { writeCboeCsv, writeLongCsv } from '../fixtures/option-chains.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';

let running: TestEngine | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

describe('audit attribution at intake', () => {
  it('puts an arrival down to its sender, a rule decision to no analyst, an override to the analyst', async () => {
    running = await startTestEngine({ workers: 1 });
    const { engine } = running;
    const dir = mkdtempSync(join(tmpdir(), 'gex-actors-'));
    // Data of 2024: stale, decided at its arrival.
    const stale = join(dir, 'stale.csv');
    writeCboeCsv(stale, { seed: 3, underlying: 'SPX', spot: 4700, expiries: 2 });
    // Data of now: its level waits for its facts read.
    const fresh = join(dir, 'fresh.csv');
    writeLongCsv(fresh, {
      seed: 4,
      underlying: 'NDX',
      spot: 16000,
      expiries: 2,
      asOf: new Date().toISOString().slice(0, 19),
      offset: '+00:00',
    });
    const manual = join(dir, 'manual.csv');
    writeCboeCsv(manual, { seed: 5, underlying: 'QQQ', spot: 400, expiries: 2 });
    const submit = async (file: string, extra: Record<string, unknown>) => {
      const r = await engine.handlers['ingest:submit']({ file, source: 'desk', ...extra });
      if (!r.ok) throw new Error(r.error.message);
      return r.value.request_id;
    };
    const a = await submit(stale, { author: 'alice' });
    const b = await submit(fresh, { author: 'alice' });
    const c = await submit(manual, {
      author: 'ana',
      requested_priority: 'HIGH',
      justification: 'FOMC',
    });
    await engine.drain();
    const by = async (request_id: string) =>
      (await listAudit(engine.store, { request_id, limit: 50 }))
        .reverse()
        .filter((e) => ['arrival', 'decision', 'override'].includes(e.kind))
        .map((e) => [e.kind, e.actor]);
    expect(await by(a)).toEqual([
      ['arrival', 'alice'],
      ['decision', null],
    ]);
    const freshTrail = await listAudit(engine.store, { request_id: b, limit: 50 });
    // Decided after its facts read (decide.ts), not at its arrival.
    expect(freshTrail.find((e) => e.kind === 'arrival')!.explanation).toMatch(
      /waiting for its facts read/,
    );
    expect(await by(b)).toEqual([
      ['arrival', 'alice'],
      ['decision', null],
    ]);
    expect(await by(c)).toEqual([
      ['arrival', 'ana'],
      ['override', 'ana'],
    ]);
    // A search for the analyst (the Audit view's box, `gex-desk audit --text`): what she
    // sent, none of the rules' decisions.
    const found = await engine.handlers['audit:list']({
      text: 'alice',
      limit: 100,
      order: 'newest',
    });
    if (!found.ok) throw new Error(found.error.message);
    expect(found.value.map((e) => [e.kind, e.request_id]).sort()).toEqual(
      [
        ['arrival', a],
        ['arrival', b],
      ].sort(),
    );
  });
});
