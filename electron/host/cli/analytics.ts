// The analytics commands (ANALYTICS.md): `snapshot ID`, `history UNDERLYING [--from ISO]
// [--to ISO]`, `diff ID_A ID_B`, `levels`. Read-only: they open the store without the
// worker pool or the scheduler. `--attach DIR` (repeatable) reads another workstation's
// export folder beside the store, as the config's `attach` does.
import { conventionsLine } from '../../../shared/conventions-text.ts';
import {
  diffConventionsNote,
  historyConventionsNotes,
  levelsConventionsNotes,
} from '../../../shared/conventions-compare.ts';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type CallName,
  type GexApi,
  type HistoryPoint,
  type LevelsRow,
  type AttachedFolderProblem,
  type SnapshotDetail,
  type UnreadableFile,
} from '../../../shared/api.ts';
import { STRIKE_FIGURES, type GEXStrike } from '../../../shared/domain.ts';
import type { ApiClient } from './api-client.ts';
import { READS, withApi } from './api.ts';
import { engineOptions, parse, tickerHint } from './args.ts';
import {
  describeError,
  EXIT,
  exitFor,
  plain,
  snapshotJson,
  table,
  usd,
  usdIn,
  money,
  UsageError,
  withUnits,
  type ExitCode,
  type Output,
  refuse,
} from './io.ts';
import { timeOption } from './time-option.ts';
import { mayStall } from '../../engine/intake/stalling-fs.ts';
import { SNAPSHOT_USAGE, HISTORY_USAGE, DIFF_USAGE, LEVELS_USAGE } from './usage.ts';
import { underlyingOfRoot } from '../../../shared/underlyings.ts';
import { age } from '../../../shared/age.ts';

export const ATTACH_OPTION = { attach: { type: 'string', multiple: true } } as const;

/**
 * The --attach folders, each of which must exist (a usage error otherwise). One on a file
 * system that can stall (a network share) is not looked at here: a stat of a share that
 * does not answer never returns, and holds this process; the query's probe looks
 * (analytics/attached-probe.ts) and its warning names it, missing or not answering.
 */
export function attachOption(values: { attach?: string[] }): string[] | undefined {
  if (!values.attach) return undefined;
  return values.attach.map((dir) => {
    const abs = resolve(dir);
    if (mayStall(abs)) return abs;
    if (!existsSync(abs)) throw new UsageError(`--attach ${dir}: there is no such folder`);
    if (!statSync(abs).isDirectory())
      throw new UsageError(
        `--attach ${dir}: is a file, not a folder (attach the export folder, another workstation's data folder)`,
      );
    return abs;
  });
}

/** The calls that read snapshots, and so take the --attach folders. */
const READS_SNAPSHOTS = new Set<CallName>([
  'snapshots:get',
  'snapshots:cells',
  'snapshots:history',
  'snapshots:diff',
  'snapshots:levels',
]);

/**
 * Runs `work` through the API map: the running engine's, or this process's own over the
 * store. The --attach folders go with every call that reads snapshots, so that a running
 * engine reads them beside its configuration's as this process's own store would (it
 * ignored them, and `history X --attach DIR` said there was no snapshot of X).
 */
export const readOnly = (
  values: Parameters<typeof engineOptions>[0] & { attach?: string[]; json?: boolean },
  out: Output,
  work: (api: ApiClient) => Promise<ExitCode>,
) => {
  const attach = attachOption(values);
  return withApi({ ...engineOptions(values), attach, json: values.json }, out, READS, (api) =>
    work(attach ? attaching(api, attach) : api),
  );
};

function attaching(api: ApiClient, attach: string[]): ApiClient {
  return new Proxy(api, {
    get(target, key, receiver) {
      if (key !== 'call') return Reflect.get(target, key, receiver);
      return ((name: CallName, req: object) =>
        target.call(name, READS_SNAPSHOTS.has(name) ? { ...req, attach } : req)) as GexApi['call'];
    },
  });
}

/**
 * A strike's figures over all expiries, in the order `snapshot --json` writes them: its
 * `strikes`, and the rows of `export` (csv, parquet) after the snapshot's id, underlying
 * and as_of.
 */
export const strikeFigures = (k: GEXStrike) =>
  ({
    strike: k.strike,
    ...Object.fromEntries(STRIKE_FIGURES.map((f) => [f, k[f]])),
  }) as Pick<GEXStrike, 'strike' | (typeof STRIKE_FIGURES)[number]>;

