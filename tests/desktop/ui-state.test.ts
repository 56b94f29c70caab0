// The renderer's state rules that need no browser: the address of each view, the
// job counts every part of the UI shares, the stored settings and rule draft, the
// table's sorting and widths, and the dry run's facts.
import { describe, expect, it } from 'vitest';
import type { ProcessingJob } from '../../shared/domain.ts';
import { SOURCE_LOOKUP_MAX } from '../../shared/api/ingest.ts';
import { formatRoute, HOME, paneOf, panePath, parseHash } from '../../renderer/src/state/route.ts';
import { countJobs, openByLevel } from '../../renderer/src/state/job-counts.ts';
import {
  DEFAULT_SETTINGS,
  readSettings,
  readThresholdPercent,
} from '../../renderer/src/state/settings.ts';
import { draftStore, readDraft } from '../../renderer/src/state/rule-draft.ts';
import { exampleFacts, readDryFacts } from '../../renderer/src/state/dry-run-facts.ts';
import {
  fitColumns,
  gridTemplate,
  nextSort,
  tableWidth,
  sortRows,
  compareBy,
  type Column,
} from '../../renderer/src/components/table/columns.ts';
import {
  factId,
  parseFacts,
  sampleFacts,
  toJsonLines,
} from '../../renderer/src/views/rules/facts.ts';
import { restoreSubmissions } from '../../renderer/src/state/submission-records.ts';
import { diffStats, foldUnchanged, lineDiff } from '../../renderer/src/text/line-diff.ts';

