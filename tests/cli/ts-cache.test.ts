// The command keeps its modules' stripped JavaScript (bin/ts-cache.js), in its own process
// and in the pipeline workers it starts: keyed by the SHA-1 of Node's version and the
// TypeScript, served from the cache on the next start, and off when asked.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { repoRoot } from '../pipeline/helpers.ts';
import { cliHome, runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'gex-ts-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entryOf = (cache: string, module: string) => {
  const ts = readFileSync(join(repoRoot, module), 'utf8');
  const key = createHash('sha1').update(process.version).update('\0').update(ts).digest('hex');
  return { file: join(cache, `${key}.js`), ts };
};

it('keeps each module stripped, keyed by its source, and serves it on the next start', async () => {
  const xdg = join(dir, 'xdg');
  const cache = join(xdg, 'gex-desk', 'ts');
  const env = { XDG_CACHE_HOME: xdg, GEX_DESK_TS_CACHE: undefined, NODE_OPTIONS: '' };
  const first = await runCli(['--help'], { env });
  expect(first.code).toBe(0);
  expect(first.stderr).toBe('');
  const cli = entryOf(cache, 'electron/host/cli.ts');
  expect(readFileSync(cli.file, 'utf8')).toBe(stripTypeScriptTypes(cli.ts, { mode: 'strip' }));
  const count = readdirSync(cache).length;

  const second = await runCli(['--help'], { env });
  expect(second.stdout).toBe(first.stdout);
  expect(readdirSync(cache)).toHaveLength(count);

  // What is served is the cache's entry for that exact source.
  writeFileSync(
    cli.file,
    `console.log('served from the cache');\nexport const main = async () => 0;\n`,
  );
  const served = await runCli(['--help'], { env });
  expect(served.stdout.trim()).toBe('served from the cache');
  rmSync(cli.file);
});

it('is used by the pipeline workers the command starts', async () => {
  const xdg = join(dir, 'xdg-workers');
  const cache = join(xdg, 'gex-desk', 'ts');
  const file = join(dir, 'chain.csv');
  writeCboeCsv(file, { seed: 5, expiries: 2, strikesPerExpiry: 10 });
  const { args } = cliHome();
  const r = await runCli(['ingest', file, ...args, '--json'], {
    env: { XDG_CACHE_HOME: xdg, GEX_DESK_TS_CACHE: undefined, NODE_OPTIONS: '' },
  });
  expect(r.lines[0]?.status).toBe('completed');
  // Loaded by the worker alone: its entry module and the Parquet writer.
  for (const module of [
    'electron/engine/workers/pipeline-worker.ts',
    'electron/engine/pipeline/parquet-out.ts',
  ])
    expect(existsSync(entryOf(cache, module).file)).toBe(true);
});

it('is off with an empty GEX_DESK_TS_CACHE, and with the compile cache disabled', async () => {
  for (const [name, extra] of [
    ['empty', { GEX_DESK_TS_CACHE: '' }],
    ['disabled', { GEX_DESK_TS_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: '1' }],
  ] as const) {
    const xdg = join(dir, `xdg-${name}`);
    const r = await runCli(['--help'], {
      env: { XDG_CACHE_HOME: xdg, NODE_OPTIONS: '', ...extra },
    });
    expect(r.code).toBe(0);
    expect(existsSync(join(xdg, 'gex-desk', 'ts'))).toBe(false);
  }
});
