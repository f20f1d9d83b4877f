import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'api',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    // argon2 hashing and real SQLite files make some tests slower than the 5 s default allows on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
