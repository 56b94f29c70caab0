// Dispatches a recognised file to its reader: the one entry from bytes to a Chain. Every
// chain then passes the checks that do not depend on the format: no contract twice, IV
// as a decimal (not in percent), deltas signed as calls' and puts' are, and the facts sniff gives from the file's ends are the
// chain's (else the file says two things, e.g. a JSON key given twice, and is refused).
import type { GexConventions } from '../../../shared/domain.ts';
import { DEFAULT_READ_LIMITS, ReadLimits } from '../../../shared/limits.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { quoted, type Chain } from './chain.ts';
import { HEAD_BYTES } from './detect-format.ts';
import { deltaSignWrong } from './delta-sign.ts';
import { findDuplicateContract } from './duplicate-contracts.ts';
import { ivInPercent } from './iv-scale.ts';
import { readCboeCsv } from './read-cboe-csv.ts';
import { readCboeJson } from './read-cboe-json.ts';
import { readLongCsv } from './read-long.ts';
import { readLongParquet } from './read-long-parquet.ts';
import { sniffBytes, TAIL_BYTES } from './sniff.ts';
import { openSource, type SourceFile } from './source.ts';

function readFormat(src: SourceFile, conv: GexConventions, limits: ReadLimits): Result<Chain> {
  switch (src.format) {
    case 'cboe-csv':
      return readCboeCsv(src, conv, limits);
    case 'cboe-json':
      return readCboeJson(src, conv, limits);
    case 'long-csv':
      return readLongCsv(src, conv, limits);
    case 'long-parquet':
      return readLongParquet(src, conv, limits);
  }
}

export function readSource(
  src: SourceFile,
  conv: GexConventions,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Result<Chain> {
  const chain = readFormat(src, conv, limits);
  if (!chain.ok) return chain;
  const duplicate = findDuplicateContract(src.file, chain.value);
  if (duplicate) return duplicate;
  const percent = ivInPercent(src.file, chain.value);
  if (percent) return percent;
  const signs = deltaSignWrong(src.file, chain.value);
  if (signs) return signs;
  const disagreement = endsDisagree(src, chain.value, conv, limits);
  if (disagreement) return disagreement;
  return chain;
}

/** BAD_SHAPE when sniff, reading only the file's ends, would give another fact than the chain. */
function endsDisagree(
  src: SourceFile,
  chain: Chain,
  conv: GexConventions,
  limits: ReadLimits,
): Result<never> | null {
  const { file, bytes } = src;
  const sniffed = sniffBytes(
    file,
    bytes.subarray(0, HEAD_BYTES),
    bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES)),
    bytes.length,
    conv,
    limits,
  );
  if (!sniffed.ok) return sniffed;
  for (const key of ['underlying', 'as_of', 'spot'] as const) {
    const early = sniffed.value[key];
    if (early !== null && early !== chain[key]) {
      const [a, b] = [quoted(String(early)), quoted(String(chain[key]))];
      return err(
        'BAD_SHAPE',
        `${file}: its first or last bytes give ${key} ${a} but the whole file gives ${b} (a key given twice, or out of its place?)`,
        { file, field: key },
      );
    }
  }
  return null;
}

/** Limits as given, with defaults; a bad one is a VALIDATION error naming the field. */
export function checkLimits(file: string, given: unknown): Result<ReadLimits> {
  if (given === undefined) return ok(DEFAULT_READ_LIMITS);
  const parsed = ReadLimits.safeParse(given);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const field = `limits.${issue?.path.join('.') ?? ''}`;
  return err('VALIDATION', `${field}: ${issue?.message ?? 'invalid'}`, { file, field });
}

/** Opens, recognises and reads `file` into a normalised chain. */
export async function readChain(
  file: string,
  conv: GexConventions,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<Result<Chain & { content_hash: string }>> {
  const src = await openSource(file, limits);
  if (!src.ok) return src;
  const chain = readSource(src.value, conv, limits);
  if (!chain.ok) return chain;
  return { ok: true, value: { ...chain.value, content_hash: src.value.content_hash } };
}
