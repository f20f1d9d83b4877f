/**
 * The lead's agreement report on a large project: 10,000 passages x 3 annotators, 20 spans and 10
 * relations per set, through the real HTTP server (the built dist/server.js, its own process).
 * Beside it, in the same run: reading the same rows with one plain SELECT each (the floor any
 * report stands on), and the ratio. Peak memory is the server's VmHWM from /proc.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { applyPragmas } from '../src/db/client.ts';
import { mulberry32 } from '../../../test-support/prng.ts';
import { importJsonl, memoryMb, startServer } from './server.ts';

const PASSAGES = Number(process.env.BENCH_PASSAGES ?? 10_000);
const ANNOTATORS = 3;
const SPANS = 20;
const RELATIONS = 10;
const LABELS = ['premise', 'inference', 'conclusion'];
const CATEGORIES = ['reasoning', 'knowledge', 'noise'];

const SEGMENT = 30;
const TEXT_LENGTH = SPANS * SEGMENT;

/**
 * Annotation sets straight into the database (the API's own path is measured by the saves
 * benchmark): each annotator marks the same 20 segments with mostly the same labels and
 * boundaries, so agreement is high but not perfect, as in a real project.
 */
function seed(file: string, projectId: string, annotatorIds: string[]): void {
  const db = new Database(file);
  applyPragmas(db);
  const passages = db.prepare('SELECT id FROM passages WHERE project_id = ? ORDER BY ordinal').all(projectId) as { id: string }[];
  const insertSet = db.prepare(
    `INSERT INTO annotation_sets (id, project_id, passage_id, user_id, status, category, version, created_at, updated_at, submitted_at)
     VALUES (?, ?, ?, ?, 'submitted', ?, 1, ?, ?, ?)`,
  );
  const insertSpan = db.prepare('INSERT INTO spans (set_id, id, label, start, "end", note) VALUES (?, ?, ?, ?, ?, NULL)');
  const insertRelation = db.prepare('INSERT INTO relations (set_id, id, type, source_id, target_id) VALUES (?, ?, ?, ?, ?)');
  const random = mulberry32(7);
  const now = Date.now();
  db.transaction(() => {
    passages.forEach(({ id: passageId }, p) => {
      const truthLabels = Array.from({ length: SPANS }, () => LABELS[Math.floor(random() * 3)] as string);
      const truthCategory = CATEGORIES[p % 3] as string;
      annotatorIds.forEach((userId, a) => {
        const setId = `b${p}x${a}`;
        const category = random() < 0.85 ? truthCategory : (CATEGORIES[Math.floor(random() * 3)] as string);
        // Spread over eight weeks, so agreement over time has points.
        const at = now - Math.floor((p / PASSAGES) * 56 * 86_400_000);
        insertSet.run(setId, projectId, passageId, userId, category, at, at, at);
        for (let s = 0; s < SPANS; s += 1) {
          const label = random() < 0.8 ? (truthLabels[s] as string) : (LABELS[Math.floor(random() * 3)] as string);
          const start = s * SEGMENT + (random() < 0.8 ? 0 : Math.floor(random() * 4));
          const end = s * SEGMENT + 20 + (random() < 0.8 ? 0 : Math.floor(random() * 6));
          insertSpan.run(setId, `s${s}`, label, start, end);
        }
        for (let r = 0; r < RELATIONS; r += 1) {
          const source = 2 * r;
          const target = random() < 0.85 ? 2 * r + 1 : (2 * r + 3) % SPANS;
          insertRelation.run(setId, `r${r}`, random() < 0.85 ? 'supports' : 'attacks', `s${source}`, `s${target}`);
        }
      });
    });
    db.prepare('UPDATE passages SET assigned_count = ? WHERE project_id = ?').run(ANNOTATORS, projectId);
  })();
  // As in a database that grew over months: the rows are in the main file, not all in the WAL.
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** The floor: every row the report needs, read with one SELECT each, nothing computed. */
function readRows(file: string, projectId: string): number {
  const db = new Database(file, { readonly: true });
  let rows = 0;
  for (const sql of [
    `SELECT id, passage_id, user_id, category, submitted_at FROM annotation_sets WHERE project_id = ? AND status = 'submitted'`,
    `SELECT sp.set_id, sp.id, sp.label, sp.start, sp."end" FROM annotation_sets s JOIN spans sp ON sp.set_id = s.id WHERE s.project_id = ? AND s.status = 'submitted'`,
    `SELECT r.set_id, r.id, r.type, r.source_id, r.target_id FROM annotation_sets s JOIN relations r ON r.set_id = s.id WHERE s.project_id = ? AND s.status = 'submitted'`,
  ]) {
    for (const row of db.prepare(sql).raw(true).iterate(projectId)) if (row) rows += 1;
  }
  db.close();
  return rows;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, performance.now() - started];
}

