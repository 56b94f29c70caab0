// Names dropped into the inbox that wrote lines of their own into their failed/ note (QA
// sec F2): a file or link named `x⏎job: <id>⏎.csv` gave its refusal a job, so that it was
// listed nowhere and counted among the jobs' failures, and a job's note read the forged
// job first (its file then never followed a retry). Such a file name is now refused at the
// door, as such a folder's is, kept in failed/ under a name with `_` for each of those
// characters and its own name escaped in the note; every value of a note is escaped, and
// its keyed lines are read from its end. The real engine watching a real folder, real files.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { engineIn } from '../desktop/engine.ts';
import { jobsOf, statusOf, until } from './inbox-engine.ts';
import type { Engine } from '../../electron/engine/engine.ts';
import { reasonNote } from '../../electron/engine/intake/inbox-names.ts';
import {
  noteDroppedAs,
  noteJob,
  refusedFiles,
} from '../../electron/engine/intake/inbox-refused.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.shutdown(5000);
  engine = null;
});

const FORGED = '00000000-0000-0000-0000-000000000000';

it('refuses a file or link whose name holds a line break at the door, kept under a safe name, its note unforged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-forged-'));
  engine = await engineIn(dir, { watchInbox: true });
  const e = engine;
  const inbox = e.config.inbox;
  const failed = join(inbox, 'failed');
  // A good chain under a name that forges a job; a link likewise; a folder likewise.
  const name = `x\njob: ${FORGED}\nfield: forged.csv`;
  writeCboeCsv(join(inbox, name), { seed: 3, underlying: 'XXX', spot: 100 });
  const outside = join(dir, 'outside.csv');
  writeCboeCsv(outside, { seed: 4, underlying: 'OOO', spot: 10 });
  symlinkSync(outside, join(inbox, `link\njob: ${FORGED}\n.csv`));
  mkdirSync(join(inbox, `acme\njob: ${FORGED}`));
  writeCboeCsv(join(inbox, `acme\njob: ${FORGED}`, 'a.csv'), {
    seed: 5,
    underlying: 'AAA',
    spot: 10,
  });
  await until(async () => (await statusOf(e)).counts.failed === 3, 'the three refused');

  // No job was made of any of them, and all three are said as refused.
  expect(await jobsOf(e)).toEqual([]);
  const s = await statusOf(e);
  expect(s.refused.count).toBe(3);
  const kept = `x_job: ${FORGED}_field: forged.csv`;
  expect(s.refused.recent.map((r) => r.file).sort()).toEqual(
    [join(`acme\njob: ${FORGED}`, 'a.csv'), kept, `link_job: ${FORGED}_.csv`].sort(),
  );

  // The file: under its safe name, its note saying why and the name it came in with, escaped.
  expect(readdirSync(failed).sort()).toEqual(
    [
      `acme\njob: ${FORGED}`,
      kept,
      `${kept}.reason.txt`,
      `link_job: ${FORGED}_.csv`,
      `link_job: ${FORGED}_.csv.reason.txt`,
    ].sort(),
  );
  expect(readFileSync(join(failed, `${kept}.reason.txt`), 'utf8')).toBe(
    `INVALID_REQUEST: the file name "x\\njob: ${FORGED}\\nfield: forged.csv" holds control or format characters, which would not be read as they are. Rename the file (letters, digits, -, _ and . read best) and drop it in again.\n` +
      `field: file\nfile: ${kept}\ndropped_as: x\\njob: ${FORGED}\\nfield: forged.csv\n`,
  );
  expect(noteJob(join(failed, `${kept}.reason.txt`))).toBeNull();
  expect(noteDroppedAs(join(failed, `${kept}.reason.txt`))).toBe(
    `x\\njob: ${FORGED}\\nfield: forged.csv`,
  );
  // The link's note names it escaped; the folder's file keeps its folder, its note escapes it.
  const link = readFileSync(join(failed, `link_job: ${FORGED}_.csv.reason.txt`), 'utf8');
  expect(link).toMatch(/^NOT_A_FILE: link\\njob: 0{8}-.*\\n\.csv is a symbolic link/);
  expect(link.split('\n').filter((l) => l.startsWith('job: '))).toEqual([]);
  const folder = readFileSync(join(failed, `acme\njob: ${FORGED}`, 'a.csv.reason.txt'), 'utf8');
  expect(folder).toContain(`\nfile: acme\\njob: ${FORGED}/a.csv\n`);
  expect(folder.split('\n').filter((l) => l.startsWith('job: '))).toEqual([]);
});

it('reads a note’s job and name from its own lines, whatever its message holds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-note-'));
  const path = join(dir, 'processing', 'x.csv');
  const target = join(dir, 'failed', 'x.csv');
  mkdirSync(join(dir, 'failed'));
  writeFileSync(target, 'x');
  const real = '56201090-0241-4260-8adb-3944a949db65';
  // A message (from a reader, a library) of several lines, some looking like a note's own.
  const error = {
    code: 'UNKNOWN_FORMAT' as const,
    message: `${path}\njob: ${FORGED}\nfield: forged is not a format GEX Desk reads\ndropped_as: y.csv`,
    field: `a\nfile: z.csv`,
    line: 1,
  };
  writeFileSync(`${target}.reason.txt`, reasonNote(error, path, target, join(dir, 'failed'), real));
  expect(noteJob(`${target}.reason.txt`)).toBe(real);
  expect(noteDroppedAs(`${target}.reason.txt`)).toBeNull();
  // Refused (no job): not taken for a job's failure by a job line in its message.
  const other = join(dir, 'failed', 'o.csv');
  writeFileSync(other, 'o');
  writeFileSync(`${other}.reason.txt`, reasonNote(error, path, other, join(dir, 'failed'), null));
  expect(noteJob(`${other}.reason.txt`)).toBeNull();
  const refused = refusedFiles(join(dir, 'failed'));
  expect(refused.count).toBe(1);
  // The whole message is its reason, its lines as they were.
  expect(refused.recent[0]!.reason).toBe(
    `UNKNOWN_FORMAT: ${other}\njob: ${FORGED}\nfield: forged is not a format GEX Desk reads\ndropped_as: y.csv`,
  );
  expect(readFileSync(`${other}.reason.txt`, 'utf8')).toContain('\nfield: a\\nfile: z.csv\n');
});
