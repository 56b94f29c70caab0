// The carry-over of a rule draft onto a version activated since it began: the analyst's
// lines and the other version's both kept when they are apart, the lines in conflict named
// when both changed the same (or neighbouring) lines — never one side silently dropped.
import { describe, expect, it } from 'vitest';
import { hunks, mergeLines } from '../../renderer/src/text/line-merge.ts';
import { defaultRulesText } from '../../electron/engine/rules/index.ts';

const lines = (...l: string[]) => l.join('\n');
const base = lines('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');

describe('three-way line merge', () => {
  it('lists one side’s changes as base ranges and their new lines', () => {
    expect(hunks(base, lines('a', 'B', 'c', 'd', 'e', 'f', 'g', 'h', 'i'))).toEqual([
      { from: 1, to: 2, lines: ['B'] },
      { from: 8, to: 8, lines: ['i'] },
    ]);
  });

  it('keeps both sides’ changes when they are apart', () => {
    const ours = lines('a', 'B', 'c', 'd', 'e', 'f', 'g', 'h');
    const theirs = lines('a', 'b', 'c', 'd', 'e', 'F', 'g', 'h', 'tail');
    expect(mergeLines(base, ours, theirs)).toEqual({
      ok: true,
      text: lines('a', 'B', 'c', 'd', 'e', 'F', 'g', 'h', 'tail'),
    });
    // Deletions and insertions too, in either order.
    const cut = lines('a', 'b', 'd', 'e', 'f', 'g', 'h');
    const added = lines('a', 'b', 'c', 'd', 'e', 'f', 'new', 'g', 'h');
    expect(mergeLines(base, cut, added)).toEqual({
      ok: true,
      text: lines('a', 'b', 'd', 'e', 'f', 'new', 'g', 'h'),
    });
    expect(mergeLines(base, added, cut)).toEqual(mergeLines(base, cut, added));
  });

  it('takes a change both sides made identically once', () => {
    const both = lines('a', 'b', 'C', 'd', 'e', 'f', 'g', 'h');
    expect(mergeLines(base, both, both)).toEqual({ ok: true, text: both });
  });

  it('names the lines both sides changed differently, and merges nothing', () => {
    const ours = lines('a', 'b', 'mine', 'd', 'e', 'f', 'g', 'h');
    const theirs = lines('a', 'b', 'yours', 'd', 'e', 'f', 'G', 'h');
    expect(mergeLines(base, ours, theirs)).toEqual({
      ok: false,
      conflicts: [{ line: 3, base: ['c'], ours: ['mine'], theirs: ['yours'] }],
    });
  });

  it('counts changes on neighbouring lines as a conflict', () => {
    const ours = lines('a', 'b', 'C', 'd', 'e', 'f', 'g', 'h');
    const theirs = lines('a', 'b', 'c', 'D', 'e', 'f', 'g', 'h');
    expect(mergeLines(base, ours, theirs)).toEqual({
      ok: false,
      conflicts: [{ line: 3, base: ['c', 'd'], ours: ['C', 'd'], theirs: ['c', 'D'] }],
    });
  });

  it('carries the Rules view’s repro: a real-time edit onto a version with G2 changed', () => {
    const v1 = defaultRulesText();
    const draft = v1.replace('"age_s": { "<": 5 }', '"age_s": { "<": 7 }');
    const v2 = v1.replace(
      '{ "when": { "freshness": { "==": "stale" } }, "level": "LOW" }',
      '{ "when": { "freshness": { "==": "stale" } }, "level": "MEDIUM" }',
    );
    expect(new Set([v1, draft, v2]).size).toBe(3);
    const merged = mergeLines(v1, draft, v2);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.text).toContain('"age_s": { "<": 7 }');
    expect(merged.text).toContain('"freshness": { "==": "stale" } }, "level": "MEDIUM"');
    expect(merged.text.split('\n').length).toBe(v1.split('\n').length);
  });
});
