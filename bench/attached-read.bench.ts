// A burst beside a cold read of attached folders, where the analyst stands: `gex-desk
// serve` on a desk whose config.json attaches another desk's data folder (BENCH_ATTACHED_FILES
// snapshots, one underlying each), a burst through `gex-desk ingest --manifest --json`
// (BENCH_ATTACHED_BURST files, one in 15 CRITICAL), and, in every other run, the levels
// board's first call (`snapshots:levels` over HTTP, as the app opening the board makes it)
// sent as the burst begins. Judged by CRITICAL latency from submission (the command's
// `latency_ms`) with the read in flight against without, in the same bench run: a cold read
// that takes the store's time from the jobs' commits shows as a ratio well above 1. Runs
// alternate (without, with, without, with) so that the machine's load falls on both.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeChain, writeTinyChain } from '../tests/analytics/chains.ts';
import { BIN, deskEnv, gexOn, REPO } from './proc.ts';
import type { Measure } from './run.ts';

const ATTACHED = Number(process.env.BENCH_ATTACHED_FILES ?? 600);
const BURST = Number(process.env.BENCH_ATTACHED_BURST ?? 120);
const ROUNDS = 2;
/** The levels call goes this long after the burst's command starts (its first submissions). */
const LEVELS_AFTER_MS = 500;

type Line = { priority?: string; status?: string; latency_ms?: number };

const manifest = (path: string, lines: object[]) =>
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');

const quantile = (v: number[], q: number) =>
  [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(q * v.length))] ?? NaN;

/** One burst on a fresh desk attaching `attached`; with `levels`, the board's first call beside it. */
async function burstOnce(dir: string, attached: string, burstManifest: string, levels: boolean) {
  const home = mkdtempSync(join(dir, 'desk-'));
  writeFileSync(join(home, 'config.json'), JSON.stringify({ attach: [attached] }));
  const serve = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    cwd: REPO,
    env: deskEnv(home),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const first = await new Promise<string>((done, fail) => {
      let out = '';
      serve.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) done(out.split('\n')[0]!);
      });
      serve.on('close', (code) => fail(new Error(`serve exited ${code}`)));
    });
    const url = new URL(first.match(/http:\/\/\S+/)![0]);
    const token = first.match(/[?&#]token=([^&#\s]+)/)![1]!;
    const ingest = gexOn(home, ['ingest', '--manifest', burstManifest, '--json']);
    let call: Promise<{ ms: number; rows: number }> | null = null;
    if (levels) {
      await new Promise((r) => setTimeout(r, LEVELS_AFTER_MS));
      const t0 = performance.now();
      call = fetch(`${url.origin}/api/call/snapshots:levels`, {
        method: 'POST',
        headers: { 'x-gex-token': token, Origin: url.origin, 'content-type': 'application/json' },
        body: '{}',
      }).then(async (r) => {
        const body = (await r.json()) as { ok: boolean; value?: { rows: unknown[] } };
        if (!body.ok) throw new Error(`snapshots:levels: ${JSON.stringify(body).slice(0, 300)}`);
        return { ms: performance.now() - t0, rows: body.value!.rows.length };
      });
    }
    const lines = (await ingest)
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Line);
    const critical = lines
      .filter((l) => l.priority === 'CRITICAL' && l.status === 'completed')
      .map((l) => l.latency_ms!);
    return { critical, levels: call ? await call : null };
  } finally {
    serve.kill('SIGTERM');
    await new Promise((r) => serve.once('close', r));
  }
}

export async function benchAttachedRead(): Promise<Measure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gex-bench-attached-'));
  try {
    // The other desk: ATTACHED snapshots, one underlying each (the board's rows).
    const theirs = join(dir, 'theirs');
    const files = join(dir, 'files');
    mkdirSync(files);
    const name = (i: number) =>
      'A' +
      [26 * 26, 26, 1].map((d) => String.fromCharCode(65 + (Math.floor(i / d) % 26))).join('');
    const seeds = Array.from({ length: ATTACHED }, (_, i) => {
      const file = join(files, `${name(i)}.csv`);
      writeTinyChain(file, name(i));
      return { file, requested_priority: 'LOW', justification: 'bench: attached desk' };
    });
    manifest(join(dir, 'theirs.jsonl'), seeds);
    await gexOn(theirs, ['ingest', '--manifest', join(dir, 'theirs.jsonl'), '--json']);

    // The burst: BURST chains of 2,020 contracts over 4 s, one in 15 CRITICAL.
    const expiries = Array.from(
      { length: 10 },
      (_, k) => `2024-0${4 + Math.floor(k / 4)}-${String(5 + 7 * (k % 4)).padStart(2, '0')}`,
    );
    const burst = Array.from({ length: BURST }, (_, i) => {
      const underlying = `B${name(i)}`;
      const file = join(files, `${underlying}.csv`);
      writeChain(file, {
        underlying,
        asOf: '2024-03-15T10:30:00-04:00',
        spot: 5000,
        expiries,
        strikes: 101,
        seed: i + 1,
      });
      const level = i % 15 === 7 ? 'CRITICAL' : i % 2 ? 'LOW' : 'MEDIUM';
      return {
        file,
        requested_priority: level,
        justification: `bench: ${level}`,
        at_ms: Math.round((i * 4000) / BURST),
      };
    });
    const burstManifest = join(dir, 'burst.jsonl');
    manifest(burstManifest, burst);

    const without: number[] = [];
    const withRead: number[] = [];
    const calls: { ms: number; rows: number }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      without.push(...(await burstOnce(dir, join(theirs, 'data'), burstManifest, false)).critical);
      const w = await burstOnce(dir, join(theirs, 'data'), burstManifest, true);
      withRead.push(...w.critical);
      calls.push(w.levels!);
    }
    const p = (v: number[], q: number) => quantile(v, q);
    return [
      {
        name: `levels, cold, over ${ATTACHED} attached snapshots beside the burst (median)`,
        value: quantile(
          calls.map((c) => c.ms),
          0.5,
        ),
        unit: 'ms',
      },
      {
        name: `CRITICAL latency p50, burst alone (n=${without.length})`,
        value: p(without, 0.5),
        unit: 'ms',
      },
      { name: 'CRITICAL latency max, burst alone', value: Math.max(...without), unit: 'ms' },
      {
        name: `CRITICAL latency p50, cold levels read in flight (n=${withRead.length})`,
        value: p(withRead, 0.5),
        unit: 'ms',
      },
      {
        name: 'CRITICAL latency max, cold levels read in flight',
        value: Math.max(...withRead),
        unit: 'ms',
      },
      {
        name: 'ratio, read in flight / alone: p50',
        value: p(withRead, 0.5) / p(without, 0.5),
        unit: '×',
      },
      {
        name: 'ratio, read in flight / alone: max',
        value: Math.max(...withRead) / Math.max(...without),
        unit: '×',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
