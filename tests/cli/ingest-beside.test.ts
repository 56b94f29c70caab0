// `gex-desk ingest` beside a running engine (a real engine of this process, reached
// through its local endpoint as the desktop app's): a job cancelled in the app while the
// command waits for it, an interrupt that leaves requests behind, and a --data-dir other
// than the engine's own (refused where the command's work goes to the data folder, not
// for one that only reads).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { serveLocal, type LocalEndpoint } from '../../electron/host/local/endpoint.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';
import { BIN, runCli } from './run-cli.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Beside {
  te: TestEngine;
  local: LocalEndpoint;
  home: string;
  args: string[];
  /** A small chain file of its own. */
  chain(name: string, seed: number): string;
}

/** `work` beside a running engine (one worker), then both stopped. */
async function besideEngine(work: (b: Beside) => Promise<void>): Promise<void> {
  const te = await startTestEngine({ workers: 1 });
  const home = mkdtempSync(join(tmpdir(), 'gex-home-'));
  dirs.push(home);
  const local = await serveLocal(te.engine, { home, host: 'test' });
  const chain = (name: string, seed: number) => {
    const f = join(te.dir, name);
    writeCboeCsv(f, { seed, expiries: 2, strikesPerExpiry: 8 });
    return f;
  };
  try {
    await work({ te, local, home, args: ['--db', te.engine.config.dbPath], chain });
  } finally {
    await local.close();
    await te.stop();
  }
}

