// The browser host's upload folder, on real files: swept at start (a link in its place
// replaced, its target untouched), bounded (one upload's size, the folder's bytes and
// files, uploads in flight: 413 FILE_TOO_LARGE or 429 QUOTA_EXCEEDED, nothing kept of a
// refused upload), an upload never submitted deleted after a while, and an id resolved
// only to a plain file inside the folder.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessingJob } from '../../shared/domain.ts';
import { err, ok } from '../../shared/result.ts';
import { serve, uploadLimit, TOKEN_HEADER, type ServeHandle } from '../../electron/host/serve.ts';
import { safeFileName, UploadFolder, type UploadLimits } from '../../electron/host/http/uploads.ts';
import { startTestEngine, type TestEngine } from './engine.ts';
import { json, rawRequest, send } from './http.ts';

let te: TestEngine;
let rendererDir: string;
const hosts: ServeHandle[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'gex-uploads-'));
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000, interval: 25 });

async function host(uploadDir: string, limits: Partial<UploadLimits> = {}): Promise<ServeHandle> {
  const h = await serve(te.engine, { rendererDir, uploadDir, uploadLimits: limits });
  hosts.push(h);
  return h;
}
/** An upload sent in chunks with no Content-Length, written by the test as it likes. */
function streamUpload(h: ServeHandle, name: string) {
  let req!: ClientRequest;
  const status = new Promise<number>((resolve, reject) => {
    const headers = { [TOKEN_HEADER]: h.token, origin: h.origin };
    req = request(
      {
        host: '127.0.0.1',
        port: h.port,
        method: 'POST',
        path: `/api/upload?name=${name}`,
        headers,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
  });
  return { req, status };
}
const up = (h: ServeHandle, name: string, body: string | Buffer) =>
  send(
    h.port,
    'POST',
    `/api/upload?name=${encodeURIComponent(name)}`,
    { [TOKEN_HEADER]: h.token, origin: h.origin },
    body,
  );

beforeAll(async () => {
  te = await startTestEngine({ runJobs: false });
  rendererDir = join(te.dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<title>GEX Desk</title>');
});
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});
afterAll(async () => {
  await te?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('at start', () => {
  it('sweeps what an earlier run left in the folder', async () => {
    const dir = join(scratch, 'left');
    mkdirSync(join(dir, 'a3c1/nested'), { recursive: true });
    writeFileSync(join(dir, 'a3c1/nested/old.csv'), 'x');
    writeFileSync(join(dir, 'stray.csv'), 'y');
    const h = await host(dir);
    expect(readdirSync(dir)).toEqual([]);
    expect(h.uploads.usage).toEqual({ bytes: 0, count: 0, inFlight: 0 });
  });

  it('replaces a link in the folder’s place, leaving its target alone', async () => {
    const target = join(scratch, 'elsewhere');
    mkdirSync(target);
    writeFileSync(join(target, 'precious.txt'), 'keep me');
    const dir = join(scratch, 'linked');
    symlinkSync(target, dir);
    const h = await host(dir);
    expect(readFileSync(join(target, 'precious.txt'), 'utf8')).toBe('keep me');
    const receipt = json<{ path: string }>(await up(h, 'a.csv', 'a,b\n'));
    expect(receipt.value!.path.startsWith(dir)).toBe(true);
    expect(readdirSync(target)).toEqual(['precious.txt']);
  });
});

describe('limits', () => {
  it('refuses an upload above the size limit (413 FILE_TOO_LARGE) and keeps nothing, with or without a length', async () => {
    const dir = join(scratch, 'size');
    const h = await host(dir, { maxBytes: 100 });
    const declared = await up(h, 'big.csv', Buffer.alloc(101, 65));
    expect(declared.status).toBe(413);
    expect(json(declared).error).toMatchObject({ code: 'FILE_TOO_LARGE', file: 'big.csv' });
    const chunked = streamUpload(h, 'chunked.csv');
    for (let i = 0; i < 5; i++) chunked.req.write(Buffer.alloc(40, 66));
    chunked.req.end();
    expect(await chunked.status).toBe(413);
    await poll(() => readdirSync(dir).length).toBe(0);
    expect(h.uploads.usage.bytes).toBe(0);
    expect((await up(h, 'fits.csv', Buffer.alloc(100, 67))).status).toBe(200);
  });

  it('holds uploads to the largest file the engine reads, refused by its length before its body, with the analyst’s file name', async () => {
    const dir = mkdtempSync(join(scratch, 'engine-limit-'));
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ limits: { maxFileBytes: 1000 } }));
    const small = await startTestEngine({ runJobs: false, configFile });
    try {
      const h = await serve(small.engine, {
        rendererDir,
        uploadDir: join(dir, 'uploads'),
        maxUploadBytes: 512 * 1024 * 1024,
      });
      hosts.push(h);
      expect(h.uploads.limits.maxBytes).toBe(1000);
      // The setting that binds is the one a refusal names: here the engine's, else the host's.
      expect(uploadLimit(small.engine, { maxUploadBytes: 500 })).toEqual({
        maxBytes: 500,
        maxBytesSetting: 'maxUploadBytes',
      });
      // Only the headers: the answer comes without the body, and the connection closes.
      const answer = await rawRequest(
        h.port,
        `POST /api/upload?name=${encodeURIComponent('IWM export, v2.csv')} HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\n` +
          `Origin: ${h.origin}\r\n${TOKEN_HEADER}: ${h.token}\r\nContent-Length: 2000\r\n\r\n`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 413 /);
      const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as {
        error: { code: string; message: string; file: string };
      };
      expect(body.error).toEqual({
        code: 'FILE_TOO_LARGE',
        message:
          'IWM export, v2.csv: 2.0 KiB is more than the 1000 B upload limit (setting limits.maxFileBytes).',
        file: 'IWM export, v2.csv',
      });
      expect(h.uploads.usage).toEqual({ bytes: 0, count: 0, inFlight: 0 });
      expect((await up(h, 'fits.csv', Buffer.alloc(1000, 67))).status).toBe(200);
    } finally {
      await small.stop();
    }
  });

  it('says sizes in binary units, labelled as such (MiB, not MB)', async () => {
    const folder = await UploadFolder.open(join(scratch, 'units'), { maxBytes: 20_000_000 });
    const refused = await folder.receive('big.csv', 146_302_901, Readable.from([]));
    expect(refused).toEqual(
      err('FILE_TOO_LARGE', 'big.csv: 139.5 MiB is more than the 19.1 MiB upload limit.', {
        file: 'big.csv',
      }),
    );
    const small = await UploadFolder.open(join(scratch, 'units-small'), { maxBytes: 100 });
    const streamed = await small.receive('b.csv', undefined, Readable.from([Buffer.alloc(101)]));
    expect(streamed.ok ? null : streamed.error.message).toBe(
      'b.csv: more than the 100 B upload limit.',
    );
  });

  it('keeps the folder within its byte quota (413) and its file quota (429 QUOTA_EXCEEDED)', async () => {
    const h = await host(join(scratch, 'quota'), { maxBytes: 100, quotaBytes: 150, quotaCount: 2 });
    expect((await up(h, 'a.csv', Buffer.alloc(100, 65))).status).toBe(200);
    const over = await up(h, 'b.csv', Buffer.alloc(80, 66));
    expect(over.status).toBe(413);
    expect(json(over).error!.code).toBe('FILE_TOO_LARGE');
    expect(json(over).error!.message).toContain('quota');
    expect((await up(h, 'c.csv', Buffer.alloc(40, 67))).status).toBe(200);
    const third = await up(h, 'd.csv', 'x');
    expect(third.status).toBe(429);
    expect(json(third).error!.code).toBe('QUOTA_EXCEEDED');
    expect(h.uploads.usage).toEqual({ bytes: 140, count: 2, inFlight: 0 });
  });

  it('limits uploads in flight (429), and takes the next once one has finished', async () => {
    const h = await host(join(scratch, 'flight'), { maxInFlight: 1 });
    const slow = streamUpload(h, 'slow.csv');
    slow.req.write('first part,');
    await poll(() => h.uploads.usage.inFlight).toBe(1);
    const refused = await up(h, 'fast.csv', 'x');
    expect(refused.status).toBe(429);
    expect(json(refused).error!.code).toBe('QUOTA_EXCEEDED');
    slow.req.end('second part\n');
    expect(await slow.status).toBe(200);
    expect((await up(h, 'fast.csv', 'x')).status).toBe(200);
  });
});

