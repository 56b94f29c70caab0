// What the packaged app is built with, checked without the Electron binary: the
// electron-builder config passes electron-builder's own schema and turns into the fuse
// wire we mean (no Node interpreter, no NODE_OPTIONS, no --inspect, the app only from an
// integrity-checked asar); and the sandboxed preload, bundled as electron-vite bundles
// it (everything inlined but `electron`), stays under 10 KB because it pulls in no zod.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, type Rolldown } from 'vite';

const ROOT = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

describe('the electron-builder config', () => {
  it('is valid for electron-builder and sets the fuses and asar integrity', async () => {
    // app-builder-lib's index first: its modules require each other in that order.
    const { PlatformPackager } = require('app-builder-lib') as {
      PlatformPackager: {
        prototype: { generateFuseConfig(f: unknown): Promise<Record<string, unknown>> };
      };
    };
    const { getConfig, validateConfiguration } =
      require('app-builder-lib/out/util/config/config') as {
        getConfig(dir: string, path: string | null, given: null): Promise<Record<string, unknown>>;
        validateConfiguration(config: unknown, logger: unknown): Promise<void>;
      };
    const { DebugLogger } = require('builder-util') as {
      DebugLogger: new (enabled: boolean) => unknown;
    };
    const { FuseV1Options } = (await import(require.resolve('@electron/fuses'))) as {
      FuseV1Options: Record<string, number>;
    };

    const config = await getConfig(ROOT, null, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.asar).toBe(true);
    const wire = await PlatformPackager.prototype.generateFuseConfig.call(
      null,
      config.electronFuses,
    );
    expect(wire[FuseV1Options.RunAsNode!]).toBe(false);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable!]).toBe(false);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments!]).toBe(false);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation!]).toBe(true);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar!]).toBe(true);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges!]).toBe(false);
  });
});

describe('the preload bundle', () => {
  it('is under 10 KB and holds only the preload and the channel names', async () => {
    const out = (await build({
      configFile: false,
      logLevel: 'silent',
      root: ROOT,
      ssr: { noExternal: true },
      build: {
        write: false,
        ssr: true,
        rolldownOptions: {
          input: resolve(ROOT, 'electron/preload/index.ts'),
          external: ['electron'],
          output: { format: 'cjs' },
        },
      },
    })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
    const chunks = (Array.isArray(out) ? out : [out])
      .flatMap((o) => o.output)
      .filter((o) => o.type === 'chunk');
    expect(chunks).toHaveLength(1);
    const chunk = chunks[0] as Rolldown.OutputChunk;
    expect(
      Object.keys(chunk.modules)
        .map((m) => m.slice(ROOT.length + 1))
        .sort(),
    ).toEqual(['electron/preload/index.ts', 'shared/channels.ts']);
    expect(Buffer.byteLength(chunk.code)).toBeLessThan(10 * 1024);
  });
});
