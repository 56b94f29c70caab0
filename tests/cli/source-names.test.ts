// A source name is read one way wherever it enters (shared/api/ingest.ts, SourceName):
// trimmed and in Unicode's composed form (NFC), so that a "Zürich" typed on a Mac (u +
// U+0308) is the same source as one typed elsewhere, for `ingest --source`, a manifest's
// `source`, the API's submit, `sources set/clear` and `jobs --source` alike; and no
// request but the inbox's names a source `inbox/…`, the inbox folders' own (README).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calls } from '../../shared/api.ts';
import { nearSources } from '../../electron/engine/api/sources.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { startTestEngine } from '../desktop/engine.ts';
import { createDispatcher } from '../../electron/host/handlers.ts';
import { cliHome, runCli } from './run-cli.ts';

const NFC = 'Z\u00fcrich';
const NFD = 'Zu\u0308rich';

describe('source names', () => {
  it('reads a name trimmed and in NFC in every request and look-up, and keeps inbox/ for the inbox', () => {
    const submit = calls['ingest:submit'].request;
    expect(submit.parse({ file: 'a.csv', source: ` ${NFD} ` }).source).toBe(NFC);
    const refused = submit.safeParse({ file: 'a.csv', source: 'inbox/acme' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/reserved for the inbox's folders/);
    // A look-up may name an inbox folder's source: its jobs, its override.
    expect(calls['jobs:list'].request.parse({ source: ` inbox/${NFD}` }).source).toBe(
      `inbox/${NFC}`,
    );
    expect(
      calls['sources:set'].request.parse({ id: `${NFD} `, reliability: 0.5, justification: 'x' })
        .id,
    ).toBe(NFC);
    expect(calls['sources:clear'].request.parse({ id: `inbox/${NFD}` }).id).toBe(`inbox/${NFC}`);
  });

  it('hints at a source only when it is another name, preferring one read alike', () => {
    // Two vendors apart but for case: a hint names both, never the first found.
    expect(nearSources('Acme', ['acme', 'ACME', 'other'])).toEqual(['acme', 'ACME']);
    // A record written before names were read in NFC is the one meant, not a case variant.
    expect(nearSources(NFC, [NFD, 'zürich'.normalize('NFC')])).toEqual([NFD]);
    expect(nearSources('none', ['acme'])).toEqual([]);
  });

  it('sets the override of a record written before names were read in NFC, named as typed now', async () => {
    const t = await startTestEngine();
    try {
      const chain = join(t.dir, 'old.csv');
      writeCboeCsv(chain, { seed: 320, underlying: 'SPX', expiries: 1, strikesPerExpiry: 6 });
      // As an older engine stored it: the handler itself, which reads no name.
      const ack = await t.engine.handlers['ingest:submit']({ file: chain, source: NFD });
      expect(ack.ok).toBe(true);
      const dispatch = createDispatcher(t.engine.handlers, { transport: 'local' });
      const set = await dispatch('sources:set', { id: NFC, reliability: 0.4, justification: 'x' });
      expect(set.ok && set.value).toMatchObject({ id: NFD, reliability: 0.4 });
    } finally {
      await t.stop();
    }
  }, 60_000);

  it(
    'makes one source of a name however it was typed, in ingest, jobs and sources set',
    { timeout: 120_000 },
    async () => {
      const { dir, args } = cliHome();
      const home = join(dir, 'home');
      const run = (xs: string[]) => runCli([...xs, ...args], { home });
      const [a, b, c] = [1, 2, 3].map((i) => {
        const f = join(dir, `chain-${i}.csv`);
        writeCboeCsv(f, { seed: 300 + i, underlying: 'SPX', expiries: 1, strikesPerExpiry: 6 });
        return f;
      });
      expect((await run(['ingest', a!, '--source', NFC, '--json'])).code).toBe(0);
      expect((await run(['ingest', b!, '--source', ` ${NFD} `, '--json'])).code).toBe(0);
      const manifest = join(dir, 'arrivals.jsonl');
      writeFileSync(
        manifest,
        [
          JSON.stringify({ file: c, source: NFD }),
          JSON.stringify({ file: a, source: 'inbox/acme' }),
        ].join('\n'),
      );
      const m = await run(['ingest', '--manifest', manifest, '--json']);
      expect(m.lines.map((l) => l.status)).toEqual(['completed', 'rejected']);
      expect(JSON.stringify(m.lines[1]!.error)).toMatch(/reserved for the inbox's folders/);

      const sources = await run(['sources', '--json']);
      expect(sources.lines.map((s) => [s.id, s.completed])).toEqual([[NFC, 3]]);
      const jobs = await run(['jobs', '--source', `${NFD} `, '--json']);
      expect(jobs.lines).toHaveLength(3);

      const set = await run([
        'sources',
        'set',
        ` ${NFD}`,
        '--reliability',
        '0.5',
        '--justification',
        'mac copy',
        '--json',
      ]);
      expect(set.code, set.stderr).toBe(0);
      expect(set.lines[0]).toMatchObject({ id: NFC, reliability: 0.5 });

      const blank = await run([
        'sources',
        'set',
        ' ',
        '--reliability',
        '0.5',
        '--justification',
        'x',
      ]);
      expect(blank.code).toBe(2);
      expect(blank.stderr).toMatch(/sources set ID needs a name that is not blank/);
      expect(blank.stderr).not.toMatch(/Too small/);

      const inbox = await run(['ingest', a!, '--source', ' inbox/acme']);
      expect(inbox.code).toBe(2);
      expect(inbox.stderr).toMatch(
        /--source "inbox\/acme": a source beginning with "inbox\/" is reserved/,
      );
      expect((await run(['sources', '--json'])).lines).toHaveLength(1);
    },
  );
});
