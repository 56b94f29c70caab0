// An attached folder's files were read with their underlying as written, so a folder whose
// files said `SP` + U+200B + `X` (forged, or damaged by a conversion) added a second row
// reading "SPX" to the levels board beside this desk's SPX (QA sec2 N6), a name the
// ingest refuses in a file. Such a file is now named among the unreadable ones, with why.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { afterAll, describe, expect, it } from 'vitest';
import { Analytics } from '../../electron/engine/analytics/index.ts';
import { cleanupDirs, ingestTiny, workstation } from './helpers.ts';

afterAll(cleanupDirs);
const NY = 'America/New_York';

const files = (d: string): string[] =>
  readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.parquet') ? [p] : [];
  });

/** Rewrites the underlying column of every file of a data folder, as a forger would. */
function forge(dataDir: string, underlying: string): string[] {
  const rewritten: string[] = [];
  for (const f of files(dataDir)) {
    const df = pl.readParquet(f);
    if (!df.columns.includes('underlying')) continue;
    df.withColumn(pl.lit(underlying).alias('underlying')).writeParquet(f);
    rewritten.push(f);
  }
  return rewritten;
}

describe("an attached folder's underlying", () => {
  for (const [forged, shown] of [
    ['SP\u200bX', 'SP\\u200bX'],
    ['SP\u034fX', 'SP\\u034fX'],
    ['SPX\u3164', 'SPX\\u3164'],
  ] as const) {
    it(`${shown} adds no second SPX: the file is named as unreadable, with why`, async () => {
      const mine = await workstation();
      const own = await ingestTiny(mine, 'SPX', '2024-03-15');
      const theirs = await workstation();
      const meta = await ingestTiny(theirs, 'META', '2024-03-14');
      expect(forge(theirs.dataDir, forged).length).toBeGreaterThan(0);
      const analytics = new Analytics({
        store: mine.store,
        attach: [theirs.dataDir],
        timeZone: NY,
      });

      const levels = await analytics.levels();
      if (!levels.ok) throw new Error(levels.error.message);
      expect(levels.value.rows.map((r) => [r.underlying, r.id])).toEqual([['SPX', own.id]]);
      expect(levels.value.rows.map((r) => r.id)).not.toContain(meta.id);
      expect(levels.value.unreadable).toEqual([
        {
          path: expect.stringContaining(theirs.dataDir),
          message: expect.stringContaining(
            `names the underlying "${shown}", which holds ${shown.slice(shown.indexOf('\\'), shown.indexOf('\\') + 6)}, a control, format or invisible filler character`,
          ),
        },
      ]);
      expect(levels.value.unreadable[0]!.message).not.toContain(forged.replace(/^SP/, ''));

      const history = await analytics.history({ underlying: 'SPX' });
      if (!history.ok) throw new Error(history.error.message);
      expect(history.value.rows.map((p) => p.id)).toEqual([own.id]);
    });
  }

  it('a ticker of its own is read as before', async () => {
    const mine = await workstation();
    const theirs = await workstation();
    const meta = await ingestTiny(theirs, 'META', '2024-03-14');
    const analytics = new Analytics({ store: mine.store, attach: [theirs.dataDir], timeZone: NY });
    const levels = await analytics.levels();
    expect(levels.ok && levels.value.rows.map((r) => [r.underlying, r.id])).toEqual([
      ['META', meta.id],
    ]);
    expect(levels.ok && levels.value.unreadable).toEqual([]);
  });
});
