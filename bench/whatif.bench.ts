// Rule what-if on stored history, as the Rules view and `gex-desk rules whatif` run it
// (`rules:whatif`): 10,000 decided requests in a real DuckDB file, each with its facts
// as stored when it was decided — 70 % decided after their facts read (every fact), 30 %
// decided at arrival (volume, open interest and GEX change unknown, completed from their
// snapshots where there is one, replayed by partial evaluation) — replayed under an edit
// that makes stale data MEDIUM. Measured: the call whole (compile + store query + replay;
// goal under 1 s), and its parts, beside the baseline of the same rows selected without
// parsing their facts.
import { GexConventions } from '../shared/domain.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeHandlers, storeRules } from '../electron/engine/api/store-handlers.ts';
import { EngineEvents } from '../electron/engine/events.ts';
import { compileText } from '../electron/engine/rules/service.ts';
import { defaultRules, defaultRulesText, whatIf } from '../electron/engine/rules/index.ts';
import { decidedRequests } from '../electron/engine/store/decided-requests.ts';
import { Store } from '../electron/engine/store/db.ts';
import type { Measure } from './run.ts';

const N = 10_000;
const NOW = Date.parse('2024-01-07T15:00:00Z');

/** One request and its job as the store keeps them, with the decision the default rules gave. */
function history(): { requests: object[]; jobs: object[]; snapshots: object[] } {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const rules = defaultRules();
  const requests: object[] = [];
  const jobs: object[] = [];
  const snapshots: object[] = [];
  for (let i = 0; i < N; i++) {
    const now = new Date(NOW + i * 1000).toISOString();
    const atArrival = rnd() < 0.3;
    const underlying = pick(['SPX', 'NDX', 'QQQ', 'AAPL']);
    const age = atArrival ? pick([400, 4000, 40_000]) : pick([1, 3, 40, 200, 400, 4000]);
    const full = {
      underlying,
      as_of: new Date(NOW + i * 1000 - age * 1000).toISOString(),
      now,
      total_volume: pick([500, 20_000, 80_000]),
      total_open_interest: pick([1_000, 30_000, 300_000]),
      gex_change: pick([null, 0.02, 0.07, 0.25]),
      source_reliability: pick([1, 1, 0.6]),
    };
    const d = rules.decide(full);
    if (!d.ok) throw new Error(d.error.message);
    const given: Record<string, unknown> = { ...full };
    const unknown = atArrival ? ['total_volume', 'total_open_interest', 'gex_change'] : undefined;
    if (unknown) for (const f of unknown) delete given[f];
    const snapshot = atArrival && rnd() < 0.8 ? `s${i}` : null;
    requests.push({
      id: `r${i}`,
      file: `/inbox/${i}.csv`,
      now,
      underlying,
      facts: JSON.stringify({ given, derived: {}, ...(unknown ? { unknown } : {}) }),
    });
    jobs.push({
      id: `j${i}`,
      request_id: `r${i}`,
      file: `/inbox/${i}.csv`,
      underlying,
      priority: d.value.priority,
      rule: d.value.rule,
      now,
      snapshot,
    });
    if (snapshot)
      snapshots.push({
        id: snapshot,
        underlying,
        as_of: full.as_of,
        volume: full.total_volume,
        oi: full.total_open_interest,
      });
  }
  return { requests, jobs, snapshots };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchWhatIf(): Promise<Measure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gex-bench-whatif-'));
  const opened = await Store.open(join(dir, 'bench.duckdb'));
  if (!opened.ok) throw new Error(opened.error.message);
  const store = opened.value;
  try {
    const h = history();
    const file = (name: string, rows: object[]) => {
      const path = join(dir, `${name}.jsonl`);
      writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n'));
      return path.replaceAll("'", "''");
    };
    await store.run(`INSERT INTO requests (id, file, source, submitted_at, facts, underlying)
      SELECT id, file, 'bench', now::TIMESTAMPTZ, facts::JSON, underlying FROM read_json('${file('requests', h.requests)}', format = 'newline_delimited')`);
    await store.run(`INSERT INTO jobs (id, request_id, file, source, underlying, priority, effective_priority, rule, rule_version, status,
        submitted_at, queued_at, snapshot_id)
      SELECT id, request_id, file, 'bench', underlying, priority, priority, rule, 1, 'completed', now::TIMESTAMPTZ, now::TIMESTAMPTZ, snapshot
      FROM read_json('${file('jobs', h.jobs)}', format = 'newline_delimited', columns = {id: 'VARCHAR', request_id: 'VARCHAR',
        file: 'VARCHAR', underlying: 'VARCHAR', priority: 'VARCHAR', rule: 'VARCHAR', now: 'VARCHAR', snapshot: 'VARCHAR'})`);
    await store.run(`INSERT INTO gex_snapshots (id, underlying, as_of, as_of_text, spot, contracts, total_gex, call_gex, put_gex,
        total_open_interest, total_volume, quality, content_hash, format, source_file, parquet, created_at)
      SELECT id, underlying, as_of::TIMESTAMPTZ, as_of, 100, 1, 0, 0, 0, oi, volume, '{}', id, 'bench', '', '', now()
      FROM read_json('${file('snapshots', h.snapshots)}', format = 'newline_delimited')`);

    const edited = defaultRulesText().replace(
      '{ "when": { "freshness": { "==": "stale" } }, "level": "LOW" }',
      '{ "when": { "freshness": { "==": "stale" } }, "level": "MEDIUM" }',
    );
    const handlers = storeHandlers({
      store,
      events: new EngineEvents(),
      config: {
        latencyWindowMs: 900_000,
        attach: [],
        conventions: GexConventions.parse({}),
        dataDir: dir,
        dbPath: store.path,
      },
      rules: storeRules(store, new EngineEvents()),
    });
    const totals: number[] = [];
    let moved = 0;
    let unknown = 0;
    let first = NaN;
    for (let round = 0; round < 7; round++) {
      const start = performance.now();
      const r = await handlers['rules:whatif']({ text: edited, last: N });
      const ms = performance.now() - start;
      if (!r.ok) throw new Error(r.error.message);
      if (r.value.replayed !== N) throw new Error(`replayed ${r.value.replayed}, not ${N}`);
      if (round === 0) first = ms;
      totals.push(ms);
      moved = r.value.changes.length;
      unknown = r.value.changes.filter((c) => 'unknown' in c.to).length;
    }
    const queries: number[] = [];
    const replays: number[] = [];
    const selects: number[] = [];
    const compiled = compileText(edited, null);
    if (!compiled.ok) throw new Error(compiled.error.message);
    for (let round = 0; round < 7; round++) {
      let t = performance.now();
      const records = await decidedRequests(store, N);
      queries.push(performance.now() - t);
      t = performance.now();
      whatIf(compiled.value, records);
      replays.push(performance.now() - t);
      t = performance.now();
      await store.all(
        'SELECT r.id, r.facts, j.priority, j.rule FROM requests r JOIN jobs j ON j.request_id = r.id ORDER BY r.submitted_at DESC LIMIT $1',
        [N],
      );
      selects.push(performance.now() - t);
    }
    return [
      {
        name: `rules:whatif, ${N.toLocaleString('en-US')} stored requests (compile + query + replay), median of 7`,
        value: median(totals),
        unit: 'ms',
      },
      { name: 'rules:whatif, first call (cold statement and compile)', value: first, unit: 'ms' },
      {
        name: '  store query with facts parsed and completed from snapshots',
        value: median(queries),
        unit: 'ms',
      },
      {
        name: '  replay (decide / decidePartial) of every request',
        value: median(replays),
        unit: 'ms',
      },
      {
        name: 'baseline: the same rows selected, facts not parsed',
        value: median(selects),
        unit: 'ms',
      },
      { name: 'requests moved (stale: LOW → MEDIUM)', value: moved, unit: '' },
      { name: '  of which unknown without their file', value: unknown, unit: '' },
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
