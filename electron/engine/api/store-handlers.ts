// The calls that need only the store and the rules: listings, a job with its snapshot,
// the audit trail, the rules and their what-if, sources, queue figures from the table.
// The engine serves them as they are (engine.ts adds what needs its scheduler, workers
// and inbox), and a command with no engine running serves them in its own process from
// the store alone (electron/host/cli/api.ts), so both give the same answers. What
// rule-heavy calls load (the rules compiler) is imported on their first use, so that a
// listing starts fast.
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { LOCAL_ORIGIN, type CallHandlers } from '../../../shared/api.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { underlyingOfRoot } from '../../../shared/underlyings.ts';
import type { Config } from '../config.ts';
import { AttachedProbes } from '../analytics/attached-probe.ts';
import { AttachedWatch } from '../attached-watch.ts';
import type { EngineEvents } from '../events.ts';
import { jobNamed, listJobs } from '../jobs/repository.ts';
import { queueStats } from '../jobs/monitor.ts';
import { analysisRunner, type RunAnalysis } from '../rules/analysis.ts';
import { storedChecks } from '../rules/stored-checks.ts';
import type { ActiveRuleSet, RulesService } from '../rules/service.ts';
import { listAudit } from '../store/audit.ts';
import type { Store } from '../store/db.ts';
import { getRequests } from '../store/requests.ts';
import { countSnapshots, getSnapshot, getSnapshots, listSnapshots } from '../store/snapshots.ts';
import { mayStall } from '../intake/stalling-fs.ts';
import { echoed } from '../../../shared/visible.ts';

/**
 * An underlying as an analyst may write it, as the snapshots store it: the CBOE files'
 * roots and a vendor's index ticker name one underlying (`^SPX`, `$spx`, `SPXW` → SPX).
 */
const asStored = (u: string | undefined): string | undefined =>
  u === undefined ? undefined : underlyingOfRoot(u);

/** How the handlers reach the rules: the engine's loaded service, or (one-shot) the store. */
export interface RulesAccess {
  /** The active rule set, read without writing anything, or why it cannot be compiled. */
  active(): Promise<Result<ActiveRuleSet>>;
  /** The rules service (a store without rules gets the default set stored). */
  service(): Promise<Result<RulesService>>;
}

export interface StoreApiDeps {
  store: Store;
  events: EngineEvents;
  config: Pick<Config, 'latencyWindowMs' | 'attach' | 'conventions' | 'dataDir' | 'dbPath'>;
  rules: RulesAccess;
  /** The rule analysis's worker thread (the engine's, with its budget); default analysisRunner(), its checks kept in the store (storedChecks). */
  analyse?: RunAnalysis;
  /**
   * The configured export folders as they are now (a running engine: configuredAttach, so
   * that an edit of config.json's `attach` counts at once); else the configuration's.
   */
  attach?: () => Result<string[]>;
  /**
   * The probes of attached folders on file systems that can stall (the engine's, closed at
   * its shutdown); default, probes whose copiers never keep this process alive.
   */
  probes?: AttachedProbes;
}

export type StoreCalls = Omit<
  CallHandlers,
  | 'engine:health'
  | 'ingest:submit'
  | 'jobs:cancel'
  | 'jobs:retry'
  | 'jobs:bytesKept'
  | 'queue:pause'
  | 'queue:resume'
  | 'queue:drain'
  | 'inbox:get'
  | 'inbox:set'
>;

/** Rules read straight from the store: the active stored set, else the default one (nothing written). */
export function storeRules(
  store: Store,
  events: EngineEvents,
  analyse: RunAnalysis = storedChecks(store, analysisRunner()),
): RulesAccess {
  let service: Promise<Result<RulesService>> | null = null;
  let cached: ActiveRuleSet | null = null;
  return {
    async active() {
      if (service) {
        const s = await service;
        if (s.ok) return ok(s.value.active);
      }
      const [{ activeRuleSet }, { compileChecked, defaultRules, defaultRulesText }] =
        await Promise.all([import('../store/rule-sets.ts'), import('../rules/index.ts')]);
      const stored = await activeRuleSet(store);
      if (!stored) return ok({ version: null, text: defaultRulesText(), compiled: defaultRules() });
      if (cached?.version === stored.version) return ok(cached);
      const compiled = compileChecked(stored.text, stored.version);
      // The compiler's error (RULES_SYNTAX, RULES_INVALID, where), as RulesService.load answers it.
      if (!compiled.ok) {
        const why = compiled.error;
        return {
          ok: false,
          error: {
            ...why,
            message: `The active rule set ${stored.version} does not compile: ${why.message}`,
          },
        };
      }
      cached = { version: stored.version, text: stored.text, compiled: compiled.value };
      return ok(cached);
    },
    service() {
      service ??= import('../rules/service.ts').then(({ RulesService }) =>
        RulesService.load(store, events, analyse),
      );
      return service;
    },
  };
}

