#!/usr/bin/env node
// Quick start: install, build, migrate (at server start) and run the studio on one port.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { checkNode, installEnv, pnpm, root } from './lib/bootstrap.mjs';

checkNode();
pnpm(['install', '--frozen-lockfile']);
pnpm(['build']);

const server = spawn(process.execPath, [join(root, 'apps', 'api', 'dist', 'server.js')], {
  cwd: root,
  stdio: 'inherit',
  env: { WARRANT_DATA_DIR: join(root, 'data'), ...installEnv() },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
