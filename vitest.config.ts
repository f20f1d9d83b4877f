import { defineConfig } from 'vitest/config';

// One vitest run over every package; e2e (Playwright) runs separately.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts'],
  },
});
