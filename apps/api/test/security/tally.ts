import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/**
 * The suite's own figures (issue 6, "Figures"): every case a security test tries is counted per
 * group, passed or not. Each file prints its groups after its tests and appends them to one
 * JSON-lines file, so a whole run (vitest runs files in several processes) can be summed.
 */
export const TALLY_FILE = join(tmpdir(), 'warrant-security-tally.jsonl');

interface Count {
  tried: number;
  passed: number;
}

const counts = new Map<string, Count>();

function bump(group: string, passed: boolean): void {
  const count = counts.get(group) ?? { tried: 0, passed: 0 };
  count.tried += 1;
  if (passed) count.passed += 1;
  counts.set(group, count);
}

/**
 * Counts one case of `group`: call inside a test; the case passes when `check` does not throw.
 * The error is rethrown, so a failing case still fails its test.
 */
export function tallyCase<T>(group: string, check: () => T): T {
  try {
    const result = check();
    bump(group, true);
    return result;
  } catch (error) {
    bump(group, false);
    throw error;
  }
}

/** Counts the running test as one case of `group`, passed when the test passes. */
export function tallyTest(group: string): void {
  onTestFinished((context) => bump(group, context.task.result?.state === 'pass'));
}

/** Prints this file's groups after its tests and appends them to TALLY_FILE. */
export function printTallyAfterAll(file: string): void {
  afterAll(() => {
    const rows = [...counts].map(([group, c]) => ({ file, group, ...c }));
    for (const row of rows) appendFileSync(TALLY_FILE, `${JSON.stringify({ ...row, at: new Date().toISOString() })}\n`);
    const lines = rows.map((r) => `  ${r.group.padEnd(44)} ${String(r.passed).padStart(5)} / ${String(r.tried).padEnd(5)}${r.passed === r.tried ? '' : '  FAILED'}`);
    console.log(`security tally, ${file} (passed / tried):\n${lines.join('\n')}`);
  });
}
