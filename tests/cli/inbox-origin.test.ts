// `gex-desk inbox` says where its folder came from, by the settings' precedence: the
// config file's "inbox", GEX_DESK_INBOX, or the default beside the database. It said
// "kept in <home>/config.json" for each, even with no config file at all.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InboxStatus } from '../../shared/api.ts';
import { cliHome, runCli } from './run-cli.ts';

describe('where the inbox folder came from', () => {
  it('is the default, the variable or the config file, as it is', async () => {
    const { dir, args } = cliHome();
    const home = mkdtempSync(join(tmpdir(), 'gex-home-'));
    const configFile = join(home, 'config.json');

    // No config file, no variable: the default, beside the database.
    const json = await runCli(['inbox', '--json', ...args], { home });
    expect(json.code, json.stderr).toBe(0);
    expect(InboxStatus.parse(json.lines[0])).toMatchObject({
      dir: join(dir, 'inbox'),
      from: 'default',
      config_file: configFile,
    });
    const text = await runCli(['inbox', ...args], { home });
    expect(text.stdout).toContain(
      `  the default: inbox/ beside the database (\`inbox set\` keeps another in ${configFile})`,
    );
    expect(text.stdout).not.toContain('kept in');

    // The variable, which comes before the config file.
    const named = join(dir, 'from-env');
    const env = { GEX_DESK_INBOX: named };
    writeFileSync(configFile, JSON.stringify({ inbox: join(dir, 'from-config') }));
    const byEnv = await runCli(['inbox', '--json', ...args], { home, env });
    expect(byEnv.lines[0]).toMatchObject({ dir: named, from: 'env' });
    const byEnvText = await runCli(['inbox', ...args], { home, env });
    expect(byEnvText.stdout).toContain(
      `  from GEX_DESK_INBOX (which comes before the config file ${configFile})`,
    );

    // The config file's.
    const byFile = await runCli(['inbox', '--json', ...args], { home });
    expect(byFile.lines[0]).toMatchObject({ dir: join(dir, 'from-config'), from: 'config' });
    const byFileText = await runCli(['inbox', ...args], { home });
    expect(byFileText.stdout).toContain(`  from the config file ${configFile} (its "inbox")`);

    // Chosen: kept in the config file, and said so.
    const chosen = join(dir, 'chosen');
    const set = await runCli(['inbox', 'set', chosen, '--json', ...args], { home });
    expect(set.code, set.stderr).toBe(0);
    expect(set.lines[0]).toMatchObject({ dir: chosen, from: 'config' });
  });
});
