// The command line's endpoint beside a running engine, on the real engine with a real
// worker: the discovery file (the user's alone, naming the process, endpoint and token),
// the socket (0600), the browser host's protocol with the token and the `local` policy
// (paths taken, uploads refused), events over the socket, removal on close; and how a
// command judges a discovery file: live, left by a dead process, nobody listening,
// something that never answers, another protocol.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessingJob } from '../../shared/domain.ts';
import { LOCAL_PROTOCOL, TOKEN_HEADER } from '../../shared/channels.ts';
import { findEngine } from '../../electron/host/cli/find-engine.ts';
import { RemoteApi } from '../../electron/host/local/client.ts';
import {
  discoveryFile,
  endpointFor,
  writeDiscovery,
  type Discovery,
} from '../../electron/host/local/discovery.ts';
import { serveLocal, type LocalEndpoint } from '../../electron/host/local/endpoint.ts';
import { markFile, readMark, writeMark } from '../../electron/host/local/db-mark.ts';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import { startTestEngine, type TestEngine } from './engine.ts';
import { rawRequest } from './http.ts';

const unix = process.platform !== 'win32';
let te: TestEngine;
let home: string;
let local: LocalEndpoint;
let chain: string;

/** One raw call over the endpoint, with the headers given. */
function post(endpoint: string, path: string, headers: Record<string, string>, body: string) {
  return new Promise<{
    status: number;
    body: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
  }>((resolve, reject) => {
    const req = request(
      {
        socketPath: endpoint,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  te = await startTestEngine({ workers: 1 });
  home = mkdtempSync(join(tmpdir(), 'gex-home-'));
  chain = join(te.dir, 'chain.csv');
  writeFileSync(chain, cboeCsvText(makeChain({ seed: 31, expiries: 3, strikesPerExpiry: 20 })));
  local = await serveLocal(te.engine, { home, host: 'test' });
});
afterAll(async () => {
  await local.close();
  await te.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('the local endpoint', () => {
  it('writes a discovery file only the user can read, naming this process, its endpoint and token', () => {
    const file = discoveryFile(home, te.engine.config.dbPath);
    expect(local.discoveryFile).toBe(file);
    const d = JSON.parse(readFileSync(file, 'utf8')) as Discovery;
    expect(d).toMatchObject({
      protocol: LOCAL_PROTOCOL,
      pid: process.pid,
      endpoint: local.endpoint,
      token: local.token,
      host: 'test',
    });
    expect(d.db).toBe(te.engine.config.dbPath);
    if (unix) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(home, 'engines')).mode & 0o777).toBe(0o700);
      expect(statSync(local.endpoint).isSocket()).toBe(true);
      expect(statSync(local.endpoint).mode & 0o777).toBe(0o600);
      expect(Buffer.byteLength(local.endpoint)).toBeLessThanOrEqual(100);
    }
  });

  it('refuses a call without the token, or with another, as the browser host does', async () => {
    const none = await post(local.endpoint, '/api/call/engine:health', {}, '{}');
    expect(none.status).toBe(401);
    expect(none.body.error!.code).toBe('UNAUTHORIZED');
    const wrong = await post(
      local.endpoint,
      '/api/call/engine:health',
      { [TOKEN_HEADER]: 'x'.repeat(32) },
      '{}',
    );
    expect(wrong.status).toBe(401);
    const right = await post(
      local.endpoint,
      '/api/call/engine:health',
      { [TOKEN_HEADER]: local.token },
      '{}',
    );
    expect(right.body).toMatchObject({
      ok: true,
      value: { transport: 'local', db_path: te.engine.config.dbPath },
    });
  });

  it('answers a path that is no path (`//`), socket or not, and stays up', async () => {
    const upgrade =
      'GET // HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
    expect(await rawRequest(local.endpoint, upgrade)).toMatch(/^HTTP\/1\.1 404/);
    const call = await post(local.endpoint, '//', { [TOKEN_HEADER]: local.token }, '{}');
    expect(call.status).toBe(404);
    const right = await post(
      local.endpoint,
      '/api/call/engine:health',
      { [TOKEN_HEADER]: local.token },
      '{}',
    );
    expect(right.body.ok).toBe(true);
  });

  it("takes files by path, refuses uploads, and carries the job's events", async () => {
    const api = new RemoteApi(JSON.parse(readFileSync(local.discoveryFile, 'utf8')) as Discovery);
    try {
      const refused = await api.call('ingest:submit', { upload: 'some-upload-id' });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'INVALID_REQUEST', field: 'upload' },
      });
      const seen: ProcessingJob[] = [];
      api.on('job:updated', (j) => seen.push(j));
      const ack = await api.call('ingest:submit', { file: chain, source: 'local-test' });
      if (!ack.ok) throw new Error(ack.error.message);
      const id = ack.value.job_id!;
      await expect
        .poll(() => seen.some((j) => j.id === id && j.status === 'completed'), { timeout: 30_000 })
        .toBe(true);
      const detail = await api.call('jobs:get', { id });
      expect(detail).toMatchObject({
        ok: true,
        value: { job: { id, status: 'completed' }, snapshot: { underlying: 'SPX' } },
      });
    } finally {
      await api.close();
    }
  });

  it('carries an event to every listener when one of them throws, without crashing the command', async () => {
    const api = new RemoteApi(JSON.parse(readFileSync(local.discoveryFile, 'utf8')) as Discovery);
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      let after = 0;
      api.on('queue:stats', () => {
        throw new Error('a broken listener');
      });
      api.on('queue:stats', () => after++);
      // queue:pause and queue:resume each announce the queue's stats.
      await expect
        .poll(
          async () => {
            await api.call('queue:pause', {});
            await api.call('queue:resume', {});
            return after;
          },
          { timeout: 10_000 },
        )
        .toBeGreaterThan(0);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await te.engine.handlers['queue:resume']({});
      await api.close();
    }
  });

  it('is found live by a command, which gets the same answers as the engine', async () => {
    const found = await findEngine(home, te.engine.config.dbPath, 2000);
    expect(found.state).toBe('live');
    if (found.state !== 'live') return;
    try {
      const remote = await found.client.call('jobs:list', { limit: 100 });
      const direct = await te.engine.handlers['jobs:list']({ limit: 100 });
      expect(remote).toEqual(direct);
    } finally {
      await found.client.close();
    }
  });

  it('marks the database with its user folder, no token, for commands of another user folder', async () => {
    const dbPath = te.engine.config.dbPath;
    const mark = markFile(dbPath);
    expect(mark).toBe(`${dbPath}.holder.json`);
    const text = readFileSync(mark, 'utf8');
    expect(JSON.parse(text)).toEqual({ pid: process.pid, home });
    expect(text).not.toContain(local.token);
    expect(text).not.toContain(local.endpoint);
    if (unix) expect(statSync(mark).mode & 0o777).toBe(0o600);
    // A command whose own user folder is another finds the engine through it.
    const elsewhere = mkdtempSync(join(tmpdir(), 'gex-home-'));
    const found = await findEngine(elsewhere, dbPath, 2000);
    expect(found.state).toBe('live');
    if (found.state === 'live') await found.client.close();
  });

  it("tells a command waiting beside the engine when the engine's database fails", async () => {
    const other = await startTestEngine({ workers: 1 });
    const h = mkdtempSync(join(tmpdir(), 'gex-home-'));
    const ep = await serveLocal(other.engine, { home: h, host: 'test' });
    const api = new RemoteApi(JSON.parse(readFileSync(ep.discoveryFile, 'utf8')) as Discovery);
    try {
      const lost: string[] = [];
      api.onLost((e) => lost.push(`${e.code}: ${e.message}`));
      // The event socket is open once an event comes through it.
      let announced = 0;
      api.on('queue:stats', () => announced++);
      await expect
        .poll(async () => (await api.call('queue:pause', {}), announced), { timeout: 10_000 })
        .toBeGreaterThan(0);
      // DuckDB's words when a checkpoint could not write (tests/system/disk-full.test.ts).
      const fatal =
        'FATAL Error: Failed to create checkpoint because of error: Could not write file "gex.duckdb": No space left on device';
      await other.engine.store
        .transaction(async () => {
          throw new Error(fatal);
        })
        .catch(() => undefined);
      await expect.poll(() => lost.length, { timeout: 10_000 }).toBe(1);
      expect(lost[0]).toMatch(/^IO: The database .* can no longer be written: the disk holding/);
    } finally {
      await api.close();
      await ep.close();
      await other.stop();
      rmSync(h, { recursive: true, force: true });
    }
  });

  it('removes the discovery file and the socket when it closes', async () => {
    const other = await startTestEngine({ runJobs: false });
    const h = mkdtempSync(join(tmpdir(), 'gex-home-'));
    try {
      const ep = await serveLocal(other.engine, { home: h, host: 'test' });
      const mark = markFile(other.engine.config.dbPath);
      expect(existsSync(ep.discoveryFile)).toBe(true);
      expect(existsSync(mark)).toBe(true);
      await ep.close();
      expect(existsSync(ep.discoveryFile)).toBe(false);
      expect(existsSync(mark)).toBe(false);
      if (unix) expect(existsSync(ep.endpoint)).toBe(false);
    } finally {
      await other.stop();
      rmSync(h, { recursive: true, force: true });
    }
  });
});

