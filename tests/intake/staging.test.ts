// Staging captures a file's bytes at arrival: content-addressed, hashed as copied, bytes
// of its own that no later write to the file touches, shared by every job of the same
// content, removed when the last one lets go, and a file that changes while it is read is
// refused. Real files in a temp folder.
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EDGE_BYTES, Staging } from '../../electron/engine/intake/staging.ts';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'gex-staging-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
};
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('Staging.capture', () => {
  it('copies the bytes under their SHA-256, keeps both ends, and survives the original being deleted', async () => {
    const dir = temp();
    const staging = new Staging({ dir: join(dir, 'staging'), maxBytes: 1 << 30 });
    const file = join(dir, 'chain.csv');
    const body = Buffer.from('x'.repeat(3 * 1024 * 1024 + 17) + 'END');
    writeFileSync(file, body);
    const r = await staging.capture(file);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.hash).toBe(sha(body));
    expect(r.value.size).toBe(body.length);
    expect(r.value.head.equals(body.subarray(0, EDGE_BYTES))).toBe(true);
    expect(r.value.tail.equals(body.subarray(body.length - EDGE_BYTES))).toBe(true);
    rmSync(file);
    expect(sha(readFileSync(staging.pathOf(r.value.hash)))).toBe(r.value.hash);
  });

  it.each([
    ['smaller than an end', 1000],
    ['one read exactly', 1024 * 1024],
    ['a short last read', 1024 * 1024 + 100],
    ['three reads', 2 * 1024 * 1024 + 70_000],
  ])('hashes and keeps the right ends of a file %s', async (_, size) => {
    const dir = temp();
    const body = randomBytes(size);
    const file = join(dir, 'chain.bin');
    writeFileSync(file, body);
    const staging = new Staging({ dir: join(dir, 'staging'), maxBytes: 1 << 30 });
    const r = await staging.capture(file);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.hash).toBe(sha(body));
    expect(r.value.head.equals(body.subarray(0, EDGE_BYTES))).toBe(true);
    expect(r.value.tail.equals(body.subarray(Math.max(0, size - EDGE_BYTES)))).toBe(true);
    expect(readFileSync(staging.pathOf(r.value.hash)).equals(body)).toBe(true);
  });

  it('shares one blob between captures of the same content, and removes it when the last reference goes', async () => {
    const dir = temp();
    const staging = new Staging({ dir: join(dir, 'staging'), maxBytes: 1 << 30 });
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    writeFileSync(a, 'same content\n');
    writeFileSync(b, 'same content\n');
    const [ra, rb] = await Promise.all([staging.capture(a), staging.capture(b)]);
    if (!ra.ok || !rb.ok) throw new Error('capture failed');
    expect(ra.value.hash).toBe(rb.value.hash);
    expect(staging.refs(ra.value.hash)).toBe(2);
    expect(readdirSync(staging.dir)).toEqual([ra.value.hash]);
    staging.release(ra.value.hash);
    expect(existsSync(staging.pathOf(ra.value.hash))).toBe(true);
    writeFileSync(staging.chainPathOf(ra.value.hash), 'parsed');
    staging.release(ra.value.hash);
    expect(readdirSync(staging.dir)).toEqual([]);
  });

  it('refuses what cannot be captured, with a code and the file named', async () => {
    const dir = temp();
    const staging = new Staging({ dir: join(dir, 'staging'), maxBytes: 10 });
    const big = join(dir, 'big.csv');
    writeFileSync(big, '01234567890');
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const codes = await Promise.all(
      [join(dir, 'missing.csv'), dir, empty, big].map(async (f) => {
        const r = await staging.capture(f);
        return r.ok ? 'ok' : `${r.error.code} ${r.error.message.includes(f) ? 'named' : 'unnamed'}`;
      }),
    );
    expect(codes).toEqual([
      'FILE_NOT_FOUND named',
      'NOT_A_FILE named',
      'EMPTY_FILE named',
      'FILE_TOO_LARGE named',
    ]);
    expect(readdirSync(staging.dir)).toEqual([]);
    // A folder is told apart from other things that are not files: say what to give instead.
    const folder = await staging.capture(dir);
    expect(folder.ok ? null : folder.error.message).toBe(
      `${dir} is a folder, not a file: give the files in it (or drop the folder into the watched inbox)`,
    );
  });

  it('refuses a file that is still being written while it is read, and leaves nothing staged', async () => {
    const dir = temp();
    const staging = new Staging({ dir: join(dir, 'staging'), maxBytes: 1 << 30 });
    const file = join(dir, 'growing.csv');
    writeFileSync(file, Buffer.alloc(4 * 1024 * 1024, 65));
    // Another process keeps appending, as a vendor's writer would.
    const writer = spawn(process.execPath, [
      '-e',
      `const fs=require('fs');setInterval(()=>fs.appendFileSync(${JSON.stringify(file)},'row\\n'),1)`,
    ]);
    try {
      const size = statSync(file).size;
      await until(() => statSync(file).size > size);
      const r = await staging.capture(file);
      expect(r.ok ? 'ok' : r.error.code).toBe('FILE_CHANGED');
      expect(readdirSync(staging.dir)).toEqual([]);
    } finally {
      writer.kill();
    }
  });

  it('stages the file a symbolic link points to, and a copy keeps the bytes whatever happens to the file', async () => {
    const dir = temp();
    const staging = new Staging({ dir: join(dir, 'staging'), maxBytes: 1 << 30 });
    const target = join(dir, 'target.csv');
    writeFileSync(target, 'rows\n');
    const link = join(dir, 'link.csv');
    symlinkSync(target, link);
    const r = await staging.capture(link);
    if (!r.ok) throw new Error(r.error.message);
    writeFileSync(target, 'rewritten\n');
    expect(readFileSync(staging.pathOf(r.value.hash), 'utf8')).toBe('rows\n');
  });

  it('keeps bytes of its own of a file on the same file system: rewritten in place, it changes nothing staged', async () => {
    const dir = temp();
    const staging = new Staging({ dir: join(dir, 'staging'), maxBytes: 1 << 30 });
    const file = join(dir, 'chain.csv');
    writeFileSync(file, 'rows\n');
    const r = await staging.capture(file);
    if (!r.ok) throw new Error(r.error.message);
    const staged = statSync(r.value.path);
    expect([staged.ino === statSync(file).ino, staged.nlink, staged.mode & 0o777]).toEqual([
      false,
      1,
      0o400,
    ]);
    // `cat other.csv > chain.csv`: the same inode, other bytes.
    writeFileSync(file, 'other rows\n');
    expect(readFileSync(r.value.path, 'utf8')).toBe('rows\n');
    rmSync(file);
    expect(readFileSync(r.value.path, 'utf8')).toBe('rows\n');
  });

  it('refuses a device or FIFO without reading it (it could block forever)', async () => {
    const dir = temp();
    const staging = new Staging({ dir: join(dir, 'staging'), maxBytes: 1 << 30 });
    const fifo = join(dir, 'stalled');
    execFileSync('mkfifo', [fifo]);
    const r = await staging.capture(fifo);
    expect(r.ok ? null : r.error).toMatchObject({
      code: 'NOT_A_FILE',
      message: `${fifo} is not a regular file (a device, a pipe or a socket)`,
    });
  });

  it('ends a capture slower than its timeout as TIMEOUT, stages nothing, and serves the next one', async () => {
    const dir = temp();
    const staging = new Staging({
      dir: join(dir, 'staging'),
      maxBytes: 1 << 30,
      concurrency: 1,
      timeoutMs: 1,
    });
    const slow = join(dir, 'slow.csv');
    writeFileSync(slow, Buffer.alloc(64 * 1024 * 1024, 66));
    const r = await staging.capture(slow);
    expect(r.ok ? 'ok' : r.error.code).toBe('TIMEOUT');
    expect(r.ok ? '' : r.error.message).toMatch(/could not be read within/);
    await until(() => readdirSync(staging.dir).length === 0);
    const quick = new Staging({
      dir: staging.dir,
      maxBytes: 1 << 30,
      concurrency: 1,
      timeoutMs: 30_000,
    });
    const ok = join(dir, 'fine.csv');
    writeFileSync(ok, 'rows\n');
    expect((await quick.capture(ok)).ok).toBe(true);
  });

  it('gives the waiting captures their turn by level, then by arrival', async () => {
    const dir = temp();
    const staging = new Staging({ dir: join(dir, 'staging'), maxBytes: 1 << 30, concurrency: 1 });
    const file = (n: string) => {
      const f = join(dir, `${n}.csv`);
      writeFileSync(f, `content ${n}\n`);
      return f;
    };
    const order: string[] = [];
    const take = (n: string, rank: number) =>
      staging.capture(file(n), { rank, started: () => order.push(n) });
    // The first takes the only slot; the others wait and go CRITICAL first, LOW last.
    const all = [
      take('first', 3),
      take('low', 3),
      take('medium', 2),
      take('low2', 3),
      take('critical', 0),
    ];
    expect((await Promise.all(all)).every((r) => r.ok)).toBe(true);
    expect(order).toEqual(['first', 'critical', 'medium', 'low', 'low2']);
  });

  it('recover keeps what live jobs hold and removes the rest', async () => {
    const dir = temp();
    const staging = new Staging({ dir: join(dir, 'staging'), maxBytes: 1 << 30 });
    const files = ['a', 'b', 'c'].map((n) => {
      const f = join(dir, `${n}.csv`);
      writeFileSync(f, `content ${n}\n`);
      return f;
    });
    const hashes = [];
    for (const f of files) {
      const r = await staging.capture(f);
      if (!r.ok) throw new Error(r.error.message);
      hashes.push(r.value.hash);
    }
    writeFileSync(join(staging.dir, '.capture-leftover'), 'half');
    const again = new Staging({ dir: staging.dir, maxBytes: 1 << 30 });
    expect(again.recover([hashes[1]!])).toEqual({ removed: 3 });
    expect(readdirSync(again.dir)).toEqual([hashes[1]]);
    expect(again.refs(hashes[1]!)).toBe(1);
  });

  it("recover gives a live job's blob that an earlier version hard-linked to the analyst's file bytes of its own", async () => {
    const dir = temp();
    const staging = new Staging({ dir: join(dir, 'staging'), maxBytes: 1 << 30 });
    const file = join(dir, 'chain.csv');
    writeFileSync(file, 'rows\n');
    const hash = sha('rows\n');
    linkSync(file, staging.pathOf(hash));
    expect(staging.recover([hash])).toEqual({ removed: 0 });
    expect(readdirSync(staging.dir)).toEqual([hash]);
    expect(statSync(staging.pathOf(hash)).nlink).toBe(1);
    writeFileSync(file, 'other rows\n');
    expect(readFileSync(staging.pathOf(hash), 'utf8')).toBe('rows\n');
  });

  it("recover moves a live job's blob in from the folder every database shared, and leaves the rest there", async () => {
    const dir = temp();
    const legacy = join(dir, 'staging');
    const old = new Staging({ dir: legacy, maxBytes: 1 << 30 });
    const hashes = [];
    for (const n of ['mine', 'theirs']) {
      const f = join(dir, `${n}.csv`);
      writeFileSync(f, `content ${n}\n`);
      const r = await old.capture(f);
      if (!r.ok) throw new Error(r.error.message);
      hashes.push(r.value.hash);
    }
    writeFileSync(old.chainPathOf(hashes[0]!), 'parsed');
    const own = new Staging({
      dir: join(legacy, 'gex.duckdb-1234abcd'),
      maxBytes: 1 << 30,
      legacyDir: legacy,
    });
    expect(own.recover([hashes[0]!])).toEqual({ removed: 0 });
    expect(readdirSync(own.dir).sort()).toEqual([hashes[0], `${hashes[0]}.chain`].sort());
    expect(readFileSync(own.pathOf(hashes[0]!), 'utf8')).toBe('content mine\n');
    // Another database's blob (or an old leftover) is not this engine's to sweep.
    expect(existsSync(join(legacy, hashes[1]!))).toBe(true);
  });

  it('a capture puts back the blob of a content whose jobs hold it but whose file went', async () => {
    const dir = temp();
    const staging = new Staging({ dir: join(dir, 'staging'), maxBytes: 1 << 30 });
    const f = join(dir, 'kept.csv');
    writeFileSync(f, 'kept for a retry\n');
    const first = await staging.capture(f);
    if (!first.ok) throw new Error(first.error.message);
    rmSync(first.value.path); // swept by another engine, before each had its own folder
    const again = await staging.capture(f);
    if (!again.ok) throw new Error(again.error.message);
    expect(staging.refs(again.value.hash)).toBe(2);
    expect(readFileSync(again.value.path, 'utf8')).toBe('kept for a retry\n');
  });
});
