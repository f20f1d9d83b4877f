/**
 * Exporting a large project as semantic JSONL through the real server (the built dist/server.js,
 * restarted after seeding so its peak memory is the export's): 100,000 passages, one annotation
 * set each with 20 spans and 10 relations. Beside it, in the same run: JSON.stringify of records of
 * the same shape plus a file write (the floor any JSONL export stands on), and the ratio.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { applyPragmas } from '../src/db/client.ts';
import { mulberry32 } from '../../../test-support/prng.ts';
import { importJsonl, memoryMb, startServer } from './server.ts';

const PASSAGES = Number(process.env.BENCH_EXPORT_PASSAGES ?? 100_000);
const SPANS = 20;
const RELATIONS = 10;
const SEGMENT = 30;
const LABELS = ['premise', 'inference', 'conclusion'];

function seed(file: string, projectId: string, userId: string): void {
  const db = new Database(file);
  applyPragmas(db);
  const passages = db.prepare('SELECT id FROM passages WHERE project_id = ? ORDER BY ordinal').all(projectId) as { id: string }[];
  const insertSet = db.prepare(
    `INSERT INTO annotation_sets (id, project_id, passage_id, user_id, status, category, version, created_at, updated_at, submitted_at)
     VALUES (?, ?, ?, ?, 'submitted', 'reasoning', 1, ?, ?, ?)`,
  );
  const insertSpan = db.prepare('INSERT INTO spans (set_id, id, label, start, "end", note) VALUES (?, ?, ?, ?, ?, NULL)');
  const insertRelation = db.prepare('INSERT INTO relations (set_id, id, type, source_id, target_id) VALUES (?, ?, ?, ?, ?)');
  const random = mulberry32(11);
  const now = Date.now();
  db.transaction(() => {
    passages.forEach(({ id: passageId }, p) => {
      const setId = `e${p}`;
      insertSet.run(setId, projectId, passageId, userId, now, now, now);
      for (let s = 0; s < SPANS; s += 1) insertSpan.run(setId, `s${s}`, LABELS[Math.floor(random() * 3)] as string, s * SEGMENT, s * SEGMENT + 20);
      for (let r = 0; r < RELATIONS; r += 1) insertRelation.run(setId, `r${r}`, 'supports', `s${2 * r}`, `s${2 * r + 1}`);
    });
    db.prepare('UPDATE passages SET assigned_count = 1 WHERE project_id = ?').run(projectId);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/**
 * The baseline: records of the export's shape (built beforehand, not timed) through JSON.stringify
 * and a file write, a thousand at a time so the baseline's own memory stays flat.
 */
async function stringifyBaseline(text: string, file: string): Promise<{ ms: number; bytes: number }> {
  const out = createWriteStream(file);
  let ms = 0;
  let bytes = 0;
  for (let at = 0; at < PASSAGES; at += 1000) {
    const records = Array.from({ length: Math.min(1000, PASSAGES - at) }, (_, i) => ({
      format: 'warrant-semantic/0.2',
      id: `p${at + i}`,
      text,
      text_sha256: '0'.repeat(64),
      language: null,
      meta: null,
      annotator: 'bench0',
      status: 'submitted',
      category: 'reasoning',
      skip_reason: null,
      spans: Array.from({ length: SPANS }, (__, s) => ({
        id: `s${s}`,
        label: LABELS[s % 3],
        start: s * SEGMENT,
        end: s * SEGMENT + 20,
        start_utf16: s * SEGMENT,
        end_utf16: s * SEGMENT + 20,
        text: text.slice(s * SEGMENT, s * SEGMENT + 20),
        note: null,
      })),
      relations: Array.from({ length: RELATIONS }, (__, r) => ({ id: `r${r}`, type: 'supports', source: `s${2 * r}`, target: `s${2 * r + 1}` })),
      chains: [],
      provenance: { project_id: 'x', project: 'export bench', scheme_version: 1, passage_id: `p${at + i}`, annotation_set_id: `e${at + i}`, version: 1, updated_at: new Date().toISOString(), submitted_at: new Date().toISOString() },
    }));
    const started = performance.now();
    const chunk = records.map((r) => `${JSON.stringify(r)}\n`).join('');
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    ms += performance.now() - started;
  }
  const started = performance.now();
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  ms += performance.now() - started;
  return { ms, bytes };
}

/** `warrant import` as its own process (as a pipeline runs it), timed, with its peak memory. */
async function timedImport(dir: string, projectId: string, file: string): Promise<{ ms: number; peak: number; passages: number }> {
  // The built command (pnpm bench builds first), as a deployment runs it.
  const entry = fileURLToPath(new URL('../dist/warrant.js', import.meta.url));
  const started = performance.now();
  const child = spawn(process.execPath, [entry, 'import', '--db', dir, '--project', projectId, '--format', 'semantic-jsonl', '--mode', 'annotator', '--annotator', 'reimported', file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  let peak = 0;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, memoryMb(child.pid, 'VmHWM'));
    } catch {
      // exited
    }
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(timer);
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`warrant import failed (${code})`);
  return { ms, peak, passages: (JSON.parse(stdout) as { passages: number }).passages };
}

