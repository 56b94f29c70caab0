// A source name is read one way wherever it enters (shared/api/ingest.ts, SourceName):
// trimmed and in Unicode's composed form (NFC), so that a "Zürich" typed on a Mac (u +
// U+0308) is the same source as one typed elsewhere, for `ingest --source`, a manifest's
// `source`, the API's submit, `sources set/clear` and `jobs --source` alike; and no
// request but the inbox's names the source `inbox` or one beginning `inbox/`, in any
// letter case: the inbox's own (README, G4).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calls } from '../../shared/api.ts';
import { nearSources } from '../../electron/engine/api/sources.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { engineIn, startTestEngine } from '../desktop/engine.ts';
import { createDispatcher } from '../../electron/host/handlers.ts';
import { cliHome, runCli } from './run-cli.ts';
import type { Engine } from '../../electron/engine/engine.ts';
import { reservedForInbox } from '../../shared/api/ingest.ts';

const NFC = 'Z\u00fcrich';
const NFD = 'Zu\u0308rich';

describe('source names', () => {
  it('reads a name trimmed and in NFC in every request and look-up, and keeps inbox/ for the inbox', () => {
    const submit = calls['ingest:submit'].request;
    expect(submit.parse({ file: 'a.csv', source: ` ${NFD} ` }).source).toBe(NFC);
    const refused = submit.safeParse({ file: 'a.csv', source: 'inbox/acme' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/reserved for the watched inbox/);
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

  it('keeps inbox and inbox/… for the inbox in any letter case, and no other name', () => {
    const submit = calls['ingest:submit'].request;
    for (const source of [
      'inbox',
      ' inbox ',
      'INBOX',
      'Inbox',
      'Inbox/acme',
      'INBOX/x',
      'inbox/',
    ]) {
      const refused = submit.safeParse({ file: 'a.csv', source });
      expect(refused.success, source).toBe(false);
      const message = refused.error?.issues[0]?.message ?? '';
      // What was wrong, which names are reserved, what to use instead.
      expect(message).toMatch(/"inbox" and the names beginning "inbox\/", in any letter case/);
      expect(message).toMatch(/reserved for the watched inbox/);
      expect(message).toMatch(/name the source otherwise/);
      expect(reservedForInbox(source.trim())).toBe(true);
    }
    for (const source of [
      'inboxes',
      'inbox-feed',
      'my-inbox',
      'inbox acme',
      'inbox\\acme',
      'acme/inbox',
    ])
      expect(submit.parse({ file: 'a.csv', source }).source).toBe(source);
    // A look-up may name any stored source, one an earlier version took with such a name too.
    expect(calls['jobs:list'].request.parse({ source: 'INBOX' }).source).toBe('INBOX');
    expect(calls['sources:clear'].request.parse({ id: 'Inbox/acme' }).id).toBe('Inbox/acme');
  });

  it('refuses a reserved source from every transport before anything is stored', async () => {
    const t = await startTestEngine();
    try {
      for (const transport of ['local', 'ipc', 'http'] as const) {
        const dispatch = createDispatcher(t.engine.handlers, { transport });
        const named = transport === 'http' ? { upload: 'u1' } : { file: join(t.dir, 'a.csv') };
        const r = await dispatch('ingest:submit', { ...named, source: 'Inbox' });
        expect(r.ok, transport).toBe(false);
        if (!r.ok) {
          expect(r.error.code).toBe('VALIDATION');
          expect(r.error.message).toMatch(/^ingest:submit: .*reserved for the watched inbox/);
        }
      }
      const sources = await t.engine.handlers['sources:list']({});
      expect(sources.ok && sources.value).toEqual([]);
    } finally {
      await t.stop();
    }
  }, 60_000);

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
          JSON.stringify({ file: b, source: 'Inbox' }),
        ].join('\n'),
      );
      const m = await run(['ingest', '--manifest', manifest, '--json']);
      expect(m.lines.map((l) => l.status)).toEqual(['completed', 'rejected', 'rejected']);
      expect(m.lines[1]!.error).toMatchObject({ line: 2, field: 'source' });
      expect(String((m.lines[1]!.error as { message: string }).message)).toMatch(
        /line 2: source: the sources "inbox" and the names beginning "inbox\/".*reserved for the watched inbox/,
      );
      expect(m.lines[2]!.error).toMatchObject({ line: 3, field: 'source' });
      expect(String((m.lines[2]!.error as { message: string }).message)).toMatch(
        /line 3: source: .*reserved for the watched inbox/,
      );

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

      for (const given of [' inbox/acme', 'inbox', 'INBOX', 'Inbox/acme']) {
        const inbox = await run(['ingest', a!, '--source', given]);
        expect(inbox.code, given).toBe(2);
        expect(inbox.stderr).toContain(`--source "${given.trim()}": the sources "inbox" and`);
        expect(inbox.stderr).toMatch(/in any letter case, are reserved for the watched inbox/);
      }
      expect((await run(['sources', '--json'])).lines).toHaveLength(1);
    },
  );

  it(
    'lists, shows and overrides a source an earlier version took as inbox or Inbox/acme',
    { timeout: 120_000 },
    async () => {
      const { dir, args } = cliHome();
      const home = join(dir, 'home');
      const run = (xs: string[]) => runCli([...xs, ...args], { home });
      // As an earlier engine stored them: the handler itself, which reads no name.
      const engine: Engine = await engineIn(dir);
      try {
        for (const [i, source] of ['INBOX', 'Inbox/acme'].entries()) {
          const f = join(dir, `old-${i}.csv`);
          writeCboeCsv(f, { seed: 330 + i, underlying: 'SPX', expiries: 1, strikesPerExpiry: 6 });
          const ack = await engine.handlers['ingest:submit']({ file: f, source });
          expect(ack.ok).toBe(true);
        }
        await expect
          .poll(
            async () => {
              const jobs = await engine.handlers['jobs:list']({ limit: 10 });
              return jobs.ok ? jobs.value.map((j) => j.status) : [];
            },
            { timeout: 60_000, interval: 200 },
          )
          .toEqual(['completed', 'completed']);
      } finally {
        await engine.shutdown(5000);
      }

      const listed = await run(['sources', '--json']);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.lines.map((s) => [s.id, s.completed]).sort()).toEqual([
        ['INBOX', 1],
        ['Inbox/acme', 1],
      ]);
      const jobs = await run(['jobs', '--source', 'Inbox/acme', '--json']);
      expect(jobs.lines).toHaveLength(1);
      const set = await run([
        'sources',
        'set',
        'INBOX',
        '--reliability',
        '0.25',
        '--justification',
        'a script named it so',
        '--json',
      ]);
      expect(set.code, set.stderr).toBe(0);
      expect(set.lines[0]).toMatchObject({ id: 'INBOX', reliability: 0.25 });
      const cleared = await run(['sources', 'clear', 'INBOX', '--json']);
      expect(cleared.code, cleared.stderr).toBe(0);
      const setFolder = await run([
        'sources',
        'set',
        'Inbox/acme',
        '--reliability',
        '0.5',
        '--justification',
        'x',
        '--json',
      ]);
      expect(setFolder.code, setFolder.stderr).toBe(0);
      const after = await run(['sources', '--json']);
      expect(after.lines.map((s) => [s.id, s.completed]).sort()).toEqual([
        ['INBOX', 1],
        ['Inbox/acme', 1],
      ]);
      // Nothing new may be given such a name.
      const again = await run(['ingest', join(dir, 'old-0.csv'), '--source', 'INBOX']);
      expect(again.code).toBe(2);
    },
  );
});
