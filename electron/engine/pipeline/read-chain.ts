// Dispatches a recognised file to its reader: the one entry from bytes to a Chain.
import type { GexConventions } from '../../../shared/domain.ts';
import type { Result } from '../../../shared/result.ts';
import type { Chain } from './chain.ts';
import { readCboeCsv } from './read-cboe-csv.ts';
import { readCboeJson } from './read-cboe-json.ts';
import { readLongCsv, readLongParquet } from './read-long.ts';
import { openSource, type SourceFile } from './source.ts';

export function readSource(src: SourceFile, conv: GexConventions): Result<Chain> {
  switch (src.format) {
    case 'cboe-csv':
      return readCboeCsv(src, conv);
    case 'cboe-json':
      return readCboeJson(src, conv);
    case 'long-csv':
      return readLongCsv(src, conv);
    case 'long-parquet':
      return readLongParquet(src, conv);
  }
}

/** Opens, recognises and reads `file` into a normalised chain. */
export async function readChain(file: string, conv: GexConventions): Promise<Result<Chain & { content_hash: string }>> {
  const src = await openSource(file);
  if (!src.ok) return src;
  const chain = readSource(src.value, conv);
  if (!chain.ok) return chain;
  return { ok: true, value: { ...chain.value, content_hash: src.value.content_hash } };
}