describe('a discovery file a command finds', () => {
  const db = () => join(mkdtempSync(join(tmpdir(), 'gex-db-')), 'gex.duckdb');
  const planted = (h: string, dbPath: string, over: Partial<Discovery>): string => {
    const file = discoveryFile(h, dbPath);
    writeDiscovery(file, {
      protocol: LOCAL_PROTOCOL,
      pid: process.pid,
      db: dbPath,
      endpoint: endpointFor(h, dbPath),
      token: 't'.repeat(32),
      started_at: new Date().toISOString(),
      host: 'serve',
      ...over,
    });
    return file;
  };

  it('of a process that is gone: ignored and removed', async () => {
    const h = mkdtempSync(join(tmpdir(), 'gex-home-'));
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], {
      encoding: 'utf8',
    });
    const dbPath = db();
    const file = planted(h, dbPath, { pid: Number(dead.stdout.trim()) });
    expect(await findEngine(h, dbPath, 1000)).toEqual({ state: 'none' });
    expect(existsSync(file)).toBe(false);
  });

  it('whose endpoint nobody listens on: ignored and removed', async () => {
    const h = mkdtempSync(join(tmpdir(), 'gex-home-'));
    const dbPath = db();
    const file = planted(h, dbPath, {});
    expect(await findEngine(h, dbPath, 1000)).toEqual({ state: 'none' });
    expect(existsSync(file)).toBe(false);
  });

  it.runIf(unix)('whose endpoint accepts and never answers: silent, and kept', async () => {
    const h = mkdtempSync(join(tmpdir(), 'gex-home-'));
    const dbPath = db();
    const endpoint = join(h, 'hung.sock');
    const hung: Server = createServer(() => undefined);
    await new Promise<void>((r) => hung.listen(endpoint, r));
    try {
      const file = planted(h, dbPath, { endpoint });
      const found = await findEngine(h, dbPath, 300);
      expect(found).toMatchObject({
        state: 'silent',
        reason: expect.stringContaining('no answer within 300 ms'),
      });
      expect(existsSync(file)).toBe(true);
    } finally {
      hung.close();
    }
  });

  it('of another protocol version: not used, and kept', async () => {
    const h = mkdtempSync(join(tmpdir(), 'gex-home-'));
    const dbPath = db();
    const file = planted(h, dbPath, { protocol: LOCAL_PROTOCOL + 1 });
    expect(await findEngine(h, dbPath, 300)).toMatchObject({
      state: 'silent',
      reason: expect.stringContaining('another version'),
    });
    expect(existsSync(file)).toBe(true);
  });
});

