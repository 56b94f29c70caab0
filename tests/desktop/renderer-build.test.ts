// A build of the UI beside a running `gex-desk serve`: a tab opened on the previous
// build loads its lazily loaded chunks by their old hashed names later, so a build keeps
// the assets it did not write (a 404 there used to blank the view), and only assets no
// build has written for a week go.
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildRenderer,
  buildRendererApart,
  KEEP_OLD_ASSETS_MS,
  pruneOldAssets,
  RENDERER_DIR,
} from '../../electron/host/renderer-build.ts';

const assets = join(RENDERER_DIR, 'assets');

describe('building the UI', () => {
  // First in the file: the bundler is not loaded in this process yet.
  it('builds apart for serve: the bundler’s memory goes with its own process', async () => {
    const before = statSync(join(RENDERER_DIR, 'index.html'), { throwIfNoEntry: false });
    const rss = process.memoryUsage().rss;
    await buildRendererApart(true);
    // In this process, the build took about 0.7 GB that it kept.
    expect(process.memoryUsage().rss - rss).toBeLessThan(150 * 1024 * 1024);
    expect(statSync(join(RENDERER_DIR, 'index.html')).mtimeMs).toBeGreaterThan(
      before?.mtimeMs ?? 0,
    );
  }, 300_000);

  it('keeps the assets of the previous build, and removes those older than a week', async () => {
    await buildRenderer();
    const recent = join(assets, 'RulesView-0ld0ld00.js');
    const ancient = join(assets, 'RulesView-anc1ent0.js');
    writeFileSync(recent, '// an earlier build');
    writeFileSync(ancient, '// a much earlier build');
    const longAgo = new Date(Date.now() - KEEP_OLD_ASSETS_MS - 3600_000);
    utimesSync(ancient, longAgo, longAgo);
    const before = statSync(join(RENDERER_DIR, 'index.html')).mtimeMs;
    try {
      await buildRenderer(true);
      expect(statSync(join(RENDERER_DIR, 'index.html')).mtimeMs).toBeGreaterThan(before);
      expect(existsSync(recent)).toBe(true);
      expect(existsSync(ancient)).toBe(false);
      // What the build wrote is fresh, so nothing of it is pruned now.
      expect(pruneOldAssets()).toEqual([]);
      expect(readdirSync(assets).some((n) => /^index-.*\.js$/.test(n))).toBe(true);
    } finally {
      pruneOldAssets(Date.now() + 2 * KEEP_OLD_ASSETS_MS);
      await buildRenderer(true);
    }
  }, 300_000);
});
