#!/usr/bin/env node
// `pnpm warrant ...` from the repository root runs this through tsx.
import { run } from './run.ts';

// pnpm runs scripts in the repository root; paths on the command line are the caller's.
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
process.exitCode = await run(process.argv.slice(2));
