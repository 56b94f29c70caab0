// A parsed chain, saved beside its staged file so that a file is parsed once: the facts
// read (which decides a request's level) parses the file and leaves the chain here, and
// the run that follows loads it instead of parsing again. The format is the chain's own
// columns, written generically (every typed array of `Contracts`, whatever columns the
// readers add), behind a small JSON header. A file that is missing, from another version
// or damaged reads as null, and the run parses the staged bytes as usual.
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { allocContracts, type Chain, type Contracts } from './chain.ts';

const MAGIC = 'GEXCHAIN1';

type ArrayKind = 'Int32Array' | 'Uint8Array' | 'Float64Array' | 'Uint32Array' | 'BigInt64Array';
const ARRAYS: Record<
  ArrayKind,
  { new (buffer: ArrayBuffer): ArrayBufferView; BYTES_PER_ELEMENT: number }
> = {
  Int32Array,
  Uint8Array,
  Float64Array,
  Uint32Array,
  BigInt64Array,
};

interface Header {
  magic: string;
  chain: Omit<Chain, 'contracts'>;
  n: number;
  lists: Record<string, unknown[]>;
  columns: { name: string; kind: ArrayKind; bytes: number }[];
}

/** Writes `chain` to `path` atomically (a temporary name, then a rename). */
export function writeChainFile(path: string, chain: Chain): void {
  const { contracts, ...meta } = chain;
  const header: Header = { magic: MAGIC, chain: meta, n: contracts.n, lists: {}, columns: [] };
  const blocks: Uint8Array[] = [];
  for (const [name, value] of Object.entries(contracts)) {
    if (name === 'n') continue;
    if (Array.isArray(value)) header.lists[name] = value;
    else if (ArrayBuffer.isView(value)) {
      const kind = value.constructor.name as ArrayKind;
      if (!(kind in ARRAYS))
        throw new Error(`chain column ${name} is a ${kind}, which chain files do not store`);
      header.columns.push({ name, kind, bytes: value.byteLength });
      blocks.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    }
  }
  const head = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32LE(head.length);
  // Columns start on an 8-byte boundary so that they can be viewed without copying.
  const pad = Buffer.alloc((8 - ((4 + head.length) % 8)) % 8);
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  // A write may take only part of its bytes (a disk filling up): the rest follows or fails.
  const write = (b: Uint8Array): void => {
    for (let at = 0; at < b.byteLength;) {
      const n = writeSync(fd, b, at, b.byteLength - at);
      if (n <= 0) throw Object.assign(new Error(`${tmp}: no byte written`), { code: 'ENOSPC' });
      at += n;
    }
  };
  try {
    write(prefix);
    write(head);
    write(pad);
    for (const b of blocks) {
      write(b);
      const tail = (8 - (b.byteLength % 8)) % 8;
      if (tail) write(Buffer.alloc(tail));
    }
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

/** The chain saved at `path`, or null when there is none (or it cannot be trusted). */
export function readChainFile(path: string): Chain | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return null;
  }
  try {
    const headLength = bytes.readUInt32LE(0);
    const header = JSON.parse(bytes.subarray(4, 4 + headLength).toString('utf8')) as Header;
    if (header.magic !== MAGIC) return null;
    let at = 4 + headLength;
    at += (8 - (at % 8)) % 8;
    const contracts: Record<string, unknown> = { n: header.n, ...header.lists };
    for (const c of header.columns) {
      const Kind = ARRAYS[c.kind];
      if (!Kind || at + c.bytes > bytes.length) return null;
      // A copy into its own buffer: the chain outlives the file's buffer and is written into.
      const buffer = new ArrayBuffer(c.bytes);
      new Uint8Array(buffer).set(bytes.subarray(at, at + c.bytes));
      contracts[c.name] = new Kind(buffer);
      if (c.bytes / Kind.BYTES_PER_ELEMENT !== header.n) return null;
      at += c.bytes + ((8 - (c.bytes % 8)) % 8);
    }
    // Written by a version whose chains had other columns: parse the file again instead.
    const expected = Object.keys(allocContracts(0)).sort().join();
    if (Object.keys(contracts).sort().join() !== expected) return null;
    return { ...header.chain, contracts: contracts as Contracts };
  } catch {
    return null;
  }
}
