// Shared by the quick-start commands: runs on a machine with only Node 20 and npm, so it uses
// nothing but Node's standard library.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
export const PNPM_VERSION = pkg.packageManager.replace(/^pnpm@/, '');

export function fail(message) {
  process.stderr.write(`\n${message}\n`);
  process.exit(1);
}

export function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    fail(`Warrant needs Node.js 20.19 or newer (this is ${process.version}).`);
  }
}

/** The environment for installs: native addons (better-sqlite3) build against Node's own headers when present. */
export function installEnv(env = process.env) {
  const out = { ...env };
  const headers = join(dirname(dirname(process.execPath)), 'include', 'node', 'node.h');
  if (!out.npm_config_nodedir && existsSync(headers)) out.npm_config_nodedir = dirname(dirname(process.execPath));
  return out;
}

/** pnpm at the pinned version: the installed one if it matches, else fetched once through npx. */
export function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
  if (probe.status === 0 && probe.stdout.trim() === PNPM_VERSION) return ['pnpm'];
  return ['npx', '--yes', `pnpm@${PNPM_VERSION}`];
}

export function run(command, args, options = {}) {
  const label = [command, ...args].join(' ');
  process.stdout.write(`\n> ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: installEnv(), ...options });
  if (result.error) fail(`could not run ${label}: ${result.error.message}`);
  if (result.status !== 0) fail(`${label} failed (exit ${result.status ?? result.signal}).`);
}

export function pnpm(args, options = {}) {
  const [command, ...prefix] = pnpmCommand();
  run(command, [...prefix, ...args], options);
}