/** `snapshot --json`: the `snapshots --json` line's fields plus the measures (ANALYTICS.md). */
export function snapshotDetailJson(d: SnapshotDetail): Record<string, unknown> {
  const s = d.snapshot;
  return {
    ...snapshotJson(s),
    request_id: s.request_id,
    job_id: s.job_id,
    created_at: s.created_at,
    origin: d.origin,
    exposures: d.exposures,
    absolute_gamma_strike: d.absolute_gamma_strike,
    buckets: d.buckets,
    expiries: d.expiries.map((e) => ({
      expiry: e.expiry,
      bucket: e.bucket,
      call_gex: e.call_gex,
      put_gex: e.put_gex,
      net_gex: e.net_gex,
      dex: e.dex,
      vex: e.vex,
      cex: e.cex,
      call_wall: e.call_wall,
      put_wall: e.put_wall,
    })),
    strikes: d.strikes.map(strikeFigures),
    ...(d.note ? { note: d.note } : {}),
  };
}

/**
 * The attached folders that could not be read (a share not mounted, a folder renamed), on
 * stderr by their whole paths: the answer above is the store's and the other folders'.
 */
export function unreadFolders(out: Output, folders: UnreadableFile[] | undefined): void {
  for (const f of folders ?? []) out.error(`warning: the attached folder ${f.path} ${f.message}`);
}

/**
 * The command's arguments, or a usage error naming the command and what it takes (one too
 * many is refused as every command refuses it: args.ts).
 */
function positionals(given: string[], want: string[], usage: string): string[] {
  const command = usage.split(' ')[1]; // "gex-desk diff ID_A ID_B …"
  if (given.length !== want.length)
    throw new UsageError(
      `${command} takes ${want.length ? want.join(' ') : 'no arguments'}${given.length === 0 ? '' : `, not ${given.join(' ')}`}\n${usage}`,
    );
  return given;
}

export async function snapshotCommand(argv: string[], out: Output): Promise<ExitCode> {
  const { values, positionals: args } = parse(
    argv,
    {
      json: { type: 'boolean' },
      ...ATTACH_OPTION,
    },
    { command: 'snapshot', args: ['ID'], hint: tickerHint },
  );
  if (values.help) return (out.line(SNAPSHOT_USAGE), EXIT.ok);
  const [id] = positionals(args, ['ID'], SNAPSHOT_USAGE);
  return readOnly(values, out, async (api) => {
    const r = await api.call('snapshots:get', { id: id! });
    if (!r.ok) return refuse(out, r.error, values.json);
    const d = r.value;
    unreadFolders(out, d.unread_folders);
    if (values.json)
      return (
        out.json({
          ...snapshotDetailJson(d),
          ...(d.unread_folders?.length ? { unread_folders: d.unread_folders } : {}),
        }),
        EXIT.ok
      );
    const s = d.snapshot;
    out.line(
      `${s.underlying} ${s.as_of}  spot ${plain(s.spot)}  (${s.id}${d.origin === 'local' ? '' : `, from ${d.origin}`})`,
    );
    out.line(
      `total GEX ${usd(s.total_gex)} USD per 1% move; zero gamma ${s.zero_gamma ?? '—'}; call wall ${s.call_wall ?? '—'}; put wall ${s.put_wall ?? '—'}; absolute-gamma strike ${d.absolute_gamma_strike ?? '—'}`,
    );
    if (d.exposures)
      out.line(
        `DEX ${usd(d.exposures.dex)} USD of delta; VEX ${usd(d.exposures.vex)} USD of delta per vol point; CEX ${usd(d.exposures.cex)} USD of delta per day`,
      );
    if (d.note) out.line(`note: ${d.note}`);
    out.line(`conventions: ${conventionsLine(s.conventions)}`);
    if (d.buckets)
      out.line(
        '\n' +
          table(
            withUnits(['bucket', 'net GEX', 'call wall', 'put wall']),
            d.buckets.map((b) => [b.bucket, money(b.net_gex), b.call_wall, b.put_wall]),
          ),
      );
    out.line(
      '\n' +
        table(
          withUnits(['expiry', 'bucket', 'net GEX', 'DEX', 'VEX', 'CEX', 'call wall', 'put wall']),
          d.expiries.map((e) => [
            e.expiry,
            e.bucket,
            money(e.net_gex),
            money(e.dex),
            money(e.vex),
            money(e.cex),
            e.call_wall,
            e.put_wall,
          ]),
        ),
    );
    out.line(
      '\n' +
        table(
          withUnits([
            'strike',
            'call GEX',
            'put GEX',
            'net GEX',
            'DEX',
            'VEX',
            'CEX',
            'call OI',
            'put OI',
          ]),
          d.strikes.map((k) => [
            k.strike,
            money(k.call_gex),
            money(k.put_gex),
            money(k.net_gex),
            money(k.dex),
            money(k.vex),
            money(k.cex),
            k.call_open_interest,
            k.put_open_interest,
          ]),
        ),
    );
    return EXIT.ok;
  });
}

/** The engine's refusal of history's bounds in the command line's words (its flags). */
const flagWords = (message: string): string =>
  message.replace(/^from \((.*)\) is after to \((.*)\)$/, '--from $1 is after --to $2');

