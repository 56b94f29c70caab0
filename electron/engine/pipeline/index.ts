// The pipeline's public entry points: runPipeline (file → GEX snapshot, gamma profile and
// the Parquet hand-off) and readFacts (the cheap pass the rules decide priority from).
// Both return Result values and never throw: a worker sends the result across a process
// boundary as it is.
import {
  MEASURES_VERSION,
  type GexConventions,
  type SnapshotMeasures,
} from '../../../shared/domain.ts';
import { rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { ReadLimits } from '../../../shared/limits.ts';
import type {
  FileFacts,
  PipelineInput,
  PipelineOutput,
  PipelineSnapshot,
  StagedInput,
} from '../../../shared/pipeline.ts';
import { err, ok, type Err, type Result } from '../../../shared/result.ts';
import type { Chain } from './chain.ts';
import { readChainFile, writeChainFile } from './chain-file.ts';
import { chainFingerprint } from './chain-fingerprint.ts';
import { computeGex, DROP_EXPIRED, selectContracts, type UsedContracts } from './gex.ts';
import { PARTIAL_NO_GAMMA } from './contract-exposures.ts';
import { writeExpiriesParquet, writeStrikesParquet } from './parquet-out.ts';
import { gammaProfile, profileNotFinite, zeroGamma } from './profile.ts';
import { roundPrice } from '../../../shared/prices.ts';
import { writeSnapshotParquet } from './snapshot-row.ts';
import { keep, lookUp, type Figures, type Prepared } from './prepared.ts';
import { checkLimits, readSource } from './read-chain.ts';
import { openSource, sourceOf } from './source.ts';
import { checkConventions } from './conventions.ts';
import { diskFull, isDiskFull } from '../disk-full.ts';
import { folderFault, type OwnFolder } from '../folder-fault.ts';
import { dirname } from 'node:path';
import { cents } from '../cents.ts';

export { readChain } from './read-chain.ts';
export { toContractRows } from './chain.ts';
export { sniffBytes, sniffChain, sniffChainSync, sniffFd, type ChainSniff } from './sniff.ts';

export type RunPipelineInput = Omit<PipelineInput, 'limits'> &
  StagedFile & {
    limits?: Partial<ReadLimits>;
    onProgress?: (fraction: number, stage: string) => void;
  };

/** The conventions and limits a task gives, checked and with their defaults. */
function settingsOf(
  file: string,
  conventions: unknown,
  readLimits: unknown,
): Result<{ conv: GexConventions; limits: ReadLimits }> {
  const conv = checkConventions(file, conventions);
  if (!conv.ok) return conv;
  const limits = checkLimits(file, readLimits);
  if (!limits.ok) return limits;
  return ok({ conv: conv.value, limits: limits.value });
}

/** A file to read: the staged bytes, the analyst's name for it, and what is known of it already. */
export type StagedFile = StagedInput & {
  /**
   * Asked before each file is written: false when whoever asked for the read has gone (a
   * worker's engine killed), and then nothing more is written (workers/engine-present.ts).
   */
  stillWanted?: () => Promise<boolean>;
};

const abandonedBy = (file: string): Err =>
  err('CANCELLED', `${file}: abandoned: the engine that asked for this read has gone`, { file });

/** The name every message of a task gives its file: the analyst's, not the staged copy's. */
const nameOf = (f: StagedFile): string => f.sourceFile ?? f.file;

/**
 * The file's chain: what a read-ahead left for these bytes (prepared.ts), else the chain
 * file a facts read left (so a file is parsed once), else parsed from the bytes. `take`:
 * this is the entry's last use (the run).
 */
async function loadChain(
  input: StagedFile,
  conv: GexConventions,
  limits: ReadLimits,
  take: boolean,
): Promise<Result<{ chain: Chain; content_hash: string; figures?: Figures }>> {
  const prepared = lookUp(input.contentHash, conv, limits, take);
  if (prepared) return ok(prepared);
  if (input.chainFile && input.contentHash) {
    const chain = readChainFile(input.chainFile);
    if (chain) return ok({ chain, content_hash: input.contentHash });
  }
  const name = nameOf(input);
  const src = await openSource(input.file, limits, name);
  if (!src.ok) return src;
  // Staged bytes are the engine's own copy; bytes that no longer hash to what was decided
  // on are not run on (changed from outside, or a blob an earlier version hard-linked to
  // the analyst's file, rewritten in place before this version took it over).
  if (input.contentHash && src.value.content_hash !== input.contentHash)
    return err(
      'FILE_CHANGED',
      `${name}: the bytes captured at its submission have changed since, and its level was decided on them; submit it again`,
      { file: name },
    );
  const chain = readSource(src.value, conv, limits);
  if (!chain.ok) return chain;
  return ok({ chain: chain.value, content_hash: src.value.content_hash });
}

/**
 * NO_ROWS for a chain with nothing to compute from — every row dropped (expired, …), or
 * every one used without a gamma (none in the file and IV 0): a snapshot of zeros would
 * stand on the levels board as its underlying's latest figures.
 */
function unusable(file: string, chain: Chain, used: UsedContracts, noGamma: number): Err {
  const why = used.quality.dropped.map((d) =>
    d.reason === DROP_EXPIRED
      ? `${d.rows} expired before ${used.date}, the exchange's date of its as_of`
      : `${d.rows}: ${d.reason}`,
  );
  if (noGamma > 0) why.push(`${noGamma}: no gamma in the file and iv 0`);
  return err(
    'NO_ROWS',
    `${file}: none of its ${chain.contracts.n} option rows can be used (${why.join('; ')})`,
    { file },
  );
}

/**
 * The rows used, the exposures, the gamma profile and its zero; `file` names the file in
 * an error; `lap` times the two stages.
 */
function figuresOf(
  chain: Chain,
  conv: GexConventions,
  file: string,
  lap?: (stage: string, fraction: number) => void,
): Result<Figures> {
  const used = selectContracts(chain, conv);
  if (used.rows.length === 0) return unusable(file, chain, used, 0);
  const gex = computeGex(chain, used, conv, file);
  if (!gex.ok) return gex;
  const noGamma = gex.value.partial.find((p) => p.reason === PARTIAL_NO_GAMMA)?.rows ?? 0;
  if (noGamma === used.rows.length) return unusable(file, chain, used, noGamma);
  lap?.('gex', 0.6);
  const { points: profile, gross } = gammaProfile(chain, used, conv);
  const overflow = profileNotFinite(file, chain, used, conv, profile);
  if (overflow) return overflow;
  lap?.('profile', 0.8);
  return ok({ used, gex: gex.value, profile, zero: zeroGamma(profile, gross) });
}

/** A read-ahead holds only what is worth holding (an SPX chain is 2–6 MB)… */
const READ_AHEAD_MAX_BYTES = 64 * 1024 * 1024;
/** …and never waits long on a slow disk or a stalled share: the task will say why. */
const READ_AHEAD_WAIT_MS = 2000;

/** The file's bytes, read without blocking the worker's loop; null when not worth it or too slow. */
async function bytesAhead(file: string, limits: ReadLimits): Promise<Buffer | null> {
  const within = <T>(p: Promise<T>): Promise<T | null> =>
    Promise.race([
      p,
      new Promise<null>((resolve) => setTimeout(resolve, READ_AHEAD_WAIT_MS, null).unref()),
    ]).catch(() => null);
  const max = Math.min(limits.maxFileBytes, READ_AHEAD_MAX_BYTES);
  const st = await within(stat(file));
  if (!st?.isFile() || st.size > max) return null;
  const bytes = await within(readFile(file));
  return bytes && bytes.length <= max ? bytes : null;
}

/**
 * Reads a file before its task comes (a one-shot command's, while its engine starts):
 * parses it, then — unless `stop()` says a task is waiting — works out its figures, and
 * keeps both for the task on the same bytes. A file that cannot be read, or not quickly,
 * is left to its task, which reports why. Returns the steps done (parse, figures).
 */
export async function readAhead(
  file: string,
  conventions: GexConventions,
  readLimits: Partial<ReadLimits> | undefined,
  stop: () => Promise<boolean>,
): Promise<number> {
  const settings = settingsOf(file, conventions, readLimits);
  if (!settings.ok) return 0;
  const { conv, limits } = settings.value;
  const bytes = await bytesAhead(file, limits);
  const src = bytes && sourceOf(file, bytes);
  if (!src?.ok) return 0;
  const chain = readSource(src.value, conv, limits);
  if (!chain.ok) return 0;
  const prepared: Prepared = { content_hash: src.value.content_hash, chain: chain.value };
  keep(prepared, conv, limits);
  if (await stop()) return 1;
  // Only figures that came out: a failure is reported by the task, naming its own file.
  const figures = figuresOf(chain.value, conv, file);
  if (figures.ok) prepared.figures = figures.value;
  return 2;
}

/** What the pipeline threw: a write our own folder refused (folder-fault.ts), else INTERNAL. */
function internal(file: string, e: unknown, folder?: OwnFolder): Result<never> {
  const fault = folder && folderFault(e, folder, 'the pipeline', file);
  if (fault) return fault;
  if (isDiskFull(e)) return diskFull(file, 'the pipeline', e);
  return err(
    'INTERNAL',
    `${file}: the pipeline failed unexpectedly: ${(e as Error)?.message ?? String(e)}`,
    { file },
  );
}

export async function runPipeline(input: RunPipelineInput): Promise<Result<PipelineOutput>> {
  const { onProgress } = input;
  const file = nameOf(input);
  const timings: Record<string, number> = {};
  let last = performance.now();
  const lap = (stage: string, fraction: number): void => {
    const now = performance.now();
    timings[stage] = now - last;
    last = now;
    onProgress?.(fraction, stage);
  };
  const begin = last;
  // A run that fails or is abandoned between two files takes back what it wrote.
  const written: string[] = [];
  const takeBack = (): void => written.forEach((path) => rmSync(path, { force: true }));
  try {
    const settings = settingsOf(file, input.conventions, input.limits);
    if (!settings.ok) return settings;
    const { conv, limits } = settings.value;
    const loaded = await loadChain(input, conv, limits, true);
    if (!loaded.ok) return loaded;
    const chain = ok(loaded.value.chain);
    lap('read', 0.4);
    let figures = loaded.value.figures;
    if (!figures) {
      const computed = figuresOf(chain.value, conv, file, lap);
      if (!computed.ok) return computed;
      figures = computed.value;
    } else {
      lap('gex', 0.6);
      lap('profile', 0.8);
    }
    const { used, gex, profile, zero } = figures;
    const meta = {
      dataDir: input.dataDir,
      snapshotId: input.snapshotId,
      underlying: chain.value.underlying,
      as_of: chain.value.as_of,
      date: used.date,
    };
    const abandoned = async (): Promise<boolean> => {
      if (input.stillWanted === undefined || (await input.stillWanted())) return false;
      takeBack();
      return true;
    };
    const gone = abandonedBy(file);
    if (await abandoned()) return gone;
    const parquet = await writeStrikesParquet(gex.strikes, meta);
    written.push(parquet);
    const snapshot: PipelineSnapshot = {
      id: input.snapshotId,
      underlying: chain.value.underlying,
      as_of: chain.value.as_of,
      spot: chain.value.spot,
      contracts: gex.contracts,
      total_gex: cents(gex.total_gex),
      call_gex: cents(gex.call_gex),
      put_gex: cents(gex.put_gex),
      // A level, at a precision relative to the price (the cent from $1 up).
      zero_gamma: zero === null ? null : roundPrice(zero),
      call_wall: gex.call_wall,
      put_wall: gex.put_wall,
      max_pain: gex.max_pain,
      total_open_interest: gex.total_open_interest,
      total_volume: gex.total_volume,
      quality: { ...used.quality, partial: gex.partial },
      content_hash: loaded.value.content_hash,
      format: chain.value.format,
      source_file: file,
      parquet,
      conventions: conv,
    };
    const measures: SnapshotMeasures = {
      measures_version: MEASURES_VERSION,
      exposures: gex.exposures,
      absolute_gamma_strike: gex.absolute_gamma_strike,
      buckets: gex.buckets,
    };
    if (await abandoned()) return gone;
    const expiriesParquet = await writeExpiriesParquet(gex.expiries, meta);
    written.push(expiriesParquet);
    if (await abandoned()) return gone;
    // Whole ms, as the store keeps it: the row and the store carry the same created_at.
    const createdMs = Date.now();
    const snapshotParquet = await writeSnapshotParquet(
      snapshot,
      measures,
      profile,
      meta,
      createdMs,
    );
    lap('parquet', 0.95);
    timings.total = performance.now() - begin;
    const output: PipelineOutput = {
      snapshot,
      strikesParquet: parquet,
      expiriesParquet,
      snapshotParquet,
      created_ms: createdMs,
      chain_fingerprint: chainFingerprint(chain.value, used.rows, used.quality),
      measures,
      profile,
      timings_ms: timings,
    };
    onProgress?.(1, 'done');
    return ok(output);
  } catch (e) {
    takeBack();
    return internal(file, e, { path: input.dataDir, label: 'the data folder' });
  }
}

/**
 * Parse + GEX totals only: what the priority rules need, without profile or Parquet.
 * With `chainFile`, the parsed chain is left there for the run that follows.
 */
export async function readFacts(
  input: StagedFile | string,
  conventions: GexConventions,
  readLimits?: Partial<ReadLimits>,
): Promise<Result<FileFacts>> {
  const staged = typeof input === 'string' ? { file: input } : input;
  const file = nameOf(staged);
  try {
    const settings = settingsOf(file, conventions, readLimits);
    if (!settings.ok) return settings;
    const { conv, limits } = settings.value;
    const loaded = await loadChain({ ...staged, chainFile: undefined }, conv, limits, false);
    if (!loaded.ok) return loaded;
    const chain = ok(loaded.value.chain);
    if (staged.chainFile) {
      if (staged.stillWanted && !(await staged.stillWanted())) return abandonedBy(file);
      writeChainFile(staged.chainFile, chain.value);
    }
    let gex = loaded.value.figures?.gex;
    if (!gex) {
      const computed = computeGex(chain.value, selectContracts(chain.value, conv), conv, file);
      if (!computed.ok) return computed;
      gex = computed.value;
    }
    return ok({
      format: chain.value.format,
      underlying: chain.value.underlying,
      as_of: chain.value.as_of,
      spot: chain.value.spot,
      total_volume: gex.total_volume,
      total_open_interest: gex.total_open_interest,
      total_gex: cents(gex.total_gex),
      contracts: gex.contracts,
      content_hash: loaded.value.content_hash,
    });
  } catch (e) {
    const chainFolder = staged.chainFile && dirname(staged.chainFile);
    return internal(
      file,
      e,
      chainFolder ? { path: chainFolder, label: 'the staging folder' } : undefined,
    );
  }
}
