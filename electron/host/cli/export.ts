// `gex-desk export ID --format csv|parquet|json --out FILE` (ANALYTICS.md): a snapshot's
// strike table (per strike over all expiries, the `strikes` of `snapshot --json`, led by
// the snapshot's id, underlying and as_of), or with json the whole `snapshot --json`
// object. Written under a short temporary name beside FILE, then renamed; `--out -` writes
// it to standard output instead.
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { SnapshotDetail } from '../../../shared/api.ts';
import { csvTextCell } from '../../../shared/csv.ts';
import { STRIKE_FIGURES } from '../../../shared/domain.ts';
import {
  ATTACH_OPTION,
  readOnly,
  snapshotDetailJson,
  strikeFigures,
  unreadFolders,
} from './analytics.ts';
import { isDiskFull } from '../../engine/disk-full.ts';
import { NAME_MAX } from '../../engine/intake/inbox-names.ts';
import { refusedWrite } from '../../engine/folder-fault.ts';
import { engineOptions, parse, tickerHint } from './args.ts';
import { EXIT, UsageError, type ExitCode, type Output, refuse } from './io.ts';
import { EXPORT_USAGE } from './usage.ts';
import { messageOf } from '../../../shared/result.ts';

const FORMATS = ['csv', 'parquet', 'json'] as const;
type Format = (typeof FORMATS)[number];

export const EXPORT_COLUMNS = [
  'snapshot_id',
  'underlying',
  'as_of',
  'strike',
  ...STRIKE_FIGURES,
] as const;

function rows(
  d: SnapshotDetail,
): Record<(typeof EXPORT_COLUMNS)[number], string | number | null>[] {
  return d.strikes.map((k) => ({
    snapshot_id: d.snapshot.id,
    underlying: d.snapshot.underlying,
    as_of: d.snapshot.as_of,
    ...strikeFigures(k),
  }));
}

/** Numbers as they are; text through csvTextCell (quoted, and never read as a formula). */
const csvCell = (v: string | number | null): string =>
  v === null ? '' : typeof v === 'number' ? String(v) : csvTextCell(v);

/** The export's content: the strike table (csv, parquet) or the snapshot object (json). */
async function content(
  d: SnapshotDetail,
  format: Format,
): Promise<{ data: string | Buffer; strikes: number }> {
  const table = rows(d);
  const strikes = table.length;
  if (format === 'json') return { data: JSON.stringify(snapshotDetailJson(d)) + '\n', strikes };
  if (format === 'csv') {
    const lines = [
      EXPORT_COLUMNS.join(','),
      ...table.map((r) => EXPORT_COLUMNS.map((c) => csvCell(r[c])).join(',')),
    ];
    return { data: lines.join('\n') + '\n', strikes };
  }
  // Loaded only for this format (about 0.4 s).
  const { polars } = await import('../../engine/native-modules.ts');
  const pl = polars();
  const text = (c: 'snapshot_id' | 'underlying' | 'as_of') =>
    pl.Series(
      c,
      table.map((r) => r[c] as string),
      pl.Utf8,
    );
  const numbers = (c: (typeof EXPORT_COLUMNS)[number]) =>
    pl.Series(
      c,
      table.map((r) => r[c] as number | null),
      pl.Float64,
    );
  const data = pl
    .DataFrame([
      text('snapshot_id'),
      text('underlying'),
      text('as_of'),
      ...EXPORT_COLUMNS.slice(3).map((c) => numbers(c)),
    ])
    .writeParquet({ compression: 'zstd' });
  return { data, strikes };
}

/**
 * A name the file system refuses as too long: the --out argument's fault, so a clean
 * message and exit 1, never the system's text (or 3, which says the machine failed).
 */
function nameTooLong(e: unknown, file: string): string | null {
  if ((e as NodeJS.ErrnoException)?.code !== 'ENAMETOOLONG') return null;
  const bytes = Buffer.byteLength(basename(file));
  return bytes > NAME_MAX
    ? `its name is ${bytes} bytes long, and file systems take ${NAME_MAX} at most; give a shorter one`
    : `its path is too long for the file system; give a shorter one`;
}

/**
 * A temporary name in FILE's folder for writing it before the rename: short, whatever
 * FILE's length (`.<FILE's name>.<pid>.tmp` passed 255 bytes for a long but valid name).
 */
