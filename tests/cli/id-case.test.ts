// An id written in capitals (Excel, Windows and .NET GUID tools write UUIDs so) or with a
// space copied around it names what it names in lower case (QA land F2, F3): the address
// check took it as an id, and the engine then looked it up as written, so that `snapshot
// D0B9D8E0-…` and `jobs cancel A772` answered NOT_FOUND for what exists. The engine looks
// every id an analyst gives up in one form (id-start.ts idKey), for the app, serve and the
// command line alike; a message still names the id as it was written.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTinyChain } from '../analytics/chains.ts';
import { cliHome, runCli } from './run-cli.ts';

describe('an id in capitals or with spaces around it', () => {
  it('names its snapshot, job and request as in lower case', async () => {
    const { dir, args } = cliHome();
    const file = join(dir, 'spx.csv');
    writeTinyChain(file, 'SPX');
    const ingest = await runCli(['ingest', file, '--json', ...args]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const line = ingest.lines[0]!;
    const snapshot = (line.snapshot as { id: string }).id;
    const job = line.job_id as string;
    const request = line.request_id as string;
    expect(snapshot).toMatch(/^[0-9a-f-]{36}$/);

    // A snapshot in full in capitals, its start in capitals, with a space either side.
    for (const given of [
      snapshot.toUpperCase(),
      snapshot.slice(0, 8).toUpperCase(),
      ` ${snapshot} `,
    ]) {
      const r = await runCli(['snapshot', given, '--json', ...args]);
      expect(r.code, `${given}: ${r.stderr}`).toBe(0);
      expect(r.lines[0]!.id).toBe(snapshot);
    }
    const diff = await runCli([
      'diff',
      snapshot.toUpperCase(),
      snapshot.slice(0, 6).toUpperCase(),
      ...args,
    ]);
    expect(diff.code, diff.stderr).toBe(0);

    // A job: found (it completed, so a cancel is refused as too late, not as unknown).
    for (const given of [job.slice(0, 4).toUpperCase(), `${job.toUpperCase()} `]) {
      const r = await runCli(['jobs', 'cancel', given, ...args]);
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr, given).not.toContain('NOT_FOUND');
      expect(r.stdout, given).toContain(`job ${job} is completed`);
    }

    // A request's trail, by its id or its job's, in capitals.
    for (const given of [
      request.toUpperCase(),
      request.slice(0, 8).toUpperCase(),
      job.toUpperCase(),
    ]) {
      const r = await runCli(['audit', '--request', given, '--json', ...args]);
      expect(r.code, `${given}: ${r.stderr}`).toBe(0);
      expect(r.lines.length, given).toBeGreaterThan(1);
      expect(r.lines.every((e) => e.request_id === request)).toBe(true);
    }

    // What names nothing is named as written.
    const none = await runCli(['jobs', 'cancel', 'FFFF0000', ...args]);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('There is no job FFFF0000.');
    const noSnapshot = await runCli(['snapshot', 'FFFF0000', ...args]);
    expect(noSnapshot.stderr).toContain('There is no snapshot FFFF0000.');
  });
});