export function storeHandlers(deps: StoreApiDeps): StoreCalls {
  const { store } = deps;
  const probes = deps.probes ?? new AttachedProbes();
  const analyse = deps.analyse ?? storedChecks(store, analysisRunner());
  const withService = async <T>(
    use: (s: RulesService) => Promise<Result<T>> | Result<T>,
  ): Promise<Result<T>> => {
    const s = await deps.rules.service();
    return s.ok ? use(s.value) : s;
  };
  let sourceCalls: ReturnType<typeof loadSources> | null = null;
  const loadSources = () =>
    import('./sources.ts').then(({ sourceHandlers }) =>
      sourceHandlers({ store, events: deps.events, activeRules: () => deps.rules.active() }),
    );
  const sources = () => (sourceCalls ??= loadSources());
  // History, diff, levels and details, over the store and any attached export folders:
  // the configured ones (kept, with what they have read, while the configuration names the
  // same folders) and, for one call, those its request adds (the command line's --attach).
  let kept: { key: string; analytics: Promise<import('../analytics/index.ts').Analytics> } | null =
    null;
  const analyticsOf = (attach: string[]) =>
    import('../analytics/index.ts').then(
      ({ Analytics }) =>
        new Analytics({
          store,
          attach,
          timeZone: deps.config.conventions.exchange_time_zone,
          probes,
        }),
    );
  const analyticsR = async (
    more?: string[],
  ): Promise<Result<import('../analytics/index.ts').Analytics>> => {
    const configured = deps.attach ? deps.attach() : ok(deps.config.attach);
    if (!configured.ok) return configured;
    if (more?.length) return ok(await analyticsOf([...configured.value, ...more]));
    const key = JSON.stringify(configured.value);
    if (kept?.key !== key) kept = { key, analytics: analyticsOf(configured.value) };
    return ok(await kept.analytics);
  };
  /** `read` over the analytics of the configured (and `more`) folders, or why they cannot be read. */
  const withAnalytics = async <T>(
    more: string[] | undefined,
    read: (a: import('../analytics/index.ts').Analytics) => Promise<Result<T>>,
  ): Promise<Result<T>> => {
    const a = await analyticsR(more);
    return a.ok ? read(a.value) : a;
  };

  // The last look at the attached folders' listings, for the open views (attached-watch.ts).
  const attachedWatch = new AttachedWatch();

  /** Removes what `sel` selects, audited, and tells the engine's memory and the windows once. */
  const remove = async (
    sel: import('../store/snapshot-remove.ts').Selection,
    why: { justification: string; author?: string },
  ) => {
    const { removeSnapshots } = await import('../store/snapshot-remove.ts');
    const { removalIntentsOf } = await import('../store/removal-intents.ts');
    const removed = await removeSnapshots(
      store,
      deps.config.dataDir,
      removalIntentsOf(deps.config),
      (e) => deps.events.emit('audit:appended', e),
      sel,
      { justification: why.justification.trim(), author: why.author ?? null, atMs: Date.now() },
    );
    if (removed.snapshots.length > 0)
      deps.events.emit('snapshots:removed', {
        snapshots: removed.snapshots.map(({ id, underlying, content_hash }) => ({
          id,
          underlying,
          content_hash,
        })),
      });
    return removed;
  };

  return {
    'jobs:get': async ({ id }) => {
      const found = await jobNamed(store, id);
      if (!found.ok) return found;
      const job = found.value;
      const snapshot = job.snapshot_id
        ? ((await getSnapshot(store, job.snapshot_id)) ?? null)
        : null;
      // Never looked at on a file system that can stall: a stalled share would hold the
      // engine's thread in that stat (stalling-fs.ts).
      const look = isAbsolute(job.file) && !mayStall(job.file);
      return ok({ job, snapshot, file_here: look ? existsSync(job.file) : null });
    },
    'jobs:list': async (req) => ok(await listJobs(store, req)),
    'queue:stats': async () => {
      const active = await deps.rules.active();
      if (!active.ok) return active;
      return ok(
        await queueStats(store, {
          nowMs: Date.now(),
          windowMs: deps.config.latencyWindowMs,
          workers: 0,
          busyWorkers: 0,
          targets: active.value.compiled.targets,
        }),
      );
    },
    'snapshots:list': async (req) =>
      ok(await listSnapshots(store, { ...req, underlying: asStored(req.underlying) })),
    'snapshots:many': async ({ ids }) => ok(await getSnapshots(store, ids)),
    'snapshots:count': async () => ok({ total: await countSnapshots(store) }),
    'snapshots:get': ({ id, attach }) => withAnalytics(attach, (a) => a.snapshot(id)),
    'snapshots:cells': ({ id, attach, window_share }) =>
      withAnalytics(attach, (a) => a.cells(id, window_share)),
    'snapshots:history': (req) =>
      withAnalytics(req.attach, (a) =>
        a.history({ ...req, underlying: asStored(req.underlying)! }),
      ),
    'snapshots:diff': ({ from, to, attach }) => withAnalytics(attach, (a) => a.diff(from, to)),
    'snapshots:levels': ({ attach }) => withAnalytics(attach, (a) => a.levels()),
    'snapshots:attachedCheck': async () => {
      const configured = deps.attach ? deps.attach() : ok(deps.config.attach);
      // A config that no longer parses: the views' next load says why.
      const folders = configured.ok ? configured.value : [];
      // A folder that did not answer its probe is not looked at (its listing would hold a
      // thread); the views' next load names it.
      const silent = await Promise.all(folders.map((f) => probes.silent(resolve(f))));
      const look = await attachedWatch.look(folders.filter((_, i) => silent[i] === null));
      if (look.changed) deps.events.emit('snapshots:attachedChanged', { gone: look.gone });
      return ok({
        folders: folders.length,
        changed: look.changed,
        dirs: look.dirs,
        listed: look.listed,
      });
    },
    'snapshots:remove': async ({ id, justification, author }) => {
      // The id as the other calls take it (its first characters will do), from the store only.
      const found = await withAnalytics(undefined, (a) => a.snapshot(id));
      if (!found.ok) return found;
      const { snapshot, origin } = found.value;
      if (origin !== LOCAL_ORIGIN)
        return err(
          'VALIDATION',
          `Snapshot ${snapshot.id} is in the attached folder ${origin}, which GEX Desk only reads: remove it on the workstation that exports there.`,
          { field: 'id' },
        );
      const removed = await remove({ id: snapshot.id }, { justification, author });
      const [one] = removed.snapshots;
      return one
        ? ok({ snapshot: one, files: removed.files, left: removed.left })
        : err('NOT_FOUND', `There is no snapshot ${echoed(id)} in this store.`);
    },
    'snapshots:prune': async ({ before, underlying, justification, author, dry_run }) => {
      const { resolveBounds } = await import('../analytics/time-bounds.ts');
      const bound = resolveBounds(before, undefined, deps.config.conventions.exchange_time_zone);
      if (!bound.ok) return err('VALIDATION', bound.error.message.replace(/^from/, 'before'));
      const sel = { beforeMs: bound.value.fromMs, underlying: asStored(underlying) ?? null };
      const { selectedSnapshots } = await import('../store/snapshot-remove.ts');
      const { snapshots, files, left } = dry_run
        ? { snapshots: await selectedSnapshots(store, sel), files: [], left: [] }
        : await remove(sel, { justification, author });
      return ok({
        dry_run,
        count: snapshots.length,
        underlyings: [...new Set(snapshots.map((s) => s.underlying))].sort(),
        oldest: snapshots[0]?.as_of ?? null,
        newest: snapshots.at(-1)?.as_of ?? null,
        files: files.length,
        // Counted: a prune of years leaves thousands (the command's remove names each).
        left: left.map(({ files: _named, ...l }) => l),
      });
    },
    'requests:get': async ({ ids }) => ok(await getRequests(store, ids)),
    'audit:list': async (req) => ok(await listAudit(store, req)),
    'rules:active': async () => {
      const active = await deps.rules.active();
      if (!active.ok) return active;
      const a = active.value;
      const { levelPolicies } = await import('../rules/service.ts');
      return ok({ version: a.version, text: a.text, levels: levelPolicies(a.compiled) });
    },
    'rules:check': ({ text }) => analyse('check', text),
    'rules:dryRun': ({ text, facts }) => withService((s) => s.dryRun(text, facts)),
    'rules:activate': ({ text, author, comment, base }) =>
      withService((s) => s.activate(text, author, comment, base)),
    'rules:history': () => withService(async (s) => ok(await s.history())),
    'rules:get': ({ version }) => withService((s) => s.text(version)),
    'rules:rollback': ({ version, author, comment, base }) =>
      withService((s) => s.rollback(version, author, comment, base)),
    'rules:schema': async () =>
      ok((await import('../rules/index.ts')).rulesJsonSchema() as Record<string, unknown>),
    'rules:whatif': async ({ text, last, baseline = 'arrival' }) => {
      const { decidedRequests } = await import('../store/decided-requests.ts');
      const [records, activeR] = await Promise.all([
        decidedRequests(store, last),
        deps.rules.active(),
      ]);
      if (!activeR.ok) return activeR;
      const active = activeR.value;
      // Checked, compiled and replayed over the records in the analysis's thread.
      const replayed = await analyse('whatif', {
        text,
        records,
        ...(baseline === 'active'
          ? { baseline: { text: active.text, version: active.version } }
          : {}),
      });
      if (!replayed.ok) return replayed;
      const earlier = records.filter((r) => r.rule_version !== active.version).length;
      return ok({ ...replayed.value, active_version: active.version, baseline, earlier });
    },
    'sources:list': async (req) => (await sources())['sources:list'](req),
    'sources:set': async (req) => (await sources())['sources:set'](req),
    'sources:clear': async (req) => (await sources())['sources:clear'](req),
  };
}
