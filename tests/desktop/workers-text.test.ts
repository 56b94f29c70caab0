// The workers figure in words, in the status bar and `gex-desk queue`: workers also read
// files' facts (a request the rules cannot decide at its arrival waits for that read), and
// during a burst of such files the bar said "0/1 (+1)", nothing busy, with nothing saying
// why the files stayed "deciding". A read on a worker counts as busy, and the files waiting
// for their read are said beside the figure: "reading 1 of 3 files".
import { describe, expect, it } from 'vitest';
import { readsPhrase } from '../../shared/facts-reads.ts';
import { readsFigure, workersFigure } from '../../renderer/src/text/workers.ts';
import { readsText, workersText } from '../../electron/host/cli/listings.ts';

describe('the facts reads in a phrase', () => {
  it('says the files read now of those waiting for their read, and none when none waits', () => {
    expect(readsPhrase(0, 0)).toBeNull();
    expect(readsPhrase(1, 1)).toBe('reading 1 file');
    expect(readsPhrase(3, 3)).toBe('reading 3 files');
    expect(readsPhrase(1, 3)).toBe('reading 1 of 3 files');
    expect(readsPhrase(2, 1_250)).toBe('reading 2 of 1,250 files');
    // None on a worker: a paused queue, a wait for an earlier file of the underlying.
    expect(readsPhrase(0, 3)).toBe('3 files to read');
    expect(readsPhrase(0, 1)).toBe('1 file to read');
    // Statistics a moment apart from the job list never read more than wait.
    expect(readsPhrase(2, 1)).toBe('reading 1 file');
  });
});

describe("the status bar's workers figure", () => {
  const spare = { workers: 2, spare: 1 };
  it('counts a facts read on a worker as busy, the spare apart', () => {
    expect(workersFigure({ ...spare, running: 0, reading: 0 }).text).toBe('0/1 (+1)');
    // The QA case: reads under way, no job running.
    expect(workersFigure({ ...spare, running: 0, reading: 1 }).text).toBe('1/1 (+1)');
    expect(workersFigure({ ...spare, running: 1, reading: 1 }).text).toBe('1/1 (+1 busy)');
    expect(workersFigure({ workers: 4, spare: 2, running: 2, reading: 1 }).text).toBe(
      '2/2 (+2 1 busy)',
    );
    // Never more busy than there are workers.
    expect(workersFigure({ ...spare, running: 2, reading: 3 }).text).toBe('1/1 (+1 busy)');
    expect(workersFigure({ workers: 3, spare: 0, running: 1, reading: 1 }).text).toBe('2/3');
  });

  it('says in its title that workers compute jobs and read facts', () => {
    expect(workersFigure({ ...spare, running: 0, reading: 1 }).title).toBe(
      "Workers computing a job or reading a file's facts now, of the 1 set by --workers (or the workers setting); (+1): the 1 spare kept for CRITICAL work only",
    );
    expect(workersFigure({ workers: 3, spare: 0, running: 0, reading: 0 }).title).toBe(
      "Workers computing a job or reading a file's facts now, of all workers",
    );
  });

  it('says the files waiting for their level beside it, why in the title', () => {
    expect(readsFigure(0, 0)).toBeNull();
    expect(readsFigure(1, 3)).toEqual({
      text: 'reading 1 of 3 files',
      title:
        "3 files wait for their level: a file's facts (open interest, volume, GEX change) are read by a worker before the rules can give its level. 1 being read now; 2 waiting for a worker, or for an earlier file of their underlying to be read first. Their jobs show as deciding in the Queue.",
    });
    expect(readsFigure(1, 1)?.title).toBe(
      "1 file waits for its level: a file's facts (open interest, volume, GEX change) are read by a worker before the rules can give its level. 1 being read now. Its job shows as deciding in the Queue.",
    );
    expect(readsFigure(0, 2)?.title).toMatch(
      /^2 files wait for their level: .*\. 2 waiting for a worker, or for an earlier file of their underlying to be read first\. Their jobs/,
    );
  });
});

describe('`gex-desk queue`: the workers and the facts reads', () => {
  const stats = (busy: number, reading: number, deciding: number) => ({
    workers: 2,
    busy_workers: busy,
    spare_workers: 1,
    totals: {
      queued: 0,
      running: 0,
      storing: 0,
      completed: 0,
      failed: 0,
      deciding,
      reading,
      cancelled: 0,
    },
  });
  it('adds the reads to the workers, and nothing when no file waits for one', () => {
    const quiet = stats(0, 0, 0);
    expect(workersText(quiet) + readsText(quiet)).toBe(
      'workers 0/1 busy (+1 spare for CRITICAL work)',
    );
    const reads = stats(1, 1, 3);
    expect(workersText(reads) + readsText(reads)).toBe(
      "workers 1/1 busy (+1 spare for CRITICAL work), reading 1 of 3 files (a file's facts are read before the rules can give its level)",
    );
    expect(readsText(stats(0, 0, 2))).toBe(
      ", 2 files to read (a file's facts are read before the rules can give its level)",
    );
  });
});
