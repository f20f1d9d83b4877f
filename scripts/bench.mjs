#!/usr/bin/env node
// `pnpm bench`: every benchmark in turn. Figures only; benchmarks are never tests.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fail, pnpm, root, run } from './lib/bootstrap.mjs';

pnpm(['build']);
// Saves through the HTTP API against raw SQLite transactions.
pnpm(['--filter', '@warrant/api', 'bench']);
// The lead's agreement report on 10,000 passages x 3 annotators, against reading the same rows.
pnpm(['--filter', '@warrant/api', 'bench:agreement']);
// Exporting 100,000 passages as semantic JSONL, against JSON.stringify plus a file write.
pnpm(['--filter', '@warrant/api', 'bench:export']);
// The editor in headless Chromium on a 200,000-character passage.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) fail(`Chromium not found at ${chromium}: the editor benchmark needs it (apt-get install -y chromium, or set CHROMIUM_PATH).`);
run(process.execPath, [join(root, 'e2e', 'bench', 'editor-bench.mjs')]);