describe('a mark beside the database a command finds', () => {
  /** A database's folder, and a user folder with its private engines/ (as discovery.ts makes it). */
  const setUp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-mark-'));
    const h = join(dir, 'home');
    mkdirSync(join(h, 'engines'), { recursive: true, mode: 0o700 });
    return { dbPath: join(dir, 'gex.duckdb'), h };
  };

  it("is trusted when it is this user's, private, and names a private folder of a live process", () => {
    const { dbPath, h } = setUp();
    writeMark(dbPath, h);
    expect(readMark(dbPath)).toEqual({ pid: process.pid, home: h });
  });

  it('of a process that is gone: not used', () => {
    const { dbPath, h } = setUp();
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], {
      encoding: 'utf8',
    });
    writeFileSync(markFile(dbPath), JSON.stringify({ pid: Number(dead.stdout.trim()), home: h }), {
      mode: 0o600,
    });
    expect(readMark(dbPath)).toBeNull();
  });

  it.runIf(unix)('open to others, a link, or naming a folder open to others: not used', () => {
    const { dbPath, h } = setUp();
    writeMark(dbPath, h);
    chmodSync(markFile(dbPath), 0o644); // anyone could have written it
    expect(readMark(dbPath)).toBeNull();

    const linked = setUp();
    const elsewhere = join(linked.h, 'elsewhere.json');
    writeFileSync(elsewhere, JSON.stringify({ pid: process.pid, home: linked.h }), { mode: 0o600 });
    symlinkSync(elsewhere, markFile(linked.dbPath));
    expect(readMark(linked.dbPath)).toBeNull();

    const open = setUp();
    writeMark(open.dbPath, open.h);
    expect(readMark(open.dbPath)).not.toBeNull();
    chmodSync(join(open.h, 'engines'), 0o777); // its discovery files could be anyone's
    expect(readMark(open.dbPath)).toBeNull();
  });

  it.runIf(unix)('is not written through a link left at its name', () => {
    const { dbPath, h } = setUp();
    const victim = join(h, 'victim.txt');
    writeFileSync(victim, 'keep');
    symlinkSync(victim, `${markFile(dbPath)}.${process.pid}.tmp`);
    writeMark(dbPath, h);
    expect(readFileSync(victim, 'utf8')).toBe('keep');
    expect(readMark(dbPath)).toEqual({ pid: process.pid, home: h });
  });
});
