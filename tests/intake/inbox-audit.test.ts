// The inbox's moves to failed/ that no failed job's or rejected request's entry tells of: a
// file changed in processing/ after it was taken (its job completed, on the bytes taken) and
// a file the inbox refused at its door (no request made of it). Each was said by its note,
// the inbox dialog, the drawer and `gex-desk inbox`, but not in the audit trail, where an
// analyst looks for every decision (QA note 49). Each now has one `inbox` entry, in its
// request's trail when it has one; a failed job's file has none (its `failed` entry says it).
// The real engine watching a real folder, real files; the trail read through `audit:list`, as
// the Audit view, the drawer's timeline and `gex-desk audit` read it, and by the command too.
import { mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { engineIn } from '../desktop/engine.ts';
import { runCli } from '../cli/run-cli.ts';
import { jobsOf, statusOf, until } from './inbox-engine.ts';
import type { AuditEntry } from '../../shared/api.ts';
import type { Engine } from '../../electron/engine/engine.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.shutdown(5000);
  engine = null;
});

type ListArgs = Parameters<Engine['handlers']['audit:list']>[0];
async function trail(e: Engine, args: Partial<ListArgs>): Promise<AuditEntry[]> {
  const r = await e.handlers['audit:list']({ limit: 500, ...args } as ListArgs);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

it.skipIf(process.platform === 'win32')(
  'audits a file changed in processing/ in its request’s trail, and a file refused at the door, once each',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-audit-'));
    engine = await engineIn(dir, { watchInbox: true });
    const e = engine;
    const inbox = e.config.inbox;
    const processing = join(inbox, 'processing');
    await e.handlers['queue:pause']({});
    writeCboeCsv(join(inbox, 'kept.csv'), { seed: 51, underlying: 'SPX', spot: 4051 });
    writeCboeCsv(join(inbox, 'emptied.csv'), { seed: 52, underlying: 'SPX', spot: 4052 });
    writeFileSync(join(inbox, 'garbage.csv'), 'this is not an option chain\n');
    const outside = join(dir, 'outside.csv');
    writeCboeCsv(outside, { seed: 53, underlying: 'SPX', spot: 4053 });
    symlinkSync(outside, join(inbox, 'link.csv'));
    await until(async () => (await jobsOf(e)).length === 3, 'the three files to be taken');
    await until(async () => (await statusOf(e)).refused.count === 1, 'the link refused');
    truncateSync(join(processing, 'emptied.csv'), 0);
    await e.handlers['queue:resume']({});
    await until(
      async () => (await jobsOf(e)).every((j) => j.status === 'completed' || j.status === 'failed'),
      'the jobs to end',
    );
    await until(async () => (await statusOf(e)).counts.processing === 0, 'processing/ emptied');
    await until(
      async () => (await trail(e, { kind: 'inbox' })).length >= 2,
      'the two inbox entries',
    );

    const jobs = await jobsOf(e);
    const jobOf = (name: string) => jobs.find((j) => j.file.endsWith(`/${name}`))!;
    const emptied = jobOf('emptied.csv');
    // The job keeps how it ended: it ran on the bytes taken; the entry tells what became of its file.
    expect(emptied).toMatchObject({
      status: 'completed',
      error: null,
      file: join(inbox, 'failed', 'emptied.csv'),
    });
    expect(jobOf('garbage.csv').status).toBe('failed');

    const entries = await trail(e, { kind: 'inbox' });
    expect(entries).toHaveLength(2);
    const changed = entries.find((x) => x.job_id !== null)!;
    expect(changed).toMatchObject({
      kind: 'inbox',
      request_id: emptied.request_id,
      job_id: emptied.id,
      file: join(inbox, 'failed', 'emptied.csv'),
      underlying: 'SPX',
      actor: 'inbox',
      facts: {
        code: 'FILE_CHANGED',
        source: 'inbox',
        from: join('processing', 'emptied.csv'),
        to: join('failed', 'emptied.csv'),
        note: join('failed', 'emptied.csv.reason.txt'),
      },
    });
    expect(changed.explanation).toMatch(
      /^emptied\.csv changed in processing\/ after it was taken \(0 bytes now, \d+ when taken\): its job ran on the content taken at \d\d:\d\d:\d\d UTC, which this file no longer holds, so it is not put in done\/ as what was ingested; moved to failed\/emptied\.csv \(its note beside it\); its job stays completed$/,
    );
    const refused = entries.find((x) => x.job_id === null)!;
    expect(refused).toMatchObject({
      kind: 'inbox',
      request_id: null,
      job_id: null,
      file: join(inbox, 'failed', 'link.csv'),
      actor: 'inbox',
      facts: {
        code: 'NOT_A_FILE',
        from: 'link.csv',
        to: join('failed', 'link.csv'),
        note: join('failed', 'link.csv.reason.txt'),
      },
    });
    expect(refused.explanation).toBe(
      'refused by the inbox, no request made of it: link.csv is a symbolic link; the inbox takes only regular files (copy the file itself in); moved to failed/link.csv (its note beside it)',
    );

    // In its request's trail (the drawer's timeline, `audit --request`), once, after its completion.
    const own = await trail(e, { request_id: emptied.request_id, order: 'oldest' });
    expect(own.filter((x) => x.kind === 'inbox')).toHaveLength(1);
    expect(own.map((x) => x.kind).slice(-2)).toEqual(['completed', 'inbox']);
    // A failed job's file has its `failed` entry, no inbox entry; a file that went to done/ none.
    for (const name of ['garbage.csv', 'kept.csv']) {
      const kinds = (await trail(e, { request_id: jobOf(name).request_id })).map((x) => x.kind);
      expect(kinds).not.toContain('inbox');
    }
    // The Audit view's filter box finds it by its file's name.
    expect((await trail(e, { text: 'emptied' })).map((x) => x.kind)).toContain('inbox');

    await e.shutdown(5000);
    engine = null;
    const db = ['--db', join(dir, 'gex.duckdb'), '--data-dir', join(dir, 'data')];
    const listed = await runCli(['audit', '--kind', 'inbox', '--json', ...db]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.lines.map((l) => l.id).sort()).toEqual(entries.map((x) => x.id).sort());
    const text = await runCli(['audit', '--request', emptied.id, ...db]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/\binbox\b.*emptied\.csv changed in processing\//);
  },
  // `until`'s own deadline says what never came, before vitest's timeout.
  180_000,
);
