// Every failure on what a source sent counts against its reliability (G4), whichever check
// refused the content: DUPLICATE_CONTRACT and LINE_TOO_LONG did not (INPUT_ERRORS left
// them out while it held BAD_VALUE and FILE_TOO_LARGE), so a vendor sending such files
// kept 1.00. The real engine, real files; and the classification covers every code.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { engineIn } from '../desktop/engine.ts';
import type { Engine } from '../../electron/engine/engine.ts';
import { ERROR_KINDS, ErrorCode, INPUT_ERRORS } from '../../shared/result.ts';
import { readFileSync } from 'node:fs';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.shutdown(5000);
  engine = null;
});

const HEAD = readFileSync('/work/shared/samples/spx_quotedata_2024-01-07.csv', 'utf8')
  .split('\n')
  .slice(0, 4)
  .join('\n');
const ROW =
  'Fri Jan 19 2024,SPX240119C04600000,10,0,9,11,5,0.1,0.5,0.003,777,4600.00,SPX240119P04600000,10,0,9,11,5,0.1,-0.5,0.002,778';

it('counts DUPLICATE_CONTRACT and LINE_TOO_LONG against the source that sent them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-content-errors-'));
  engine = await engineIn(dir);
  const files = {
    duplicate: [HEAD, ROW, ROW].join('\n') + '\n',
    long: [HEAD, ROW, `${ROW},${'x'.repeat(70_000)}`].join('\n') + '\n',
  };
  const codes: Record<string, string | undefined> = {};
  for (const [name, text] of Object.entries(files)) {
    const file = join(dir, `${name}.csv`);
    writeFileSync(file, text);
    const ack = await engine.handlers['ingest:submit']({ file, source: `vendor-${name}` });
    if (!ack.ok) throw new Error(ack.error.message);
    await engine.drain();
    const job = await engine.handlers['jobs:get']({ id: ack.value.job_id! });
    codes[name] = job.ok ? job.value.job.error?.code : job.error.code;
  }
  expect(codes).toEqual({ duplicate: 'DUPLICATE_CONTRACT', long: 'LINE_TOO_LONG' });
  const sources = await engine.handlers['sources:list']({});
  if (!sources.ok) throw new Error(sources.error.message);
  expect(
    sources.value
      .filter((s) => s.id.startsWith('vendor-'))
      .map((s) => [s.id, s.failed, s.reliability]),
  ).toEqual([
    ['vendor-duplicate', 1, 0],
    ['vendor-long', 1, 0],
  ]);
});

it('counts exactly the content errors: every limit and check on the bytes, nothing else', () => {
  expect([...INPUT_ERRORS].sort()).toEqual(
    ErrorCode.options.filter((c) => ERROR_KINDS[c] === 'content').sort(),
  );
  for (const code of [
    'DUPLICATE_CONTRACT',
    'LINE_TOO_LONG',
    'TOO_MANY_COLUMNS',
    'TOO_MANY_ROWS',
    'FILE_TOO_LARGE',
    'BAD_VALUE',
    'EMPTY_FILE',
  ] as const)
    expect(INPUT_ERRORS.has(code)).toBe(true);
  // A request the rules refuse is rejected, not an ingest (docs/scheduler.md).
  for (const code of [
    'FILE_NOT_FOUND',
    'TIMEOUT',
    'CANCELLED',
    'INTERNAL',
    'CONFLICT',
    'INVALID_FACT',
  ] as const)
    expect(INPUT_ERRORS.has(code)).toBe(false);
});