async function main(): Promise<void> {
  const server = await startServer('agreement');
  const call = server.call;
  let keep = false;
  try {
    const admin = await server.login('admin', server.adminPassword);
    const project = await call(admin, 'POST', '/api/projects', { name: 'agreement bench', annotatorsPerPassage: ANNOTATORS });
    const annotatorIds: string[] = [];
    for (let a = 0; a < ANNOTATORS; a += 1) {
      const added = await call(admin, 'POST', `/api/projects/${project.id}/members`, { username: `bench${a}`, role: 'annotator', createAccount: true });
      annotatorIds.push(added.member.user.id);
    }
    const words = 'Taxes fund roads and Поэтому 😀 ';
    const text = words.repeat(Math.ceil(TEXT_LENGTH / words.length)).slice(0, TEXT_LENGTH);
    const lines = Array.from({ length: PASSAGES }, (_, i) => JSON.stringify({ id: `p${i}`, text: `${text.slice(0, TEXT_LENGTH - 8)}${String(i).padStart(8, '0')}` }));
    await importJsonl(server, admin, project.id, lines.join('\n'));
    const file = join(server.dir, 'warrant.sqlite');
    const [, seedMs] = await timed(async () => seed(file, project.id, annotatorIds));
    const rssBefore = memoryMb(server.process.pid, 'VmRSS');

    const [rows, readMs] = await timed(async () => readRows(file, project.id));
    // While the first report computes, the main thread must keep answering: probe it meanwhile.
    let probing = true;
    const probeLatencies: number[] = [];
    const probe = (async () => {
      while (probing) {
        const [, ms] = await timed(() => call(null, 'GET', '/api/health'));
        probeLatencies.push(ms);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const [report, firstMs] = await timed(() => call(admin, 'GET', `/api/projects/${project.id}/agreement`));
    probing = false;
    await probe;
    const peak = memoryMb(server.process.pid, 'VmHWM');
    const [, againMs] = await timed(() => call(admin, 'GET', `/api/projects/${project.id}/agreement`));
    const [, filteredMs] = await timed(() => call(admin, 'GET', `/api/projects/${project.id}/agreement?labels=premise,conclusion`));
    const [queue, queueMs] = await timed(() => call(admin, 'GET', `/api/projects/${project.id}/agreement/passages?limit=50`));

    const fmt = (ms: number) => `${Math.round(ms).toLocaleString('en-US')} ms`;
    const est = (e: { value: number | null; low: number | null; high: number | null; reason: string | null }) =>
      e.value === null ? `undefined (${e.reason})` : `${e.value.toFixed(3)} [${e.low?.toFixed(3)}, ${e.high?.toFixed(3)}]`;
    console.log('\nAgreement report: %s passages x %d annotators, %d spans and %d relations per set', PASSAGES.toLocaleString('en-US'), ANNOTATORS, SPANS, RELATIONS);
    console.log('  seeded in            %s (%s rows)', fmt(seedMs), rows.toLocaleString('en-US'));
    console.log('  full report, first   %s (server says %s ms computing; includes reading the rows)', fmt(firstMs), report.tookMs);
    console.log('  full report, again   %s (rows cached until a set changes)', fmt(againMs));
    console.log('  two labels only      %s', fmt(filteredMs));
    console.log('  disagreement queue   %s (first page of %d)', fmt(queueMs), queue.total);
    console.log('  health checks meanwhile: %d, slowest %s (the report runs in a worker thread)', probeLatencies.length, fmt(Math.max(...probeLatencies)));
    console.log('  server RSS before    %s MB, peak (VmHWM) %s MB', rssBefore.toFixed(0), peak.toFixed(0));
    console.log('  figures: category alpha %s, unitizing alpha %s, relation alpha %s, exact F1 %s', est(report.category.alpha), est(report.spans.unitizing), est(report.relations.alpha), report.spans.exact.f1?.toFixed(3));
    console.log('Baseline, the same rows read with plain SELECTs (no computation), same run:');
    console.log('  read                 %s', fmt(readMs));
    console.log('Ratio report (first) / plain read: %s', (firstMs / readMs).toFixed(1));
    console.log('Target: under 2 s and under 500 MB on 2 cores -> %s', firstMs < 2000 && peak < 500 ? 'met' : 'NOT met');
    // BENCH_KEEP=1 keeps the seeded database for profiling.
    keep = Boolean(process.env.BENCH_KEEP);
    if (keep) console.log('  kept %s', server.dir);
  } finally {
    await server.stop(keep);
  }
}

await main();
