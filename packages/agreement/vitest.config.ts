import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'agreement', environment: 'node', include: ['test/**/*.test.ts'] },
});