describe('hash routes', () => {
  it('reads every view and its open item from the address, and writes them back', () => {
    const cases = [
      ['#/queue', { ...HOME }],
      ['#/queue/job/j%2F1', { ...HOME, jobId: 'j/1' }],
      ['#/snapshots', { ...HOME, view: 'snapshots' }],
      ['#/snapshots/abc-123', { ...HOME, view: 'snapshots', snapshotId: 'abc-123' }],
      ['#/snapshots/list', { ...HOME, view: 'snapshots', snapshotsPane: 'list' }],
      [
        '#/snapshots/list/abc-123',
        { ...HOME, view: 'snapshots', snapshotsPane: 'list', snapshotId: 'abc-123' },
      ],
      ['#/snapshots/history/SPX', { ...HOME, view: 'snapshots', snapshotsPane: 'history/SPX' }],
      [
        '#/snapshots/history/SPX/abc-123',
        { ...HOME, view: 'snapshots', snapshotsPane: 'history/SPX/abc-123' },
      ],
      ['#/snapshots/compare/a1/b2', { ...HOME, view: 'snapshots', snapshotsPane: 'compare/a1/b2' }],
      ['#/rules', { ...HOME, view: 'rules' }],
      ['#/rules/whatif', { ...HOME, view: 'rules', rulesTab: 'whatif' }],
      ['#/rules/history', { ...HOME, view: 'rules', rulesTab: 'history' }],
      ['#/audit', { ...HOME, view: 'audit' }],
      ['#/audit/req-9', { ...HOME, view: 'audit', auditRequest: 'req-9' }],
      ['#/queue?source=vendor-01', { ...HOME, source: 'vendor-01', queueTab: 'active' }],
      [
        '#/queue?status=failed&source=vendor-01',
        { ...HOME, source: 'vendor-01', queueTab: 'failed' },
      ],
      ['#/queue/job/j1?source=a%2Fb', { ...HOME, jobId: 'j1', source: 'a/b', queueTab: 'active' }],
      ['#/audit?source=csv', { ...HOME, view: 'audit', source: 'csv', auditKinds: [] }],
      [
        '#/audit?kind=source&source=csv',
        { ...HOME, view: 'audit', source: 'csv', auditKinds: ['source'] },
      ],
      [
        '#/audit?kind=source,rules&source=csv',
        { ...HOME, view: 'audit', source: 'csv', auditKinds: ['source', 'rules'] },
      ],
    ] as const;
    for (const [hash, route] of cases) {
      expect(parseHash(hash)).toEqual(route);
      expect(formatRoute(parseHash(hash))).toBe(hash);
    }
  });

  it('reads the underlying of a history as stored: one underlying however it is typed', () => {
    for (const typed of ['spx', 'SPXW', '%5Espx', 'Spx'])
      expect(formatRoute(parseHash(`#/snapshots/history/${typed}/abc-123`))).toBe(
        '#/snapshots/history/SPX/abc-123',
      );
    expect(formatRoute(parseHash('#/snapshots/history/qqq'))).toBe('#/snapshots/history/QQQ');
  });

  it('keeps an underlying with a "/" one argument of its pane (XYZ/WS, not XYZ replaying WS)', () => {
    const pane = panePath('history', 'XYZ/WS');
    expect(pane).toBe('history/XYZ%2FWS');
    expect(paneOf(pane)).toEqual({ kind: 'history', args: ['XYZ/WS'] });
    const open = { ...HOME, view: 'snapshots' as const, snapshotsPane: pane };
    expect(formatRoute(open)).toBe('#/snapshots/history/XYZ%2FWS');
    expect(parseHash('#/snapshots/history/XYZ%2FWS')).toEqual(open);
    const replayed = panePath('history', 'XYZ/WS', 'abc-123');
    expect(paneOf(replayed)).toEqual({ kind: 'history', args: ['XYZ/WS', 'abc-123'] });
    expect(formatRoute({ ...open, snapshotsPane: replayed })).toBe(
      '#/snapshots/history/XYZ%2FWS/abc-123',
    );
    expect(paneOf(parseHash('#/snapshots/history/XYZ%2FWS/abc-123').snapshotsPane)).toEqual({
      kind: 'history',
      args: ['XYZ/WS', 'abc-123'],
    });
    // A class share so written (an address of before, or typed as a vendor spells it) is
    // its OCC root, as the engine stores it: BRKB (shared/underlyings.ts).
    for (const typed of ['BRK%2FB', 'brk.b', 'BRK-B'])
      expect(formatRoute(parseHash(`#/snapshots/history/${typed}`))).toBe(
        '#/snapshots/history/BRKB',
      );
    // Typed in lower case, or with its "/" as `%2f`: the stored underlying, one segment.
    for (const typed of ['xyz%2Fws', 'XYZ%2fWS', '%5Exyz%2Fws'])
      expect(formatRoute(parseHash(`#/snapshots/history/${typed}`))).toBe(
        '#/snapshots/history/XYZ%2FWS',
      );
    // The addresses written before stay as they were: plain underlyings, ids, comparisons.
    expect(paneOf(parseHash('#/snapshots/history/SPX/abc-123').snapshotsPane)).toEqual({
      kind: 'history',
      args: ['SPX', 'abc-123'],
    });
    expect(paneOf(parseHash('#/snapshots/compare/a1/b2').snapshotsPane)).toEqual({
      kind: 'compare',
      args: ['a1', 'b2'],
    });
    expect(panePath('compare', 'a1', 'b2')).toBe('compare/a1/b2');
  });

  it('says the Queue tab and the Audit kinds with a source only', () => {
    expect(parseHash('#/queue?status=failed')).toEqual(HOME);
    expect(parseHash('#/audit?kind=source')).toEqual({ ...HOME, view: 'audit' });
    expect(parseHash('#/queue?status=nowhere&source=a').queueTab).toBe('active');
    expect(formatRoute({ ...HOME, queueTab: 'failed' })).toBe('#/queue');
    expect(formatRoute({ ...HOME, view: 'audit', auditKinds: ['source'] })).toBe('#/audit');
  });

  it('takes an address’s source as written, up to the length a look-up takes', () => {
    // Not read as SourceName: a source an earlier version stored with a control character
    // or a trailing space stays reachable from its link (the chip shows it escaped).
    const odd = 'acme\u202eevil\u0007 ';
    expect(parseHash(`#/audit?source=${encodeURIComponent(odd)}`).source).toBe(odd);
    const longest = 'x'.repeat(SOURCE_LOOKUP_MAX);
    expect(parseHash(`#/audit?source=${longest}`).source).toBe(longest);
    // Longer than audit:list takes: no source's name, nothing filtered nor asked.
    expect(parseHash(`#/audit?source=${longest}x`)).toEqual({ ...HOME, view: 'audit' });
    expect(parseHash(`#/queue?status=failed&source=${longest}x`)).toEqual(HOME);
  });

  it('reads an id copied with spaces around it without them (QA land F3)', () => {
    const id = 'a77283e8-2ca7-49fb-9835-4e84c627454e';
    expect(parseHash(`#/queue/job/${id}%20`).jobId).toBe(id);
    expect(parseHash(`#/audit/%20${id}%0A`).auditRequest).toBe(id);
    expect(parseHash(`#/snapshots/list/%20${id}`).snapshotId).toBe(id);
    expect(formatRoute(parseHash(`#/snapshots/compare/${id}%20/abcd%20`))).toBe(
      `#/snapshots/compare/${id}/abcd`,
    );
  });

  it('lands on the Queue for an empty, unknown or broken address', () => {
    expect(parseHash('')).toEqual(HOME);
    expect(parseHash('#/nowhere')).toEqual(HOME);
    expect(parseHash('#/snapshots/%E0%A4%A')).toEqual({ ...HOME, view: 'snapshots' });
    expect(parseHash('#/rules/nowhere')).toEqual({ ...HOME, view: 'rules' });
  });

  it('writes only the open item of the view on screen', () => {
    expect(formatRoute({ view: 'queue', snapshotId: 's1', jobId: null, auditRequest: 'r1' })).toBe(
      '#/queue',
    );
    expect(
      formatRoute({ view: 'snapshots', snapshotId: 's1', jobId: 'j1', auditRequest: '' }),
    ).toBe('#/snapshots/s1');
    expect(formatRoute({ ...HOME, view: 'audit', auditRequest: 'r1', rulesTab: 'whatif' })).toBe(
      '#/audit/r1',
    );
  });
});

