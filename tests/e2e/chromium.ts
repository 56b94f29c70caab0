// Debian's Chromium and the flags it runs headless with here (no sandbox in containers, no
// GPU, nothing reaching the network on its own): shared by the e2e harness and the benches
// that measure the UI, apart from the harness's vitest imports.
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
