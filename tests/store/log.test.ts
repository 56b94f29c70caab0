// The engine's log file stays bounded: past its size it becomes gex-desk.1.log (older
// ones move up, the oldest beyond the kept number is dropped) and a new file starts;
// every line is whole JSON, and nothing is written twice or lost within what is kept.
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, LOG_KEEP } from '../../electron/engine/log.ts';

describe('the log file', () => {
  it('rotates past its size and keeps a bounded number of old files', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gex-log-'));
    const max = 64 * 1024;
    const log = createLogger(dataDir, 'engine', max);
    const pad = 'x'.repeat(900);
    const lines = 2000; // about 2 MB: many times the limit
    for (let i = 0; i < lines; i++) log.info('test.line', { i, pad });
    const dir = join(dataDir, 'logs');
    expect(readdirSync(dir).sort()).toEqual(
      [
        'gex-desk.log',
        ...Array.from({ length: LOG_KEEP }, (_, k) => `gex-desk.${k + 1}.log`),
      ].sort(),
    );
    const read = (name: string) =>
      readFileSync(join(dir, name), 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { i: number }).i);
    // Oldest kept file first: the numbers run on without a gap or a repeat, to the last line.
    const kept = [
      ...Array.from({ length: LOG_KEEP }, (_, k) => read(`gex-desk.${LOG_KEEP - k}.log`)),
      read('gex-desk.log'),
    ].flat();
    expect(kept.at(-1)).toBe(lines - 1);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => kept[0]! + k));
    for (const name of readdirSync(dir))
      expect(readFileSync(join(dir, name)).length).toBeLessThan(max + max / 4 + 2048);
    expect(existsSync(join(dir, `gex-desk.${LOG_KEEP + 1}.log`))).toBe(false);
  });
});