describe('job counts', () => {
  const job = (status: ProcessingJob['status']) => ({ status }) as ProcessingJob;
  it('counts duplicates as completed, a running job whose run is over as storing, and active as queued, running and storing', () => {
    const storing = { status: 'running', run_ended_at: '2026-12-05T09:30:00.000Z' };
    const jobs = [
      storing as ProcessingJob,
      'queued',
      'deciding',
      'running',
      'completed',
      'duplicate',
      'failed',
      'failed',
      'failed',
      'cancelled',
    ].map((s) => (typeof s === 'string' ? job(s as ProcessingJob['status']) : s));
    expect(countJobs(jobs)).toEqual({
      all: 10,
      active: 4,
      queued: 2,
      deciding: 1,
      running: 1,
      storing: 1,
      completed: 2,
      failed: 3,
      cancelled: 1,
    });
  });
});

describe("open jobs by level (the Queue's level cards)", () => {
  const job = (patch: Partial<ProcessingJob>) =>
    ({
      status: 'queued',
      effective_priority: 'LOW',
      late: false,
      submitted_at: '2026-12-06T09:00:00.000Z',
      run_ended_at: null,
      ...patch,
    }) as ProcessingJob;
  it('counts by the level after escalation, deciding as waiting, a finished run as storing, and the oldest arrival waiting', () => {
    const open = openByLevel([
      job({ submitted_at: '2026-12-06T09:00:05.000Z' }),
      job({ status: 'deciding', submitted_at: '2026-12-06T09:00:02.000Z', late: true }),
      job({ status: 'running', submitted_at: '2026-12-06T08:00:00.000Z' }),
      job({ status: 'running', run_ended_at: '2026-12-06T09:00:09.000Z' }),
      job({ priority: 'LOW', effective_priority: 'HIGH', late: true }),
      job({ status: 'completed', effective_priority: 'CRITICAL' }),
      job({ status: 'failed' }),
    ]);
    expect(Object.fromEntries(open)).toEqual({
      LOW: {
        waiting: 2,
        running: 1,
        storing: 1,
        late: 1,
        oldestSubmittedMs: Date.parse('2026-12-06T09:00:02.000Z'),
      },
      HIGH: {
        waiting: 1,
        running: 0,
        storing: 0,
        late: 1,
        oldestSubmittedMs: Date.parse('2026-12-06T09:00:00.000Z'),
      },
    });
  });
});

