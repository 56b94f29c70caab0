// The per-user folders where running engines announce themselves (QA sec F6): an inbox set
// to `engines/` took the engine's own discovery file (its token inside) as a file dropped
// in, moved it to failed/ (every command beside the engine then found none: DB_LOCKED) and
// copied the token into the staged files. `engines/` and `run/` (the sockets), and any folder
// holding them or lying in them, are now refused as the database's and data folders are:
// by inbox:set, and a configured one is not watched. The real engine, real folders.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { engineIn } from '../desktop/engine.ts';
import { statusOf } from './inbox-engine.ts';
import type { Engine } from '../../electron/engine/engine.ts';

let engine: Engine | null = null;
let home = '';
const before = process.env.GEX_DESK_HOME;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'gex-home-'));
  process.env.GEX_DESK_HOME = home;
});
afterEach(async () => {
  await engine?.shutdown(5000);
  engine = null;
  if (before === undefined) delete process.env.GEX_DESK_HOME;
  else process.env.GEX_DESK_HOME = before;
});

const DISCOVERY = "folder of discovery files (the running engines' tokens)";
const SOCKETS = 'folder of local endpoints (sockets)';

it('inbox:set refuses engines/ and run/ of the per-user folder, what holds them and what lies in them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-own-'));
  engine = await engineIn(dir, { watchInbox: true });
  const e = engine;
  const was = (await statusOf(e)).dir;
  const engines = join(home, 'engines');
  const run = join(home, 'run');
  for (const [inbox, why] of [
    [engines, `it holds GEX Desk's own ${DISCOVERY}, ${engines}`],
    [join(engines, 'x'), `it lies in GEX Desk's own ${DISCOVERY}, ${engines}`],
    [run, `it holds GEX Desk's own ${SOCKETS}, ${run}`],
    [join(run, 'x'), `it lies in GEX Desk's own ${SOCKETS}, ${run}`],
    [home, `it holds GEX Desk's own ${DISCOVERY}, ${engines}`],
  ] as const) {
    const r = await e.handlers['inbox:set']({ dir: inbox, take_existing: true });
    expect(r.ok ? null : r.error).toEqual({
      code: 'VALIDATION',
      field: 'dir',
      file: inbox,
      message: `${inbox} cannot be the inbox: ${why}, whose files it would take as files dropped in. Choose a folder of its own.`,
    });
  }
  expect((await statusOf(e)).dir).toBe(was);
  expect(existsSync(join(engines, 'x', 'failed'))).toBe(false);
});

it('does not watch a configured inbox in engines/: the discovery files stay where they are', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-own-'));
  const engines = join(home, 'engines');
  mkdirSync(engines, { recursive: true });
  // As a running engine leaves it (discovery.ts): its endpoint and token.
  writeFileSync(join(engines, 'abc.json'), '{"protocol": 1, "token": "secret"}\n');
  engine = await engineIn(dir, { watchInbox: true, inbox: engines });
  const s = await statusOf(engine);
  expect(s.problem).toBe(
    `${engines} cannot be the inbox: it holds GEX Desk's own ${DISCOVERY}, ${engines}, whose files it would take as files dropped in. Choose a folder of its own. Nothing is taken from it until another folder is chosen.`,
  );
  expect(s.takes).toBe(false);
  expect(s.watching).toBe(false);
  // No folders of an inbox made in it, nothing taken.
  expect(readdirSync(engines)).toEqual(['abc.json']);
});