async function main(): Promise<void> {
  let server = await startServer('export');
  const { dir, adminPassword } = server;
  try {
    const admin = await server.login('admin', adminPassword);
    const project = await server.call(admin, 'POST', '/api/projects', { name: 'export bench', annotatorsPerPassage: 1 });
    const added = await server.call(admin, 'POST', `/api/projects/${project.id}/members`, { username: 'bench0', role: 'annotator', createAccount: true });
    // Plain ASCII text (so the baseline's slices equal the export's code-point spans exactly).
    const words = 'Taxes fund roads and roads help trade so taxes help trade ';
    const text = words.repeat(Math.ceil((SPANS * SEGMENT) / words.length)).slice(0, SPANS * SEGMENT);
    for (let at = 0; at < PASSAGES; at += 20_000) {
      const lines = Array.from({ length: Math.min(20_000, PASSAGES - at) }, (_, i) => JSON.stringify({ id: `p${at + i}`, text }));
      await importJsonl(server, admin, project.id, lines.join('\n'));
    }
    await server.stop(true);
    seed(join(dir, 'warrant.sqlite'), project.id, added.member.user.id);
    // A fresh process: its peak memory is the export's, not the import's.
    // BENCH_EXPORT_PROFILE=<folder>: CPU profiles of the exporting server, one per thread (the main
    // thread's, and the export worker's that reads the snapshot and builds part of the lines).
    const profile = process.env.BENCH_EXPORT_PROFILE;
    server = await startServer('export', profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [], { dir, adminPassword });
    const lead = await server.login('admin', adminPassword);
    const before = memoryMb(server.process.pid, 'VmRSS');
    // curl writes the download to a file, as the baseline does: the client costs next to nothing,
    // so the figure is the server's (a JavaScript client counting bytes was the bottleneck).
    const exported = join(dir, 'export.jsonl');
    const started = performance.now();
    execFileSync('curl', ['-sS', '--fail', '-o', exported, '-H', `cookie: ${lead.cookie}`, `${server.base}/api/projects/${project.id}/export?format=jsonl`]);
    const exportMs = performance.now() - started;
    const bytes = statSync(exported).size;
    let records = 0;
    for await (const chunk of createReadStream(exported) as AsyncIterable<Buffer>) {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) records += 1;
    }
    const peak = memoryMb(server.process.pid, 'VmHWM');
    const baseline = await stringifyBaseline(text, join(dir, 'baseline.jsonl'));
    rmSync(join(dir, 'baseline.jsonl'), { force: true });

    const mb = (n: number) => n / 1024 / 1024;
    const exportRate = mb(bytes) / (exportMs / 1000);
    const baselineRate = mb(baseline.bytes) / (baseline.ms / 1000);
    console.log('\nSemantic JSONL export: %s passages, one set each with %d spans and %d relations', PASSAGES.toLocaleString('en-US'), SPANS, RELATIONS);
    console.log('  exported             %s records, %s MB in %s s: %s MB/s (HTTP on loopback into a file, by curl)', records.toLocaleString('en-US'), mb(bytes).toFixed(0), (exportMs / 1000).toFixed(1), exportRate.toFixed(1));
    console.log('  server RSS before    %s MB, peak (VmHWM) %s MB', before.toFixed(0), peak.toFixed(0));
    console.log('Baseline, JSON.stringify of records of the same shape plus a file write, same run:');
    console.log('  %s MB in %s s: %s MB/s', mb(baseline.bytes).toFixed(0), (baseline.ms / 1000).toFixed(1), baselineRate.toFixed(1));
    console.log('Ratio export / baseline throughput: %s', (exportRate / baselineRate).toFixed(2));
    console.log('Target: at least half the baseline and under 300 MB peak -> %s', exportRate >= baselineRate / 2 && peak < 300 ? 'met' : 'NOT met');

    // The same file back in: `warrant import` into a new project of the running studio, as an
    // imported annotator (every passage, span and relation checked against the scheme, then
    // written in one transaction).
    const target = await server.call(lead, 'POST', '/api/projects', { name: 'import bench', annotatorsPerPassage: 1 });
    const imported = await timedImport(dir, target.id, exported);
    rmSync(exported, { force: true });
    console.log('\nImporting that file back (warrant import --format semantic-jsonl --mode annotator, into a new project):');
    console.log('  %s passages and sets in %s s, peak RSS (VmHWM) %s MB', imported.passages.toLocaleString('en-US'), (imported.ms / 1000).toFixed(1), imported.peak.toFixed(0));
    console.log('Target: under 15 s -> %s', imported.ms < 15_000 ? 'met' : 'NOT met');
  } finally {
    await server.stop();
  }
}

await main();