const temporaryName = (file: string): string =>
  join(dirname(file), `.gex-export.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);

/** Removes the temporary file if it is there; never throws (it runs in a `finally`). */
function removeQuietly(tmp: string): void {
  try {
    rmSync(tmp, { force: true });
  } catch {
    // Left behind: a dotfile named as ours, which a later export never reuses.
  }
}

/** Why a file could not be written, in words: a full disk, permissions, or the system's own. */
function writeFailure(e: unknown): string {
  if (isDiskFull(e)) return 'the disk is full; free some space, then export again';
  return refusedWrite(e) ?? messageOf(e);
}

export async function exportCommand(argv: string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parse(
    argv,
    {
      format: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      ...ATTACH_OPTION,
    },
    { command: 'export', args: ['ID'], hint: tickerHint },
  );
  if (values.help) return (out.line(EXPORT_USAGE), EXIT.ok);
  if (positionals.length !== 1) throw new UsageError(`export takes one ID\n${EXPORT_USAGE}`);
  if (!values.out) throw new UsageError('export needs --out FILE (or --out - for standard output)');
  // `--out -`: standard output, to pipe the export into another tool.
  const toStdout = values.out === '-';
  // Without --format, the --out file's extension says it (x.parquet).
  const format = (values.format ?? extname(values.out).slice(1)).toLowerCase() as Format;
  if (!FORMATS.includes(format))
    throw new UsageError(
      values.format
        ? `--format ${JSON.stringify(values.format)} is not one export writes: ${FORMATS.join(', ')}`
        : toStdout
          ? `export --out - needs --format ${FORMATS.join('|')}`
          : `export needs --format ${FORMATS.join('|')}, or an --out FILE ending in .csv, .parquet or .json`,
    );
  if (toStdout && values.json)
    throw new UsageError(
      'export --out - writes the export itself to stdout; --json goes with --out FILE',
    );
  if (toStdout && format === 'parquet' && process.stdout.isTTY)
    throw new UsageError(
      'export --format parquet --out -: Parquet is binary; pipe or redirect it (> FILE), or give --out FILE',
    );
  const file = resolve(values.out);
  if (!toStdout && existsSync(file) && statSync(file).isDirectory())
    throw new UsageError(`--out ${values.out} is a folder; give a file`);
  if (!toStdout) {
    const [{ loadConfig, userDataDir }, { exportTargetProblem }] = await Promise.all([
      import('../../engine/config.ts'),
      import('./export-target.ts'),
    ]);
    const cfg = loadConfig(engineOptions(values));
    const why = cfg.ok && exportTargetProblem(values.out, { ...cfg.value, home: userDataDir() });
    if (why) throw new UsageError(why);
  }
  return readOnly(values, out, async (api) => {
    const r = await api.call('snapshots:get', { id: positionals[0]! });
    if (!r.ok) return refuse(out, r.error, values.json);
    // The file holds the snapshot alone; a folder that could not be read is said beside it.
    unreadFolders(out, r.value.unread_folders);
    const id = r.value.snapshot.id; // in full, when the argument was its start
    if (toStdout) {
      out.bytes((await content(r.value, format)).data);
      return EXIT.ok;
    }
    if (!existsSync(dirname(file))) {
      out.error(`gex-desk: cannot write ${file}: the folder ${dirname(file)} does not exist`);
      return EXIT.rejected;
    }
    // Written under a temporary name beside FILE, then renamed: never half a file.
    const tmp = temporaryName(file);
    try {
      let n: number;
      try {
        const { data, strikes } = await content(r.value, format);
        writeFileSync(tmp, data);
        renameSync(tmp, file);
        n = strikes;
      } catch (e) {
        const refused = nameTooLong(e, file);
        out.error(`gex-desk: cannot write ${file}: ${refused ?? writeFailure(e)}`);
        return refused ? EXIT.rejected : EXIT.environment;
      }
      if (values.json) out.json({ id, format, out: file, strikes: n });
      else out.line(`wrote ${n} strikes of snapshot ${id} (${format}) to ${file}`);
      return EXIT.ok;
    } finally {
      removeQuietly(tmp);
    }
  });
}
