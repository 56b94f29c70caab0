#!/usr/bin/env node
// The `gex-desk` command. Node 22.18+ strips TypeScript types itself, so the CLI runs
// from source with no build step after `npm install`.
import { main } from '../electron/host/cli.ts';

process.exitCode = await main(process.argv.slice(2));