/**
 * After the rows of history or levels, each attached folder nothing was read from, then
 * each file of one that could not be read, on stderr by its whole path: exit 1 when a file
 * or a folder could not be read, as the answer lacks what it holds (the rest is there).
 */
function unreadableFiles(
  out: Output,
  files: UnreadableFile[],
  notExports: AttachedFolderProblem[],
): ExitCode {
  // A folder that holds no export is a warning: the answer is all there is to read.
  for (const f of notExports) out.error(`warning: the attached folder ${f.path} ${f.message}`);
  for (const f of files) out.error(`${f.path}, in an attached export folder, ${f.message}`);
  return files.length === 0 && !notExports.some((f) => f.cannot_read) ? EXIT.ok : EXIT.rejected;
}

const historyJson = (p: HistoryPoint): Record<string, unknown> => ({
  id: p.id,
  as_of: p.as_of,
  spot: p.spot,
  total_gex: p.total_gex,
  zero_gamma: p.zero_gamma,
  call_wall: p.call_wall,
  put_wall: p.put_wall,
  dex: p.dex,
  vex: p.vex,
  cex: p.cex,
  origin: p.origin,
  conventions: p.conventions,
  ...(p.note ? { note: p.note } : {}),
});

export async function historyCommand(argv: string[], out: Output): Promise<ExitCode> {
  const { values, positionals: args } = parse(
    argv,
    {
      json: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      ...ATTACH_OPTION,
    },
    { command: 'history', args: ['UNDERLYING'] },
  );
  if (values.help) return (out.line(HISTORY_USAGE), EXIT.ok);
  const [underlying] = positionals(args, ['UNDERLYING'], HISTORY_USAGE);
  for (const flag of ['from', 'to'] as const) timeOption(values[flag], flag);
  return readOnly(values, out, async (api) => {
    const r = await api.call('snapshots:history', {
      underlying: underlying!,
      from: values.from,
      to: values.to,
    });
    if (!r.ok) {
      // The call is wrong (--from after --to, an underlying that is none): said as every
      // usage error is, `gex-desk: …` and the help line, exit 2.
      if (r.error.code === 'VALIDATION') throw new UsageError(flagWords(r.error.message));
      out.error(describeError(r.error));
      return exitFor(r.error);
    }
    const { rows, unreadable, not_exports } = r.value;
    if (values.json) rows.forEach((p) => out.json(historyJson(p)));
    else if (rows.length === 0)
      out.line(
        `no snapshot of ${underlyingOfRoot(underlying!)}${values.from ? ` from ${values.from}` : ''}${values.to ? ` to ${values.to}` : ''}`,
      );
    else
      out.line(
        table(
          withUnits([
            'as_of',
            'spot',
            'total GEX',
            'zero gamma',
            'call wall',
            'put wall',
            'DEX',
            'VEX',
            'CEX',
            'origin',
            'id',
          ]),
          rows.map((p) => [
            p.as_of,
            p.spot,
            money(p.total_gex),
            p.zero_gamma,
            p.call_wall,
            p.put_wall,
            money(p.dex),
            money(p.vex),
            money(p.cex),
            p.origin,
            p.id,
          ]),
        ),
      );
    // Points computed under other conventions: a move across the change is partly theirs.
    if (!values.json) for (const note of historyConventionsNotes(rows)) out.line(`note: ${note}`);
    return unreadableFiles(out, unreadable, not_exports);
  });
}

/**
 * A move with its sign: +38.08, -23.63 Bn, +0.000312 (a sub-dollar level's move, as the
 * engine rounded it: shared/prices.ts), ±0 (nothing that shows); — when a side has none.
 */
function signed(v: number | null, f = plain): string {
  if (v === null) return '—';
  const text = f(Math.abs(v));
  if (Number(text.split(' ')[0]) === 0) return '±0';
  return `${v > 0 ? '+' : '-'}${text}`;
}

