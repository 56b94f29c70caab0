// `gex-desk audit [--request ID] [--kind KIND] [--json] [--limit N]`: the audit trail — arrivals,
// decisions and overrides, rejections, starts, preemptions, requeues, retries and
// cancels (with who), lateness and escalations, completions and failures, rule and
// source changes, removals, files the inbox set aside in failed/ (`inbox`) — each with its file and underlying. One request's trail reads oldest
// first (its timeline); the whole log newest first. Through the API map (api.ts).
import type { AuditEntry, GexApi } from '../../../shared/api.ts';
import { AuditKind } from '../../../shared/api/audit.ts';
import { atUpperBound } from '../../../shared/domain.ts';
import { ok, type Result } from '../../../shared/result.ts';
import { READS, withApi } from './api.ts';
import { engineOptions, int, parse } from './args.ts';
import { EXIT, table, UsageError, type ExitCode, type Output, refuse } from './io.ts';
import { eachPage } from './pages.ts';
import { AUDIT_USAGE } from './usage.ts';

export async function auditCommand(argv: string[], out: Output): Promise<ExitCode> {
  const { values } = parse(
    argv,
    {
      request: { type: 'string' },
      kind: { type: 'string' },
      json: { type: 'boolean' },
      limit: { type: 'string' },
    },
    { command: 'audit', hint: (w) => `did you mean \`audit --request ${w}\`?` },
  );
  if (values.help) return (out.line(AUDIT_USAGE), EXIT.ok);
  const kind = values.kind === undefined ? undefined : AuditKind.safeParse(values.kind);
  if (kind && !kind.success)
    throw new UsageError(`--kind must be one of ${AuditKind.options.join(', ')}`);
  // One request's whole trail; else the latest 500 entries, or as many as asked for.
  const limit = int(values.limit, '--limit', 1) ?? (values.request ? undefined : 500);
  return withApi({ ...engineOptions(values), json: values.json }, out, READS, async (api) => {
    const named = values.request ? await requestNamed(api, values.request) : undefined;
    if (named && !named.ok) return refuse(out, named.error, values.json);
    const request_id = named?.value;
    const entries: AuditEntry[] = [];
    let found = 0;
    const r = await eachPage<AuditEntry>(
      (page, after) =>
        api.call('audit:list', {
          request_id,
          limit: page,
          order: request_id ? 'oldest' : 'newest',
          after,
          kind: kind?.data,
        }),
      limit,
      (some) => {
        found += some.length;
        if (values.json) some.forEach((e) => out.json(e));
        else entries.push(...some);
      },
    );
    if (!r.ok) return refuse(out, r.error, values.json);
    // Said as any refusal is, with its code (it had none).
    if (request_id && found === 0)
      return refuse(
        out,
        { code: 'NOT_FOUND', message: `There is no audit entry for request ${values.request}.` },
        values.json,
      );
    if (values.json) return EXIT.ok;
    out.line(
      table(
        ['at', 'kind', 'level', 'rule', 'actor', 'underlying', 'file', 'explanation'],
        entries.map((e) => [
          e.at,
          e.kind,
          // An arrival written while its request waited for its file's read holds only the
          // rules' upper bound: ≤HIGH, as `gex-desk jobs` and the Audit view show it.
          e.priority && atUpperBound(e) ? `≤${e.priority}` : e.priority,
          e.rule,
          e.actor,
          e.underlying,
          e.file,
          e.explanation,
        ]),
      ),
    );
    return EXIT.ok;
  });
}

/**
 * The request whose trail `--request` asks for: a request's id as given, or the request
 * of the job it names (the id `gex-desk jobs` prints) or begins (its first characters).
 * A request refused before it had a job is found by its full id only.
 */
async function requestNamed(api: GexApi, given: string): Promise<Result<string>> {
  const r = await api.call('jobs:get', { id: given });
  if (r.ok) return ok(r.value.job.request_id);
  return r.error.code === 'NOT_FOUND' ? ok(given) : r;
}
