// What every e2e file needs: the real engine on a temporary database behind the
// browser host (`serve`), headless Chromium on the built UI, and the helpers an
// analyst's actions and the checks use: dropping a file, screenshots at both window
// sizes (1440×900 and 1024×700), axe-core on the page, the queue's pause.
import { appendFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { serve, uploadFolderOf, type ServeHandle } from '../../electron/host/serve.ts';
import { buildRenderer } from '../../electron/host/renderer-build.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';
import type { AnalysisOptions } from '../../electron/engine/rules/analysis.ts';
import type { WorkerPool } from '../../electron/engine/workers/pool.ts';
import { CHROMIUM, CHROMIUM_ARGS, haveChromium } from './chromium.ts';
import { makeChain, cboeCsvText, cboeJsonText } from '../fixtures/option-chains.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SAMPLES = resolve(ROOT, '../shared/samples');
export const SHOTS = join(ROOT, 'test-results/screenshots');
export { CHROMIUM, haveChromium };
if (!haveChromium && process.env.CI) throw new Error(`Chromium is missing at ${CHROMIUM}`);

export const WIDE = { width: 1440, height: 900 };
export const SMALL = { width: 1024, height: 700 };

/** Polls with room for a loaded 2-core machine (expect.poll's default is one second). */
export const poll = <T>(fn: () => T | Promise<T>) =>
  expect.poll(fn, { timeout: 20_000, interval: 100 });

/** Waits (outside a test, where expect.poll is not allowed) until `fn` gives a value `ok` accepts. */
export async function until<T>(
  fn: () => T | Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  timeout = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`waited ${timeout} ms for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Several e2e files start at once: one builds the renderer, the others wait for it. */
export async function ensureRenderer(): Promise<void> {
  const lock = join(ROOT, 'out/.renderer-build.lock');
  mkdirSync(join(ROOT, 'out'), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('waited 5 minutes for another renderer build');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    await buildRenderer();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface Desk {
  te: TestEngine;
  host: ServeHandle;
  context: BrowserContext;
  page: Page;
  fixtures: string;
  /** Console errors and page errors seen so far. */
  problems: string[];
  close(): Promise<void>;
}

export async function openDesk(
  opts: {
    workers?: number;
    watchInbox?: boolean;
    /** The inbox's folder (default: `inbox/` in the engine's temporary folder). */
    inbox?: string;
    chromiumArgs?: string[];
    attach?: string[];
    /** The browser's time zone (Europe/Berlin unless said). */
    timezoneId?: string;
    /** The engine's rule analysis options (its budget; told of each analysis's start). */
    rulesAnalysis?: AnalysisOptions;
    /** A real pool started for the engine (a test that watches or holds its tasks). */
    pool?: WorkerPool;
  } = {},
): Promise<Desk> {
  mkdirSync(SHOTS, { recursive: true });
  await ensureRenderer();
  const te = await startTestEngine({
    workers: opts.workers ?? 1,
    ...(opts.watchInbox ? { watchInbox: true } : {}),
    ...(opts.inbox ? { inbox: opts.inbox } : {}),
    ...(opts.attach ? { attach: opts.attach } : {}),
    ...(opts.rulesAnalysis ? { rulesAnalysis: opts.rulesAnalysis } : {}),
    ...(opts.pool ? { pool: opts.pool } : {}),
  });
  const fixtures = join(te.dir, 'fixtures');
  mkdirSync(fixtures, { recursive: true });
  const host = await serve(te.engine, {
    rendererDir: join(ROOT, 'out/renderer'),
    uploadDir: uploadFolderOf(te.engine.config),
  });
  const context = await chromium.launchPersistentContext(join(te.dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: WIDE,
    timezoneId: opts.timezoneId ?? 'Europe/Berlin',
    args: [...CHROMIUM_ARGS, ...(opts.chromiumArgs ?? [])],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  // E2E_TEST_NAMES=1 names the test a page error happened in (to find which step caused it).
  page.on('pageerror', (e) =>
    problems.push(
      e.message + (process.env.E2E_TEST_NAMES ? ` [${expect.getState().currentTestName}]` : ''),
    ),
  );
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  await page.goto(host.url);
  await page
    .getByTestId('engine-state')
    .getByText('engine ok', { exact: true })
    .waitFor({ timeout: 30_000 });
  const desk: Desk = {
    te,
    host,
    context,
    page,
    fixtures,
    problems,
    async close() {
      await context?.close();
      // The host it has now: a test may have stopped and started it again.
      await desk.host?.close();
      await te?.stop();
    },
  };
  return desk;
}

/**
 * Screenshots of the page as it is, at 1440×900 and at 1024×700 (`NAME.png`, `NAME@1024.png`);
 * `inView` is scrolled into view at each size first.
 */
export async function shot(page: Page, name: string, inView?: Locator): Promise<void> {
  await inView?.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  await page.setViewportSize(SMALL);
  await page.waitForTimeout(150);
  await inView?.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, `${name}@1024.png`) });
  await page.setViewportSize(WIDE);
  await page.waitForTimeout(100);
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_LOG = join(ROOT, 'test-results/axe.jsonl');

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (WCAG 2.1 A and AA, and best practices) on the page as it is and
 * returns its violations; every run is logged to test-results/axe.jsonl.
 * The script goes in through the DevTools protocol, so the page's CSP stays as it is.
 */
export async function axe(page: Page, label: string): Promise<AxeFinding[]> {
  const loaded = await page.evaluate('typeof window.axe !== "undefined"');
  if (!loaded) await page.evaluate(AXE);
  const found = (await page.evaluate(`window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\\n').slice(0, 2).join(' ')) })))`)) as AxeFinding[];
  appendFileSync(
    AXE_LOG,
    JSON.stringify({ label, at: new Date().toISOString(), violations: found }) + '\n',
  );
  return found;
}

/** The serious and critical violations, in a form a failing test prints readably. */
export const serious = (found: AxeFinding[]) =>
  found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`);

/** axe-core on the page as it is finds nothing serious or critical. */
export async function expectNoSerious(page: Page, label: string): Promise<void> {
  expect(serious(await axe(page, label))).toEqual([]);
}

/** Elements cut in their box (scrollWidth over clientWidth) or reaching past the window. */
const CUT = `(sel) => [...document.querySelectorAll(sel)].filter((el) => {
  const r = el.getBoundingClientRect();
  return el.scrollWidth > el.clientWidth + 0.5 || r.left < 0 || r.right > window.innerWidth + 0.5;
}).map((el) => ({ text: el.textContent, scroll: el.scrollWidth, client: el.clientWidth, right: Math.round(el.getBoundingClientRect().right) }))`;

/** The elements `sel` finds that are cut in their box or reach past the window (none: an empty list). */
export const cutOff = (page: Page, sel: string) =>
  page.evaluate(`(${CUT})(${JSON.stringify(sel)})`) as Promise<
    { text: string; scroll: number; client: number; right: number }[]
  >;

// Browser-side helper, as source text: this file is type-checked without the DOM library.
const DROP = `async ({ b64, name }) => {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const dt = new DataTransfer();
  dt.items.add(new File([bytes], name));
  const target = document.querySelector('main') ?? document.body;
  for (const type of ['dragenter', 'dragover', 'drop']) {
    target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }
}`;

/** A file as a user's drag and drop delivers it: a DataTransfer on the window's drop event. */
export async function dropFile(page: Page, path: string, name: string): Promise<void> {
  const b64 = readFileSync(path).toString('base64');
  await page.evaluate(`(${DROP})(${JSON.stringify({ b64, name })})`);
}

/** Drops a file and submits it with the dialog's defaults. */
/**
 * Writes `text` as the fixture `name`, submits it to the engine (not through the page) and
 * waits for its job to end: its snapshot's id, or null when it made none.
 */
/** The value of an engine call's answer, or the test stops with its error. */
export const api = async <T>(
  p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
): Promise<T> => {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

/** Submits `file` to the desk's engine (source `e2e`); the id of the job it queued. */
export async function queueFile(desk: Desk, file: string): Promise<string> {
  const res = await desk.te.engine.handlers['ingest:submit']({ file, source: 'e2e' });
  if (!res.ok) throw new Error(res.error.message);
  if (!res.value.job_id) throw new Error(`${file} was not queued (${res.value.status})`);
  return res.value.job_id;
}

/** The Queue's row of the job whose file name holds `name`. */
export const jobRow = (page: Page, name: string) =>
  page.locator('[data-testid=job-row]', { has: page.locator('.c-file', { hasText: name }) });

export async function ingestText(desk: Desk, name: string, text: string): Promise<string | null> {
  const file = join(desk.fixtures, name);
  writeFileSync(file, text);
  const r = await desk.te.engine.handlers['ingest:submit']({ file, source: 'desk' });
  if (!r.ok) throw new Error(r.error.message);
  await desk.te.engine.drain();
  const jobs = await desk.te.engine.handlers['jobs:list']({ limit: 100 });
  if (!jobs.ok) throw new Error(jobs.error.message);
  return jobs.value.find((j) => j.file.endsWith(`/${name}`))?.snapshot_id ?? null;
}

export async function submitFile(page: Page, path: string, name: string): Promise<void> {
  await dropFile(page, path, name);
  await page.getByTestId('submit-files').click();
}

export const submission = (page: Page, name: string) =>
  page.locator('[data-testid=submission]', { has: page.locator('.file-name', { hasText: name }) });

export function chainFile(
  dir: string,
  name: string,
  seed: number,
  opts: Parameters<typeof makeChain>[0] = {},
): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    name.endsWith('.json')
      ? cboeJsonText(makeChain({ seed, ...opts }))
      : cboeCsvText(makeChain({ seed, ...opts })),
  );
  return path;
}

/** Pauses the queue as an analyst does, with the Queue view's button, and waits for the engine to say so. */
export async function pauseQueue(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Pause queue' }).click();
  await page.getByTestId('paused-banner').waitFor();
  await page.getByTestId('status-paused').waitFor();
  // One way of saying it: the label turns to what the button does next, no aria-pressed.
  const toggle = page.getByTestId('queue-pause-toggle');
  await poll(() => toggle.innerText()).toMatch(/Resume queue$/);
  expect(await toggle.getAttribute('aria-pressed')).toBeNull();
  expect(await page.getByRole('button', { name: 'Resume queue', exact: true }).count()).toBe(1);
}

export async function resumeQueue(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Resume queue' }).click();
  await page.getByTestId('paused-banner').waitFor({ state: 'detached' });
  await page.getByTestId('status-paused').waitFor({ state: 'detached' });
}

/** Goes to a view with its tab, as an analyst does. */
export async function goTo(
  page: Page,
  view: 'queue' | 'snapshots' | 'rules' | 'audit' | 'sources',
): Promise<void> {
  await page.locator(`[data-view=${view}]`).click();
  await page.getByTestId(`${view}-view`).waitFor();
}
