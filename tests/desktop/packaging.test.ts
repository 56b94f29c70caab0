// What the packaged app is built with, checked without the Electron binary: the
// electron-builder config passes electron-builder's own schema and turns into the fuse
// wire we mean (no Node interpreter, no NODE_OPTIONS, no --inspect, the app only from an
// integrity-checked asar); and the sandboxed preload, bundled as electron-vite bundles
// it (everything inlined but `electron`), stays under 10 KB because it pulls in no zod.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
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

type Association = { ext: string; name?: string; mimeType?: string; role?: string; rank?: string };
interface BuilderConfig {
  productName: string;
  executableName?: string;
  fileAssociations?: Association[];
  linux: { executableName?: string; fileAssociations?: Association[]; category: string };
  mac: { fileAssociations?: Association[] };
  win: { fileAssociations?: Association[] };
}

const packageJson = () =>
  JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
    bin: Record<string, string>;
  };

describe('what the packaged app installs', () => {
  const load = async () => {
    const { getConfig } = require('app-builder-lib/out/util/config/config') as {
      getConfig(dir: string, path: string | null, given: null): Promise<BuilderConfig>;
    };
    return getConfig(ROOT, null, null);
  };
  const FORMATS = ['csv', 'json', 'parquet']; // docs/formats.md

  it("names the window's executable apart from the command line, which scripts find on the PATH", async () => {
    const config = await load();
    require('app-builder-lib');
    const { sanitizeFileName } = require('builder-util/out/filename') as {
      sanitizeFileName(name: string): string;
    };
    // As LinuxPackager names it; its .deb then links /usr/bin/<name> to the app.
    const linuxName = config.linux.executableName ?? config.executableName;
    expect(linuxName).toBeDefined(); // else it is package.json's name, gex-desk
    const executable = sanitizeFileName(linuxName!);
    const templates = resolve(
      dirname(require.resolve('app-builder-lib/package.json')),
      'templates',
    );
    expect(readFileSync(resolve(templates, 'linux/after-install.tpl'), 'utf8')).toContain(
      "ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'",
    );
    expect(Object.keys(packageJson().bin)).toEqual(['gex-desk']);
    expect(executable).toBe('gex-desk-app');
  });

  it('offers the app for the formats it reads on Linux and macOS, as their default nowhere', async () => {
    const config = await load();
    const { LinuxTargetHelper } = require('app-builder-lib/out/targets/LinuxTargetHelper') as {
      LinuxTargetHelper: { prototype: { computeDesktopEntry(o: object): Promise<string> } };
    };
    const linux = config.linux.fileAssociations ?? [];
    const entry = await LinuxTargetHelper.prototype.computeDesktopEntry.call(
      {
        packager: {
          appInfo: { productName: config.productName, sanitizedProductName: config.productName },
          executableName: config.executableName,
          fileAssociations: linux,
          config,
          platformSpecificBuildOptions: config.linux,
          info: { metadata: packageJson() },
        },
        getDescription: () => '',
      },
      config.linux,
    );
    // The .desktop file: files arrive as URIs (%U), and the app is listed for their types.
    expect(entry).toContain('\nExec="/opt/GEX Desk/gex-desk-app" %U\n');
    expect(entry).toContain(
      '\nMimeType=text/csv;application/json;application/vnd.apache.parquet;\n',
    );
    // No description: electron-builder would write it as the comment of text/csv itself.
    expect(linux.map((a) => a.ext)).toEqual(FORMATS);
    expect(linux.every((a) => a.name && a.mimeType && !('description' in a))).toBe(true);
    // macOS: a viewer of them (it never writes them), an alternate to their own programs.
    expect(config.mac.fileAssociations).toEqual(
      FORMATS.map((ext) => expect.objectContaining({ ext, role: 'Viewer', rank: 'Alternate' })),
    );
    // Windows' installer would make the app the default program of every .csv and .json.
    expect(config.fileAssociations).toBeUndefined();
    expect(config.win.fileAssociations).toBeUndefined();
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