describe('settings', () => {
  it('reads the quality threshold as typed: 0–100 %, anything else said, never clamped', () => {
    expect(readThresholdPercent('80')).toEqual({ ok: true, share: 0.8 });
    expect(readThresholdPercent(' 0 ')).toEqual({ ok: true, share: 0 });
    expect(readThresholdPercent('100')).toEqual({ ok: true, share: 1 });
    expect(readThresholdPercent('97.5')).toEqual({ ok: true, share: 0.975 });
    for (const t of ['150', '-5', '100.5', '-0.1'])
      expect(readThresholdPercent(t)).toEqual({ ok: false, why: 'range' });
    for (const t of ['', '  ', 'abc', 'Infinity'])
      expect(readThresholdPercent(t)).toEqual({ ok: false, why: 'empty' });
  });

  it('falls back to the defaults for anything unreadable', () => {
    expect(readSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(readSettings('{not json')).toEqual(DEFAULT_SETTINGS);
    expect(readSettings('{"qualityThreshold": 7, "panelCollapsed": "yes"}')).toEqual(
      DEFAULT_SETTINGS,
    );
    expect(readSettings('{"panelCollapsed": false}').panelCollapsed).toBe(false);
    expect(
      readSettings(
        '{"qualityThreshold": 0.5, "panelCollapsed": true, "widths": {"queue": {"file": 200}}}',
      ),
    ).toEqual({
      qualityThreshold: 0.5,
      panelCollapsed: true,
      widths: { queue: { file: 200 } },
    });
  });
});

describe('the rule draft', () => {
  const memory = () => {
    const m = new Map<string, string>();
    return {
      getItem: (k: string) => m.get(k) ?? null,
      setItem: (k: string, v: string) => void m.set(k, v),
      removeItem: (k: string) => void m.delete(k),
      m,
    };
  };

  it('keeps an edit with the version it started from, and forgets it once it equals the active text', () => {
    const mem = memory();
    const drafts = draftStore(mem);
    const active = { version: 3, text: '{"a":1}' };
    drafts.save('{"a":2}', active, new Date('2025-12-02T10:00:00Z'));
    expect(drafts.load()).toEqual({
      text: '{"a":2}',
      base: 3,
      saved_at: '2025-12-02T10:00:00.000Z',
    });
    // Another version activated meanwhile: the draft keeps its own starting point.
    drafts.save('{"a":3}', { version: 4, text: '{"a":9}' }, new Date('2025-12-02T10:05:00Z'));
    expect(drafts.load()).toMatchObject({ text: '{"a":3}', base: 3 });
    // Its changes carried onto version 4: the draft is based on it from now on.
    drafts.rebase(4);
    drafts.save('{"a":4}', { version: 4, text: '{"a":9}' });
    expect(drafts.load()).toMatchObject({ text: '{"a":4}', base: 4 });
    drafts.save('{"a":9}', { version: 4, text: '{"a":9}' });
    expect(drafts.load()).toBeNull();
    drafts.rebase(5);
    expect(drafts.load()).toBeNull();
    expect(readDraft('{"text": 5}')).toBeNull();
  });
});

describe('table columns', () => {
  type R = { name: string; n: number | null };
  const cols: Column<R>[] = [
    {
      id: 'name',
      label: 'Name',
      width: 100,
      flex: true,
      sort: compareBy((r) => r.name),
      cell: (r) => r.name,
    },
    {
      id: 'n',
      label: 'N',
      width: 60,
      min: 40,
      align: 'right',
      optional: 1,
      sort: compareBy((r) => r.n),
      cell: (r) => String(r.n),
    },
    { id: 'x', label: 'X', width: 50, optional: 2, cell: () => '' },
  ];

  it('leaves out optional columns, least needed first, until the rest fit', () => {
    // 100 + 60 + 50 + 2 gaps of 10 + 20 of padding = 250.
    expect(fitColumns(cols, 250).map((c) => c.id)).toEqual(['name', 'n', 'x']);
    expect(fitColumns(cols, 249).map((c) => c.id)).toEqual(['name', 'n']);
    expect(fitColumns(cols, 100).map((c) => c.id)).toEqual(['name']);
    expect(fitColumns(cols, 0).map((c) => c.id)).toEqual(['name', 'n', 'x']);
    expect(fitColumns(cols, 250, { name: 120 }).map((c) => c.id)).toEqual(['name', 'n']);
  });

  it('gives the room of a flexible column left out to the last column shown', () => {
    const wide: Column<R>[] = [
      { id: 'name', label: 'Name', width: 100, cell: (r) => r.name },
      { id: 'when', label: 'When', width: 120, flex: true, optional: 1, cell: () => '' },
      { id: 'n', label: 'N', width: 60, cell: (r) => r.n },
    ];
    const fitted = fitColumns(wide, 200);
    expect(fitted.map((c) => [c.id, c.flex ?? false])).toEqual([
      ['name', false],
      ['n', true],
    ]);
    expect(gridTemplate(fitted)).toBe('100px minmax(60px, 60fr)');
    // Its width set by the analyst, it still takes the room left, from that width up
    // (a fixed 92 px Age left an empty cell after it).
    const sized = fitColumns(wide, 240, { n: 92 });
    expect(sized.map((c) => c.id)).toEqual(['name', 'n']);
    expect(gridTemplate(sized, { n: 92 })).toBe('100px minmax(92px, 92fr)');
    expect(tableWidth(sized, { n: 92 })).toBe(100 + 92 + 10 + 20);
    // All shown: nothing changes.
    expect(fitColumns(wide, 1000).map((c) => c.flex ?? false)).toEqual([false, true, false]);
  });

  it('lays out the widths, a sized flex column keeping its width', () => {
    expect(gridTemplate(cols)).toBe('minmax(100px, 100fr) 60px 50px');
    expect(gridTemplate(cols, { name: 180, n: 10 })).toBe('180px 40px 50px');
  });

  it('sorts stably, nulls last, and cycles a header through both directions and back to none', () => {
    const rows: R[] = [
      { name: 'b', n: 2 },
      { name: 'a', n: null },
      { name: 'c', n: 2 },
      { name: 'd', n: 1 },
    ];
    expect(sortRows(rows, cols, { id: 'n', dir: 'asc' }).map((r) => r.name)).toEqual([
      'd',
      'b',
      'c',
      'a',
    ]);
    expect(sortRows(rows, cols, { id: 'name', dir: 'desc' }).map((r) => r.name)).toEqual([
      'd',
      'c',
      'b',
      'a',
    ]);
    expect(sortRows(rows, cols, null)).toBe(rows);
    expect(sortRows(rows, cols, { id: 'x', dir: 'asc' })).toBe(rows);
    expect(nextSort(null, 'n')).toEqual({ id: 'n', dir: 'asc' });
    expect(nextSort({ id: 'n', dir: 'asc' }, 'n')).toEqual({ id: 'n', dir: 'desc' });
    expect(nextSort({ id: 'n', dir: 'desc' }, 'n')).toBeNull();
    expect(nextSort({ id: 'n', dir: 'desc' }, 'n', 'desc')).toEqual({ id: 'n', dir: 'asc' });
  });
});

describe('dry-run facts', () => {
  it('reads JSON Lines and arrays, names the bad line, and round-trips the examples', () => {
    const rows = sampleFacts(Date.parse('2025-12-02T10:00:00Z'));
    expect(rows).toHaveLength(6);
    expect(rows[0]).toMatchObject({
      id: 'critical',
      as_of: '2025-12-02T09:59:58.000Z',
      now: '2025-12-02T10:00:00.000Z',
    });
    expect(parseFacts(toJsonLines(rows))).toEqual({ facts: rows });
    expect(parseFacts(JSON.stringify(rows))).toEqual({ facts: rows });
    expect(parseFacts('{"a":1}\n{oops}')).toEqual({
      error: "line 2, column 2: expected property name or '}'",
    });
    expect(parseFacts('[1, 2]')).toEqual({ error: expect.stringContaining('one object') });
    expect(parseFacts('  ')).toEqual({ facts: [] });
    expect(factId({ id: 'x' }, 0)).toBe('x');
    expect(factId({}, 2)).toBe('3');
  });

  it("says the box's line and the column in it, not the parser's place in the one line it read", () => {
    const error = (text: string) => (parseFacts(text) as { error: string }).error;
    // QA F3: V8 says "at position 34 (line 1 column 35)" of the second line alone.
    expect(error('{"id":"first"}\n{"id":"second","underlying":"SPX",')).toBe(
      'line 2, column 35: expected double-quoted property name',
    );
    // Blank lines count (the text is not trimmed before its lines are numbered).
    expect(error('\n\n{"id":"x"} y')).toBe(
      'line 3, column 12: unexpected non-whitespace character after JSON',
    );
    // A message without a place: the line only, without the line repeated.
    expect(error('{"id":"x"}\n{"a":tru}')).toBe("line 2: unexpected '}'");
    // One array over several lines: the place in the whole text, after its leading blanks.
    expect(error('  [\n {"a":1},\n {"b":2,}\n]')).toBe(
      'line 3, column 9: expected double-quoted property name',
    );
  });

  it('keeps the facts as left, and reads back nothing unreadable', () => {
    const facts = { ...exampleFacts(Date.parse('2025-12-02T10:00:00Z')), mode: 'json' as const };
    expect(readDryFacts(JSON.stringify({ ...facts, json: '{broken', selected: 9 }))).toEqual({
      ...facts,
      json: '{broken',
      selected: 5,
    });
    expect(readDryFacts(null)).toBeNull();
    expect(readDryFacts('{oops')).toBeNull();
    expect(readDryFacts(JSON.stringify({ ...facts, rows: [1] }))).toBeNull();
    expect(readDryFacts(JSON.stringify({ rows: [], json: '', mode: 'x' }))).toEqual({
      mode: 'form',
      rows: [],
      json: '',
      selected: 0,
    });
  });
});

describe('submissions after a reload', () => {
  it('tells a file cut off mid-way apart from the finished ones', () => {
    const raw = JSON.stringify([
      {
        key: 'a',
        name: 'spx.csv',
        bytes: 1,
        stage: 'uploading',
        upload: 0.3,
        path: null,
        ack: null,
        error: null,
      },
      {
        key: 'b',
        name: 'meta.json',
        bytes: 1,
        stage: 'queued',
        upload: 1,
        path: '/x',
        ack: null,
        error: null,
      },
    ]);
    const [cut, done] = restoreSubmissions(raw);
    expect(cut).toMatchObject({ stage: 'error', error: { code: 'CANCELLED', file: 'spx.csv' } });
    expect(cut!.error!.message).toContain('reloaded');
    expect(done).toMatchObject({ stage: 'queued' });
    expect(restoreSubmissions('nope')).toEqual([]);
  });
});

describe('the rule diff', () => {
  it('finds the changed lines, numbers both sides, and folds what is unchanged', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join('\n');
    const after = ['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h', 'i', 'j', 'k'].join('\n');
    const lines = lineDiff(before, after);
    expect(diffStats(lines)).toEqual({ added: 2, removed: 1 });
    expect(lines.filter((l) => l.kind !== 'same')).toEqual([
      { kind: 'del', text: 'e', a: 5, b: null },
      { kind: 'add', text: 'E', a: null, b: 5 },
      { kind: 'add', text: 'k', a: null, b: 11 },
    ]);
    expect(
      foldUnchanged(lines, 1).map((r) =>
        r.kind === 'skip' ? `…${r.count}` : `${r.kind[0]}${r.text}`,
      ),
    ).toEqual(['…3', 'sd', 'de', 'aE', 'sf', '…3', 'sj', 'ak']);
    expect(diffStats(lineDiff(before, before))).toEqual({ added: 0, removed: 0 });
    expect(foldUnchanged(lineDiff(before, before))).toEqual([{ kind: 'skip', count: 10 }]);
  });

  it('matches moved-around lines by the longest common subsequence', () => {
    const lines = lineDiff('x\na\nb\nc\ny', 'x\nb\nc\na\ny');
    expect(diffStats(lines)).toEqual({ added: 1, removed: 1 });
    expect(lines.filter((l) => l.kind === 'same').map((l) => l.text)).toEqual(['x', 'b', 'c', 'y']);
  });
});
