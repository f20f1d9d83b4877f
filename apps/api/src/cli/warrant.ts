#!/usr/bin/env node
// `pnpm warrant ...` from the repository root: the server-free commands of @warrant/cli, plus the
// commands that work on a studio's database (import, export, release), which only the studio has.
import { run } from '@warrant/cli';
import { studioCommands } from './studio-commands.ts';

// pnpm runs scripts in the repository root; paths on the command line are the caller's.
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
process.exitCode = await run(process.argv.slice(2), undefined, studioCommands);