describe('gex-desk ingest beside a running engine', () => {
  it('reports a job cancelled in the app while it waits as failed, CANCELLED (the contract has no "cancelled")', async () => {
    await besideEngine(async ({ te, home, args, chain }) => {
      const h = te.engine.handlers;
      expect((await h['queue:pause']({})).ok).toBe(true);
      const files = [chain('a.csv', 1), chain('b.csv', 2)];
      const json = runCli(['ingest', ...files, '--json', ...args], { home });
      const human = runCli(['ingest', files[0]!, chain('c.csv', 3), ...args], { home });
      const queued = async () => {
        const r = await h['jobs:list']({ limit: 10 });
        return r.ok ? r.value.filter((j) => j.status === 'queued') : [];
      };
      await expect.poll(async () => (await queued()).length, { timeout: 30_000 }).toBe(4);
      // Both commands' a.csv: the analyst cancels them in the Queue view.
      for (const job of (await queued()).filter((j) => j.file === files[0]))
        expect((await h['jobs:cancel']({ id: job.id, author: 'ana' })).ok).toBe(true);
      expect((await h['queue:resume']({})).ok).toBe(true);

      const r = await json;
      expect(r.code, r.stderr).toBe(1);
      expect(r.lines.map((l) => l.status)).toEqual(['failed', 'completed']);
      expect(r.lines[0]).toMatchObject({
        file: files[0],
        error: { code: 'CANCELLED', message: 'cancelled before it started by ana' },
      });
      const text = await human;
      expect(text.code, text.stderr).toBe(1);
      expect(text.stdout).toContain(
        `✗ ${files[0]}  failed  LOW (G2)\n    CANCELLED: cancelled before it started by ana\n`,
      );
      expect(text.stdout.trimEnd().split('\n').at(-1)).toMatch(
        /^2 requests: 1 cancelled, 1 completed; \d+\.\d s$/,
      );
    });
  }, 60_000);

  // QA land F5: the refusal told a command-line user to call "queue:resume" (the API's
  // name; the command line has no resume), and with --json stdout was empty.
  it('refuses queue --drain while the app holds its queue paused: says where to resume it, an error object with --json, exit 1', async () => {
    await besideEngine(async ({ te, home, args, chain }) => {
      const h = te.engine.handlers;
      expect((await h['queue:pause']({})).ok).toBe(true);
      const file = chain('p.csv', 5);
      expect((await h['ingest:submit']({ file, source: 'desk' })).ok).toBe(true);
      const said =
        "CONFLICT: The queue is paused: resume it first (Resume queue in the Queue view of GEX Desk or of gex-desk serve's page), then drain.";
      const human = await runCli(['queue', '--drain', ...args], { home });
      expect(human.code, human.stderr).toBe(1);
      expect(human.stdout).toBe('');
      expect(human.stderr).toContain(said);
      expect(human.stderr).not.toContain('queue:resume');
      const json = await runCli(['queue', '--drain', '--json', ...args], { home });
      expect(json.code, json.stderr).toBe(1);
      expect(json.lines).toEqual([{ error: expect.objectContaining({ code: 'CONFLICT' }) }]);
      expect(json.lines[0]).not.toHaveProperty('drained');
      expect(json.stderr).toContain(said);
      // Nothing was run: the job still waits for the resume.
      const jobs = await h['jobs:list']({ limit: 10 });
      expect(jobs.ok && jobs.value.map((j) => j.status)).toEqual(['queued']);
    });
  }, 120_000);

  it("refuses a --data-dir other than the running engine's, naming both (exit 2): its exports went to the engine's folder", async () => {
    await besideEngine(async ({ te, home, args, chain }) => {
      const file = chain('d.csv', 4);
      const theirs = te.engine.config.dataDir;
      const mine = join(te.dir, 'my-exports');
      for (const command of [['ingest', file, '--json']]) {
        const r = await runCli([...command, '--data-dir', mine, ...args], { home });
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.split('\n')[0]).toBe(
          `gex-desk: --data-dir ${mine} is not the data folder of GEX Desk (test, PID ${process.pid}), which runs on the database ${te.engine.config.dbPath} and writes its exports to ${theirs}: a command beside it cannot write elsewhere. Leave out --data-dir (or give ${theirs}), or stop GEX Desk and run the command again.`,
        );
      }
      const jobs = await te.engine.handlers['jobs:list']({ limit: 10 });
      expect(jobs.ok && jobs.value).toEqual([]);
      expect(existsSync(mine)).toBe(false);
      // The engine's own folder, named: the command works beside it.
      const same = await runCli(['ingest', file, '--json', '--data-dir', theirs, ...args], {
        home,
      });
      expect(same.code, same.stderr).toBe(0);
      expect(same.lines[0]).toMatchObject({ status: 'completed' });
      expect(String((same.lines[0]!.snapshot as { parquet: string }).parquet)).toContain(theirs);
    });
  }, 60_000);

  it('answers a command that only reads (or writes elsewhere) the same whatever data folder it names; refuses only those whose work goes to the data folder', async () => {
    await besideEngine(async ({ te, home, args, chain }) => {
      const theirs = te.engine.config.dataDir;
      const mine = join(te.dir, 'scheduler-data');
      const [a, b] = [chain('r1.csv', 11), chain('r2.csv', 12)];
      const ingested = await runCli(['ingest', a, b, '--json', ...args], { home });
      expect(ingested.code, ingested.stderr).toBe(0);
      const [idA, idB] = ingested.lines.map((l) => (l.snapshot as { id: string }).id);
      const underlying = (ingested.lines[0]!.snapshot as { underlying: string }).underlying;
      const rulesFile = join(te.dir, 'rules.json');
      const shown = await runCli(['rules', 'show', ...args], { home });
      expect(shown.code, shown.stderr).toBe(0);
      writeFileSync(rulesFile, shown.stdout);
      const reads: string[][] = [
        ['jobs', '--json'],
        ['snapshots', '--json'],
        ['snapshot', idA!, '--json'],
        ['queue', '--json'],
        ['levels', '--json'],
        ['history', underlying, '--json'],
        ['diff', idA!, idB!, '--json'],
        ['sources', '--json'],
        ['audit', '--json'],
        ['rules', 'show', '--json'],
        ['rules', 'history', '--json'],
        ['rules', 'check', rulesFile, '--json'],
        ['rules', 'whatif', rulesFile, '--json'],
        ['inbox', '--json'],
      ];
      // By --data-dir, and by the variable a scheduler's environment sets.
      const ways: [string[], NodeJS.ProcessEnv][] = [
        [['--data-dir', mine], {}],
        [[], { GEX_DESK_DATA_DIR: mine }],
      ];
      // A snapshot's age is counted when asked.
      const timeless = (text: string) => text.replace(/"age_s":\d+/g, '"age_s":0');
      for (const command of reads) {
        const usual = await runCli([...command, ...args], { home });
        expect(usual.code, `${command.join(' ')}: ${usual.stderr}`).toBe(0);
        for (const [extra, env] of ways) {
          const r = await runCli([...command, ...extra, ...args], { home, env });
          expect(r.code, `${command.join(' ')}: ${r.stderr}`).toBe(0);
          expect(r.stderr).toBe('');
          expect(timeless(r.stdout), command.join(' ')).toBe(timeless(usual.stdout));
        }
      }
      const facts = {
        id: 'a',
        underlying: 'SPX',
        as_of: '2024-01-08T14:59:58Z',
        now: '2024-01-08T15:00:00Z',
        total_volume: 80000,
        total_open_interest: 300000,
        gex_change: 0.25,
        source_reliability: 0.5,
      };
      const evaluated = await runCli(['rules', 'eval', '--data-dir', mine, ...args], {
        home,
        input: JSON.stringify(facts) + '\n',
      });
      expect(evaluated.code, evaluated.stderr).toBe(0);
      expect(evaluated.lines[0]).toMatchObject({ id: 'a', priority: 'HIGH', rule: 'G4' });
      // export writes where --out says.
      const out = join(te.dir, 'a.csv');
      const exported = await runCli(
        ['export', idA!, '--format', 'csv', '--out', out, '--data-dir', mine, ...args],
        { home },
      );
      expect(exported.code, exported.stderr).toBe(0);
      expect(existsSync(out)).toBe(true);
      expect(existsSync(mine)).toBe(false);

      // Those whose work goes to the data folder: refused, nothing done.
      const refused: string[][] = [
        ['ingest', chain('r3.csv', 13)],
        ['jobs', 'retry', String(ingested.lines[0]!.job_id)],
        ['queue', '--drain'],
        ['snapshots', 'remove', idA!, '--justification', 'a mistake'],
      ];
      for (const command of refused) {
        const r = await runCli([...command, '--data-dir', mine, ...args], { home });
        expect(r.code, `${command.join(' ')}: ${r.stderr}`).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.split('\n')[0]).toBe(
          `gex-desk: --data-dir ${mine} is not the data folder of GEX Desk (test, PID ${process.pid}), which runs on the database ${te.engine.config.dbPath} and writes its exports to ${theirs}: a command beside it cannot write elsewhere. Leave out --data-dir (or give ${theirs}), or stop GEX Desk and run the command again.`,
        );
      }
      const jobs = await te.engine.handlers['jobs:list']({ limit: 10 });
      expect(jobs.ok && jobs.value.length).toBe(2);
      const listed = await te.engine.handlers['snapshots:list']({ limit: 10 });
      expect(listed.ok && listed.value.map((s) => s.id).sort()).toEqual([idA, idB].sort());
      expect(existsSync(mine)).toBe(false);
    });
  }, 240_000);

  it("refuses another data folder given by GEX_DESK_DATA_DIR or the config file's dataDir the same way, naming where it came from", async () => {
    await besideEngine(async ({ te, home, args, chain }) => {
      const file = chain('e.csv', 7);
      const theirs = te.engine.config.dataDir;
      const mine = join(te.dir, 'mine');
      const configFile = join(te.dir, 'desk.json');
      writeFileSync(configFile, JSON.stringify({ dataDir: mine }));
      const runs: [NodeJS.ProcessEnv, string, string][] = [
        [{ GEX_DESK_DATA_DIR: mine }, `GEX_DESK_DATA_DIR=${mine}`, 'GEX_DESK_DATA_DIR'],
        [
          { GEX_DESK_CONFIG: configFile },
          `${mine} (dataDir in ${configFile})`,
          'dataDir in that file',
        ],
      ];
      for (const [env, given, leaveOut] of runs) {
        const r = await runCli(['ingest', file, '--json', ...args], { home, env });
        expect(r.code, r.stderr).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.split('\n')[0]).toBe(
          `gex-desk: ${given} is not the data folder of GEX Desk (test, PID ${process.pid}), which runs on the database ${te.engine.config.dbPath} and writes its exports to ${theirs}: a command beside it cannot write elsewhere. Leave out ${leaveOut} (or give ${theirs}), or stop GEX Desk and run the command again.`,
        );
      }
      const jobs = await te.engine.handlers['jobs:list']({ limit: 10 });
      expect(jobs.ok && jobs.value).toEqual([]);
      expect(existsSync(mine)).toBe(false);
      // The engine's own folder by the variable: the command works beside it.
      const same = await runCli(['ingest', file, '--json', ...args], {
        home,
        env: { GEX_DESK_DATA_DIR: theirs },
      });
      expect(same.code, same.stderr).toBe(0);
      expect(same.lines[0]).toMatchObject({ status: 'completed' });
    });
  }, 60_000);

  it('refuses to ingest or retry under a config whose conventions the running engine does not compute with; reads are not refused', async () => {
    await besideEngine(async ({ te, home, args, chain }) => {
      const file = chain('conv.csv', 8);
      const configFile = join(te.dir, 'act.json');
      writeFileSync(configFile, JSON.stringify({ conventions: { day_count: 'act-365' } }));
      const env = { GEX_DESK_CONFIG: configFile };
      const r = await runCli(['ingest', file, '--json', ...args], { home, env });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')[0]).toBe(
        `gex-desk: The config this command reads (${configFile}) names other conventions than GEX Desk (test, PID ${process.pid}) computes with (day count business-262 → act-365, from GEX Desk's to this config's): it read its config when it started, and files ingested through it are computed under its own. Restart GEX Desk to take the changed conventions, or run the command with the config it started with.`,
      );
      const jobs = await te.engine.handlers['jobs:list']({ limit: 10 });
      expect(jobs.ok && jobs.value).toEqual([]);
      // A read under that config is answered: it computes nothing.
      const listed = await runCli(['snapshots', '--json', ...args], { home, env });
      expect(listed.code, listed.stderr).toBe(0);
      // The engine's own conventions: the file is taken.
      const same = await runCli(['ingest', file, '--json', ...args], { home });
      expect(same.code, same.stderr).toBe(0);
      expect(same.lines[0]).toMatchObject({ status: 'completed' });
    });
  }, 60_000);

  it("asks the engine's health once (its probe): an engine going away after being found is noticed by the first submission, which goes on in the next", async () => {
    await besideEngine(async ({ te, home, args, chain }) => {
      // A second health call, after the probe, failed the command with "stopped answering"
      // (exit 3) when the app went away between the two, before any file was submitted.
      const handlers = te.engine.handlers;
      const health = handlers['engine:health'];
      let asked = 0;
      handlers['engine:health'] = (req) => (asked++, health(req));
      try {
        const r = await runCli(['ingest', chain('once.csv', 9), '--json', ...args], { home });
        expect(r.code, r.stderr).toBe(0);
        expect(r.lines[0]).toMatchObject({ status: 'completed' });
        expect(asked).toBe(1);
      } finally {
        handlers['engine:health'] = health;
      }
    });
  }, 60_000);

  it('prints on an interrupt the lines of the requests that had ended, behind one the app still holds', async () => {
    await besideEngine(async ({ te, home, args, chain }) => {
      const h = te.engine.handlers;
      const [waits, done] = [chain('waits.csv', 5), chain('done.csv', 6)];
      const first = await runCli(['ingest', done!, '--json', ...args], { home });
      expect(first.lines[0]).toMatchObject({ status: 'completed' });
      // The desk holds the queue: the first file waits; the second, already ingested,
      // ends at its submission (a duplicate).
      expect((await h['queue:pause']({})).ok).toBe(true);
      const child = spawn(process.execPath, [BIN, 'ingest', waits!, done!, '--json', ...args], {
        env: { ...process.env, GEX_DESK_HOME: home },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const closed = new Promise<number | null>((r) => child.on('close', r));
      // Interrupted once the command has asked for the duplicate's end, and had it.
      const answered = new Set<string>();
      const get = h['jobs:get'];
      h['jobs:get'] = async (req) => {
        const r = await get(req);
        if (r.ok) answered.add(r.value.job.status);
        return r;
      };
      await expect.poll(() => answered.has('duplicate'), { timeout: 30_000 }).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGINT');
      expect(await closed, stderr).toBe(130);
      expect(
        stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as unknown),
      ).toEqual([expect.objectContaining({ file: done, status: 'duplicate' })]);
      expect(stderr).toContain(
        'gex-desk: interrupted. 1 request submitted had not ended: the running engine goes on with them',
      );
    });
  }, 60_000);
  it('says that --workers N is not used: the jobs run on the running engine’s workers', async () => {
    await besideEngine(async ({ home, args, chain }) => {
      const said = (n: number) =>
        `gex-desk: --workers ${n} is not used: GEX Desk (test, PID ${process.pid}) runs on this database, and the jobs run on its 1 worker (set when it started).\n`;
      const ingest = await runCli(['ingest', chain('w.csv', 7), '--workers', '4', ...args], {
        home,
      });
      expect(ingest.code, ingest.stderr).toBe(0);
      expect(ingest.stderr).toBe(said(4));
      const drain = await runCli(['queue', '--drain', '--workers', '3', '--json', ...args], {
        home,
      });
      expect(drain.code, drain.stderr).toBe(0);
      expect(drain.stderr).toBe(said(3));
      // Without the flag, nothing is said.
      const plain = await runCli(['ingest', chain('p.csv', 8), ...args], { home });
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stderr).toBe('');
    });
  });
});
