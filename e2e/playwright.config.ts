import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * One real server per run (the built apps/api serving the built apps/web) on a fresh temporary
 * database. Each test seeds its own users and projects through the API, under unique names.
 *
 * This file is evaluated by the runner and again by every worker: values that must agree (the
 * data directory, the admin password) are created once and handed on through process.env, which
 * the workers inherit.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
}

const SERVER = new URL('../apps/api/dist/server.js', import.meta.url);
const WEB_INDEX = new URL('../apps/web/dist/index.html', import.meta.url);
if (!existsSync(SERVER) || !existsSync(WEB_INDEX)) {
  throw new Error('The built app is missing (apps/api/dist/server.js, apps/web/dist/index.html): run `pnpm build` at the repository root first, or `pnpm test:e2e`, which does.');
}

const randomText = (length: number) => randomBytes(length).toString('base64url').slice(0, length);

process.env.WARRANT_E2E_PORT ??= '3299';
process.env.WARRANT_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'warrant-e2e-'));
process.env.WARRANT_E2E_ADMIN_PASSWORD ??= randomText(24);
process.env.WARRANT_E2E_SESSION_SECRET ??= randomText(48);

const port = process.env.WARRANT_E2E_PORT;
export const baseURL = `http://127.0.0.1:${port}`;
const screenshots = process.env.WARRANT_SCREENSHOTS_DIR;

export default defineConfig({
  testDir: './specs',
  outputDir: './test-results',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : 'list',
  globalTeardown: './fixtures/global-teardown.ts',
  use: {
    baseURL,
    locale: 'en-GB',
    timezoneId: 'UTC',
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'chromium', testIgnore: /screenshots\.spec\.ts/ },
    // Pictures of the key screens for a person to look at: only when asked for, never in the repo.
    ...(screenshots ? [{ name: 'screenshots', testMatch: /screenshots\.spec\.ts/ }] : []),
  ],
  webServer: {
    command: 'node ../apps/api/dist/server.js',
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    env: {
      NODE_ENV: 'production',
      PORT: port,
      HOST: '127.0.0.1',
      WARRANT_DATA_DIR: process.env.WARRANT_E2E_DATA_DIR,
      WARRANT_DEMO: 'false',
      WARRANT_SESSION_SECRET: process.env.WARRANT_E2E_SESSION_SECRET,
      WARRANT_ADMIN_PASSWORD: process.env.WARRANT_E2E_ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
    },
  },
});
