#!/usr/bin/env node
// The `gex-desk` command. Node 22.18+ strips TypeScript types itself, so the CLI runs
// from source with no build step.
import '../electron/host/cli.ts';
