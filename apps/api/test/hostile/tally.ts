import { appendFileSync } from 'node:fs';

/**
 * Cases tried and passed per group, for the suite's own figures (issue 6, "Figures"). A case is
 * one hostile input checked end to end; a test may run many. `summary()` is printed in afterAll;
 * with WARRANT_TALLY_FILE set, each file also appends its rows there as JSON lines, so a run of
 * the whole suite can be added up.
 */
export class Tally {
  private readonly groups = new Map<string, { tried: number; passed: number }>();

  constructor(readonly file: string) {}

  private group(name: string) {
    let group = this.groups.get(name);
    if (!group) {
      group = { tried: 0, passed: 0 };
      this.groups.set(name, group);
    }
    return group;
  }

  /** Runs one case: counted as tried, and as passed only if it returns without throwing. */
  check<T>(group: string, run: () => T): T {
    const g = this.group(group);
    g.tried += 1;
    const result = run();
    if (result instanceof Promise) {
      return result.then((value: unknown) => {
        g.passed += 1;
        return value;
      }) as T;
    }
    g.passed += 1;
    return result;
  }

  rows(): { file: string; group: string; tried: number; passed: number }[] {
    return [...this.groups].map(([group, { tried, passed }]) => ({ file: this.file, group, tried, passed }));
  }

  summary(): string {
    const rows = this.rows();
    const width = Math.max(5, ...rows.map((r) => r.group.length));
    const lines = rows.map((r) => `  ${r.group.padEnd(width)}  ${String(r.passed).padStart(6)} / ${String(r.tried).padEnd(6)}${r.passed === r.tried ? '' : '  FAILED'}`);
    const tried = rows.reduce((n, r) => n + r.tried, 0);
    const passed = rows.reduce((n, r) => n + r.passed, 0);
    return [`hostile tally: ${this.file}`, ...lines, `  ${'total'.padEnd(width)}  ${String(passed).padStart(6)} / ${tried}`].join('\n');
  }

  /** For afterAll: prints the summary (and appends the rows to WARRANT_TALLY_FILE when set). */
  report(): void {
    console.log(this.summary());
    const out = process.env.WARRANT_TALLY_FILE;
    if (out) appendFileSync(out, this.rows().map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
}
