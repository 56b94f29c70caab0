// A running engine follows config.json's `attach` as the analyst edits it: the levels
// board, history and a snapshot read through the real engine's handlers (what the app and
// every command beside the engine call) answer over the folders the file names now, as a
// command with no engine does. Before, the engine kept the list it started with: a folder
// added was not read, a folder taken out still was, and nothing said so.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';
import { cleanupDirs, ingestTiny, workstation } from './helpers.ts';

const engines: TestEngine[] = [];
afterAll(async () => {
  for (const e of engines) await e.stop();
  cleanupDirs();
});

describe('a running engine and an edited attach', () => {
  it('reads the folders config.json names now, and says when the file cannot be read', async () => {
    const theirs = await workstation();
    const spx = await ingestTiny(theirs, 'SPX', '2024-03-15');
    await theirs.store.close();
    const other = await workstation();
    const ndx = await ingestTiny(other, 'NDX', '2024-03-14');
    await other.store.close();

    const configFile = join(theirs.dir, '..', `config-${Date.now()}.json`);
    const write = (attach: string[]) => writeFileSync(configFile, JSON.stringify({ attach }));
    write([]);
    const t = await startTestEngine({ configFile, runJobs: false });
    engines.push(t);
    const h = t.engine.handlers;
    const board = async () => {
      const r = await h['snapshots:levels']({});
      if (!r.ok) throw new Error(r.error.message);
      return r.value.rows.map((l) => [l.underlying, l.origin]);
    };
    expect(await board()).toEqual([]);

    write([theirs.dataDir]);
    expect(await board()).toEqual([['SPX', theirs.dataDir]]);
    const one = await h['snapshots:get']({ id: spx.id });
    expect(one.ok && one.value.origin).toBe(theirs.dataDir);
    const history = await h['snapshots:history']({ underlying: 'SPX' });
    expect(history.ok && history.value.rows.map((p) => p.id)).toEqual([spx.id]);

    // Another folder instead: the first is no longer read.
    write([other.dataDir]);
    expect(await board()).toEqual([['NDX', other.dataDir]]);
    const gone = await h['snapshots:get']({ id: spx.id });
    expect(gone.ok ? gone.value.origin : gone.error.code).toBe('NOT_FOUND');
    // A command's own --attach still goes beside the configured folders.
    const both = await h['snapshots:levels']({ attach: [theirs.dataDir] });
    expect(both.ok && both.value.rows.map((r) => r.id).sort()).toEqual([spx.id, ndx.id].sort());

    // Half an edit (not JSON): said, as a command without the engine says it.
    writeFileSync(configFile, '{"attach": [');
    const broken = await h['snapshots:levels']({});
    expect(broken.ok ? 'answered' : broken.error.message).toContain('is not valid JSON');
    write([]);
    expect(await board()).toEqual([]);
  });
});