export async function diffCommand(argv: string[], out: Output): Promise<ExitCode> {
  const { values, positionals: args } = parse(
    argv,
    {
      json: { type: 'boolean' },
      ...ATTACH_OPTION,
    },
    { command: 'diff', args: ['ID_A', 'ID_B'], hint: tickerHint },
  );
  if (values.help) return (out.line(DIFF_USAGE), EXIT.ok);
  const [from, to] = positionals(args, ['ID_A', 'ID_B'], DIFF_USAGE);
  return readOnly(values, out, async (api) => {
    const r = await api.call('snapshots:diff', { from: from!, to: to! });
    if (!r.ok) return refuse(out, r.error, values.json);
    const d = r.value;
    unreadFolders(out, d.unread_folders);
    if (values.json) {
      out.json({
        from: d.from,
        to: d.to,
        total_gex_change: d.total_gex_change,
        zero_gamma_move: d.zero_gamma_move,
        call_wall_move: d.call_wall_move,
        put_wall_move: d.put_wall_move,
        strikes: d.strikes,
        conventions: d.conventions,
        ...(d.unread_folders?.length ? { unread_folders: d.unread_folders } : {}),
      });
      return EXIT.ok;
    }
    // Where each level was and is, beside its move (A's and B's own figures).
    const [a, b] = await Promise.all([
      api.call('snapshots:get', { id: d.from }),
      api.call('snapshots:get', { id: d.to }),
    ]);
    if (!a.ok) return refuse(out, a.error, values.json);
    if (!b.ok) return refuse(out, b.error, values.json);
    const [sa, sb] = [a.value.snapshot, b.value.snapshot];
    out.line(
      `${sa.underlying} ${d.from} (${d.from_as_of}) → ${sb.underlying} ${d.to} (${d.to_as_of})`,
    );
    // Under other conventions (or not known to be the same): said before the moves it affects.
    const conventions = diffConventionsNote(d.conventions);
    if (conventions) out.line(`note: ${conventions}`);
    // Two ids pasted from two underlyings' rows: the strikes of one are not the other's.
    if (sa.underlying !== sb.underlying)
      out.error(
        `note: A is ${sa.underlying} and B is ${sb.underlying}: their strikes are of two ` +
          `underlyings, so the changes by strike compare unrelated contracts.`,
      );
    const level = (v: number | null) => (v === null ? '—' : plain(v));
    // A's, B's and the move's total GEX in one scale, read side by side.
    const gexOfBoth = usdIn([sa.total_gex, sb.total_gex, d.total_gex_change]);
    out.line(
      table(
        ['', 'A', 'B', 'move'],
        [
          [
            withUnits(['total GEX'])[0]!,
            gexOfBoth(sa.total_gex),
            gexOfBoth(sb.total_gex),
            signed(d.total_gex_change, gexOfBoth),
          ],
          ['zero gamma', level(sa.zero_gamma), level(sb.zero_gamma), signed(d.zero_gamma_move)],
          ['call wall', level(sa.call_wall), level(sb.call_wall), signed(d.call_wall_move)],
          ['put wall', level(sa.put_wall), level(sb.put_wall), signed(d.put_wall_move)],
        ],
      ),
    );
    if (d.strikes.length === 0) return (out.line('no strike changed'), EXIT.ok);
    out.line(
      `${d.strikes.length} ${d.strikes.length === 1 ? 'strike' : 'strikes'} changed\n` +
        table(
          withUnits(['strike', 'net GEX change', 'call OI change', 'put OI change']),
          d.strikes.map((k) => [
            k.strike,
            money(k.net_gex_change),
            k.call_open_interest_change,
            k.put_open_interest_change,
          ]),
        ),
    );
    return EXIT.ok;
  });
}

const levelsJson = (l: LevelsRow): Record<string, unknown> => ({
  underlying: l.underlying,
  id: l.id,
  as_of: l.as_of,
  spot: l.spot,
  total_gex: l.total_gex,
  zero_gamma: l.zero_gamma,
  call_wall: l.call_wall,
  put_wall: l.put_wall,
  absolute_gamma_strike: l.absolute_gamma_strike,
  age_s: l.age_s,
  origin: l.origin,
  conventions: l.conventions,
  ...(l.note ? { note: l.note } : {}),
});

export async function levelsCommand(argv: string[], out: Output): Promise<ExitCode> {
  const { values, positionals: args } = parse(
    argv,
    {
      json: { type: 'boolean' },
      ...ATTACH_OPTION,
    },
    { command: 'levels' },
  );
  if (values.help) return (out.line(LEVELS_USAGE), EXIT.ok);
  positionals(args, [], LEVELS_USAGE);
  return readOnly(values, out, async (api) => {
    const r = await api.call('snapshots:levels', {});
    if (!r.ok) return refuse(out, r.error, values.json);
    const { rows, unreadable, not_exports } = r.value;
    if (values.json) rows.forEach((l) => out.json(levelsJson(l)));
    else
      out.line(
        table(
          withUnits([
            'underlying',
            'as_of',
            'age',
            'spot',
            'zero gamma',
            'call wall',
            'put wall',
            'abs gamma',
            'total GEX',
            'origin',
            'id',
          ]),
          rows.map((l) => [
            l.underlying,
            l.as_of,
            age(l.age_s),
            l.spot,
            l.zero_gamma,
            l.call_wall,
            l.put_wall,
            l.absolute_gamma_strike,
            money(l.total_gex),
            l.origin,
            l.id,
          ]),
        ),
      );
    if (!values.json) for (const note of levelsConventionsNotes(rows)) out.line(`note: ${note}`);
    return unreadableFiles(out, unreadable, not_exports);
  });
}
