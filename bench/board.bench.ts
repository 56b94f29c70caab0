// The priority promise where the analyst looks: a burst through `gex-desk ingest --manifest
// --json` beside `gex-desk serve`, with the levels board open in headless Chromium, each
// request's underlying a new row. A row counts from the moment the page's DOM holds it
// (a MutationObserver in the page, stamped on the machine's clock) and is measured from its
// request's submission (`jobs --json`'s `submitted_at`, the instant `latency_ms` counts
// from). The baseline is the engine's own figure for the same requests in the same run
// (`latency_ms`: data stored), so the ratio is what the screen adds to what the engine
// reports. BENCH_BOARD_FILES (150) SPX-size chains over BENCH_BOARD_SPAN_MS (6,000), one in
// 15 CRITICAL, the rest HIGH, MEDIUM and LOW.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/e2e/chromium.ts';
import { writeChain } from '../tests/analytics/chains.ts';
import { SPX_SIZE } from '../tests/system/bursts/plan.ts';
import { BIN, deskEnv, gexOn, REPO } from './proc.ts';
import type { Measure } from './run.ts';

const FILES = Number(process.env.BENCH_BOARD_FILES ?? 150);
const SPAN_MS = Number(process.env.BENCH_BOARD_SPAN_MS ?? 6000);
/** How long after the command ends every row must be on the board. */
const PAINT_GRACE_MS = 60_000;

const jsonLines = <T>(text: string): T[] =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as T);

const quantile = (v: number[], q: number) =>
  [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(q * v.length))] ?? NaN;

/** What the page functions below touch of the page (the bench compiles without the DOM's types). */
type InPage = {
  __painted: Record<string, number>;
  document: {
    querySelectorAll(sel: string): ArrayLike<{ getAttribute(name: string): string | null }>;
  };
  MutationObserver: new (cb: () => void) => { observe(node: unknown, opts: object): void };
};

/** Installed in the page before the app: the first moment each board row is in the DOM. */
function recordRows(): void {
  const page = globalThis as unknown as InPage;
  const seen: Record<string, number> = (page.__painted = {});
  const scan = () => {
    const now = performance.timeOrigin + performance.now();
    for (const row of Array.from(page.document.querySelectorAll('[data-testid=levels-row]'))) {
      const u = row.getAttribute('data-underlying');
      if (u && !(u in seen)) seen[u] = now;
    }
  };
  new page.MutationObserver(scan).observe(page.document, { childList: true, subtree: true });
}

const name = (i: number) =>
  'B' + [26 * 26, 26, 1].map((d) => String.fromCharCode(65 + (Math.floor(i / d) % 26))).join('');

const levelOf = (i: number) =>
  i % 15 === 7 ? 'CRITICAL' : (['HIGH', 'MEDIUM', 'LOW', 'LOW'] as const)[i % 4]!;

export async function benchBoard(): Promise<Measure[]> {
  if (!existsSync(CHROMIUM)) throw new Error(`the board bench needs Chromium at ${CHROMIUM}`);
  const dir = mkdtempSync(join(tmpdir(), 'gex-bench-board-'));
  const home = join(dir, 'desk');
  const files = join(dir, 'files');
  mkdirSync(files);
  const expiries = Array.from({ length: SPX_SIZE.expiries }, (_, k) =>
    new Date(Date.UTC(2024, 2, 22 + 7 * k)).toISOString().slice(0, 10),
  );
  const lines = Array.from({ length: FILES }, (_, i) => {
    const file = join(files, `${name(i)}.csv`);
    writeChain(file, {
      underlying: name(i),
      asOf: '2024-03-15T10:30:00-04:00',
      spot: 5000,
      expiries,
      strikes: SPX_SIZE.strikesPerExpiry,
      seed: i + 1,
    });
    return {
      file,
      requested_priority: levelOf(i),
      justification: `bench: ${levelOf(i)}`,
      at_ms: Math.round((i * SPAN_MS) / FILES),
    };
  });
  const manifest = join(dir, 'burst.jsonl');
  writeFileSync(manifest, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');

  const serve = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    cwd: REPO,
    env: deskEnv(home),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  try {
    const url = await new Promise<string>((done, fail) => {
      let out = '';
      serve.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = out.match(/GEX Desk at (http:\/\/\S+)/);
        if (m) done(m[1]!);
      });
      serve.on('close', (code) => fail(new Error(`serve exited ${code}`)));
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(recordRows);
    await page.goto(url.replace(/#.*$/, '') + '#/snapshots');
    await page.getByText('engine ok', { exact: true }).waitFor({ timeout: 30_000 });

    const ingested = jsonLines<{ file: string; status: string; latency_ms: number | null }>(
      await gexOn(home, ['ingest', '--manifest', manifest, '--json']),
    );
    const done = ingested.filter((l) => l.status === 'completed');
    if (done.length !== FILES)
      throw new Error(`${FILES - done.length} of ${FILES} requests did not complete`);
    await page.waitForFunction(
      (n) => Object.keys((globalThis as unknown as InPage).__painted).length >= n,
      FILES,
      { timeout: PAINT_GRACE_MS, polling: 200 },
    );
    const painted = await page.evaluate(() => (globalThis as unknown as InPage).__painted);
    const jobs = jsonLines<{ underlying: string; submitted_at: string; priority: string }>(
      await gexOn(home, ['jobs', '--json']),
    );
    const latencyOf = new Map(done.map((l) => [l.file, l.latency_ms!]));
    const byUnderlying = new Map(jobs.map((j) => [j.underlying, j]));
    const rows = lines.map((l, i) => {
      const job = byUnderlying.get(name(i));
      if (!job) throw new Error(`no job for ${name(i)}`);
      return {
        level: l.requested_priority,
        onScreen: painted[name(i)]! - Date.parse(job.submitted_at),
        stored: latencyOf.get(l.file)!,
      };
    });
    const critical = rows.filter((r) => r.level === 'CRITICAL');
    const screen = critical.map((r) => r.onScreen);
    const stored = critical.map((r) => r.stored);
    const all = rows.map((r) => r.onScreen - r.stored);
    return [
      {
        name: `CRITICAL on the board, from submission: p50 / max (n=${critical.length} of ${FILES})`,
        value: quantile(screen, 0.5),
        unit: `ms / ${Math.round(Math.max(...screen))} ms`,
      },
      {
        name: 'CRITICAL stored (latency_ms, the baseline): p50 / max',
        value: quantile(stored, 0.5),
        unit: `ms / ${Math.round(Math.max(...stored))} ms`,
      },
      {
        name: 'ratio, on the board / stored: CRITICAL p50',
        value: quantile(screen, 0.5) / quantile(stored, 0.5),
        unit: '×',
      },
      {
        name: 'ratio, on the board / stored: CRITICAL max',
        value: Math.max(...screen) / Math.max(...stored),
        unit: '×',
      },
      {
        name: 'what the board adds to the stored row, every level: p50 / max',
        value: quantile(all, 0.5),
        unit: `ms / ${Math.round(Math.max(...all))} ms`,
      },
    ];
  } finally {
    await browser.close();
    serve.kill('SIGTERM');
    await new Promise((r) => (serve.exitCode === null ? serve.once('close', r) : r(null)));
    rmSync(dir, { recursive: true, force: true });
  }
}