describe('lifetime', () => {
  it('deletes an upload that is never submitted after a while; its id is then unknown', async () => {
    const h = await host(join(scratch, 'ttl'), { unsubmittedMs: 150 });
    const receipt = json<{ upload: string; path: string }>(await up(h, 'forgotten.csv', 'a,b\n'));
    expect(existsSync(receipt.value!.path)).toBe(true);
    await poll(() => existsSync(dirname(receipt.value!.path))).toBe(false);
    expect(h.uploads.usage.count).toBe(0);
    expect(await h.uploads.take(receipt.value!.upload)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('deletes an upload whose job ended before its acknowledgement arrived', async () => {
    const folder = await UploadFolder.open(join(scratch, 'race'));
    const receipt = await folder.receive('r.csv', undefined, Readable.from([Buffer.from('a,b\n')]));
    const id = receipt.ok ? receipt.value.upload : '';
    expect((await folder.take(id)).ok).toBe(true);
    folder.onJobUpdated({ id: 'job-1', status: 'completed' } as ProcessingJob);
    folder.submitted(
      id,
      ok({
        request_id: 'r',
        job_id: 'job-1',
        status: 'queued',
        decision: null,
        snapshot_id: null,
        error: null,
      }),
    );
    expect(folder.usage.count).toBe(0);
    folder.close();
  });

  it('keeps a submitted upload while its job runs, and deletes it when the job ends or the submission failed', async () => {
    const folder = await UploadFolder.open(join(scratch, 'jobs'));
    const a = await folder.receive('a.csv', undefined, Readable.from([Buffer.from('a\n')]));
    const b = await folder.receive('b.csv', undefined, Readable.from([Buffer.from('b\n')]));
    if (!a.ok || !b.ok) throw new Error('upload failed');
    await folder.take(a.value.upload);
    await folder.take(b.value.upload);
    folder.submitted(
      a.value.upload,
      ok({
        request_id: 'r',
        job_id: 'job-a',
        status: 'deciding',
        decision: null,
        snapshot_id: null,
        error: null,
      }),
    );
    folder.submitted(b.value.upload, err('SHUTTING_DOWN', 'closing'));
    expect(folder.usage.count).toBe(1);
    folder.onJobUpdated({ id: 'job-a', status: 'running' } as ProcessingJob);
    expect(folder.usage.count).toBe(1);
    folder.onJobUpdated({ id: 'job-a', status: 'failed' } as ProcessingJob);
    expect(folder.usage.count).toBe(0);
    await poll(() => readdirSync(folder.dir).length).toBe(0);
    folder.close();
  });
});

describe('resolving an id', () => {
  it('gives only a plain file inside the folder: a file swapped for a link is refused and dropped', async () => {
    const folder = await UploadFolder.open(join(scratch, 'swap'));
    const receipt = await folder.receive(
      'chain.csv',
      undefined,
      Readable.from([Buffer.from('a,b\n')]),
    );
    if (!receipt.ok) throw new Error('upload failed');
    unlinkSync(receipt.value.path);
    symlinkSync('/etc/passwd', receipt.value.path);
    const taken = await folder.take(receipt.value.upload);
    expect(taken).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'upload' } });
    expect(JSON.stringify(taken)).not.toContain('/etc/passwd');
    expect(folder.usage.count).toBe(0);
    folder.close();
  });

  it('keeps only a safe last component of the given name', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('..\\..\\win.ini')).toBe('win.ini');
    expect(safeFileName('.hidden')).toBe('_hidden');
    expect(safeFileName('a\u0000b;rm -rf.csv')).toBe('a_b;rm -rf.csv');
    expect(safeFileName('')).toBe('upload');
    // The analyst's own name, in any script; composed, and cut within what a disk allows.
    expect(safeFileName('SPX é (copy).csv')).toBe('SPX é (copy).csv');
    expect(safeFileName('donne\u0301es_Übersicht_期权.csv')).toBe('données_Übersicht_期权.csv');
    const long = safeFileName(`${'期'.repeat(100)}.csv`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(200);
    expect(long).toBe(`${'期'.repeat(65)}.csv`);
    expect(safeFileName('a\u202Eb|c<d>.csv')).toBe('a_b_c_d_.csv');
    // What no file system minds stays the analyst's own.
    expect(safeFileName('IWM options chain export — very long (final, corrected) v2.csv')).toBe(
      'IWM options chain export — very long (final, corrected) v2.csv',
    );
    expect(safeFileName("Q3 'desk' #2 & co; 50%.json")).toBe("Q3 'desk' #2 & co; 50%.json");
    // What Windows would refuse or change is made harmless.
    expect(safeFileName('CON.csv')).toBe('_CON.csv');
    expect(safeFileName('chain.csv. ')).toBe('chain.csv__');
    expect(safeFileName('a:b*c?.csv')).toBe('a_b_c_.csv');
  });
});
