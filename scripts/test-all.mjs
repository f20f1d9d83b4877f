#!/usr/bin/env node
// The whole test suite from a fresh clone: install, check, unit + API tests, build, e2e in Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { checkNode, fail, pnpm, run } from './lib/bootstrap.mjs';

checkNode();

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (process.env.CHROMIUM_PATH === undefined && isRoot && hasApt) {
    process.stdout.write(`Chromium not found at ${chromium}: installing Debian's chromium package.\n`);
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } else {
    fail(
      `Chromium not found at ${chromium}. The end-to-end tests drive a real Chromium:\n` +
        `  install Debian's package (sudo apt-get install -y chromium), or\n` +
        `  set CHROMIUM_PATH to a Chromium or Chrome binary.`,
    );
  }
}

pnpm(['install', '--frozen-lockfile']);
pnpm(['lint']);
pnpm(['typecheck']);
pnpm(['test:unit']);
pnpm(['test:e2e']);
process.stdout.write('\nAll checks and tests passed.\n');
