#!/usr/bin/env node
/**
 * The slow fault tests of issue 6 (not part of `pnpm test`): the built server (apps/api/dist/server.js)
 * runs as its own process on a temporary data directory and is killed, overloaded, cut off and
 * starved of disk, and afterwards the database is opened directly to see what was kept.
 *
 *   pnpm build && node scripts/fault-tests.mjs      (FAULT_SECONDS=10 shortens the writers' run)
 *
 * Groups: kill -9 during an import and during a burst of saves; 20 concurrent writers; an export
 * under saves and a cut download; a full and a read-only disk (a tmpfs, when this runs as root
 * and may mount; otherwise a read-only database file). Prints a tally, exits 1 on any failure.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync, chmodSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';

const SERVER = fileURLToPath(new URL('../apps/api/dist/server.js', import.meta.url));
const DATABASE_FILE = 'warrant.sqlite';
const SECONDS = Number(process.env.FAULT_SECONDS ?? 30);
const WRITERS = 20;
if (!existsSync(SERVER)) {
  console.error('apps/api/dist/server.js is missing: run `pnpm build` first.');
  process.exit(2);
}
const Database = createRequire(new URL('../apps/api/package.json', import.meta.url))('better-sqlite3');

// ---- tally ---------------------------------------------------------------------------------------

const tally = new Map();
const findings = [];
function check(group, name, ok, detail = '') {
  const entry = tally.get(group) ?? { tried: 0, passed: 0 };
  entry.tried += 1;
  if (ok) entry.passed += 1;
  tally.set(group, entry);
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}
const note = (text) => {
  findings.push(text);
  console.log(`  note ${text}`);
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const uid = (prefix) => `${prefix}-${randomBytes(4).toString('hex')}`;

// ---- the server as a process ---------------------------------------------------------------------

let nextPort = 21000 + Math.floor(Math.random() * 20000);
const servers = new Set();
/** One session secret per data directory, so sessions outlive a restart as they would in production. */
const secrets = new Map();

/** Starts dist/server.js on `dir` (a restart when the directory holds a database already). */
async function startServer(dir, adminPassword) {
  const port = nextPort++;
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [SERVER], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      WARRANT_DATA_DIR: dir,
      WARRANT_DEMO: 'false',
      WARRANT_ADMIN_PASSWORD: adminPassword,
      WARRANT_SESSION_SECRET: secrets.get(dir) ?? secrets.set(dir, randomBytes(32).toString('base64url')).get(dir),
      WARRANT_COOKIE_SECURE: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const server = { base, dir, child, adminPassword, stderr: () => stderr };
  servers.add(server);
  child.once('exit', () => servers.delete(server));
  for (let i = 0; i < 200; i += 1) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return server;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${stderr}`);
}

async function kill9(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGKILL');
  await exited;
}

async function stopServer(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000).then(() => server.child.kill('SIGKILL'))]);
  await exited;
}

// ---- a small HTTP client -------------------------------------------------------------------------

/** One request; never throws for an HTTP status: `{ status, body }`, or `{ status: 0, error }` when the connection failed. */
async function call(server, session, method, path, body) {
  try {
    const res = await fetch(`${server.base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { raw: text };
    }
    return { status: res.status, body: json };
  } catch (error) {
    return { status: 0, error: String(error?.cause?.code ?? error?.message ?? error) };
  }
}

async function must(server, session, method, path, body) {
  const res = await call(server, session, method, path, body);
  if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body ?? res.error).slice(0, 400)}`);
  return res.body;
}

async function login(server, username, password) {
  const res = await fetch(`${server.base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrf: (await res.json()).csrfToken };
}

function multipart(filename, content, fields = {}) {
  const boundary = `----fault${randomBytes(8).toString('hex')}`;
  const before = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('');
  const head = Buffer.from(`${before}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/x-ndjson\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { type: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([head, Buffer.from(content), tail]) };
}

async function importJsonl(server, session, projectId, records, filename = 'seed.jsonl') {
  const { type, body } = multipart(filename, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const res = await fetch(`${server.base}/api/projects/${projectId}/imports`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': type },
    body,
  });
  if (!res.ok) throw new Error(`import: ${res.status} ${await res.text()}`);
  return (await res.json()).import;
}

/** An admin session, a project, `annotators` annotators each holding one set (one passage each). */
async function seedProject(server, { annotators, passages, textLength = 4000, name = uid('fault') }) {
  const admin = await login(server, 'admin', server.adminPassword);
  const project = await must(server, admin, 'POST', '/api/projects', { name, annotatorsPerPassage: 1 });
  const word = 'lorem ipsum dolor sit amet consectetur ';
  const texts = Array.from({ length: passages }, (_, i) => `${i} ${word.repeat(Math.ceil(textLength / word.length))}`.slice(0, textLength));
  await importJsonl(server, admin, project.id, texts.map((text, i) => ({ id: `p${i}`, text })));
  const seats = [];
  for (let i = 0; i < annotators; i += 1) {
    const username = uid('ann');
    const password = `Pw-${randomBytes(12).toString('base64url')}`;
    await must(server, admin, 'POST', '/api/users', { username, password, displayName: username });
    await must(server, admin, 'POST', `/api/projects/${project.id}/members`, { username, role: 'annotator' });
    const session = await login(server, username, password);
    const next = await must(server, session, 'POST', `/api/projects/${project.id}/queue/next`);
    if (!next.item) throw new Error(`nothing handed to ${username}`);
    seats.push({ username, password, session, setId: next.item.setId, passageId: next.item.passageId });
  }
  const label = project.scheme.spanLabels[0].key;
  const relation = project.scheme.relationTypes.find((t) => t.target === 'span')?.key;
  return { admin, project, seats, label, relation, textLength };
}

function openDb(dir, options = {}) {
  return new Database(join(dir, DATABASE_FILE), options);
}

function integrity(dir) {
  const db = openDb(dir);
  try {
    return db.pragma('integrity_check', { simple: false }).map((row) => row.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

function freshDir(name) {
  return mkdtempSync(join(tmpdir(), `warrant-fault-${name}-`));
}

// ---- group 1: kill -9 ----------------------------------------------------------------------------

/** Sends a large import over a raw socket so the kill can be timed against its phases. */
function sendImport(server, session, projectId, content, onProgress, fields = {}) {
  const { type, body } = multipart('big.jsonl', content, fields);
  return new Promise((resolve) => {
    const req = httpRequest(
      `${server.base}/api/projects/${projectId}/imports`,
      { method: 'POST', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': type, 'content-length': body.length } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, text }));
        res.on('error', (error) => resolve({ status: 0, error: String(error) }));
      },
    );
    req.on('error', (error) => resolve({ status: 0, error: String(error.code ?? error) }));
    const CHUNK = 256 * 1024;
    let offset = 0;
    const pump = () => {
      while (offset < body.length) {
        const end = Math.min(body.length, offset + CHUNK);
        const more = req.write(body.subarray(offset, end));
        offset = end;
        onProgress(offset / body.length);
        if (!more) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

function walSize(dir) {
  try {
    return statSync(join(dir, `${DATABASE_FILE}-wal`)).size;
  } catch {
    return 0;
  }
}

/**
 * Starts an import (`send`) and kills the server (kill -9) as soon as `when(state)` holds, where
 * `state.walGrowth` is how far the WAL has grown since (`send` may keep more in `state`); when that
 * never happens the server is killed after the answer. Returns the answer and whether it came first.
 */
async function importKilledWhen(server, dir, state, send, when) {
  const wal0 = walSize(dir);
  let killed = false;
  const answer = send();
  const killer = (async () => {
    for (let i = 0; i < 6000 && !killed; i += 1) {
      state.walGrowth = walSize(dir) - wal0;
      if (when(state)) {
        killed = true;
        await kill9(server);
        return;
      }
      await sleep(2);
    }
  })();
  const result = await Promise.race([answer, killer.then(() => answer)]);
  await killer;
  if (!killed) await kill9(server);
  return { result, killed, acknowledged: result.status === 201 };
}

async function killDuringImport() {
  console.log('\n[kill -9 during an import]');
  const G = 'kill -9: import';
  const dir = freshDir('import');
  const adminPassword = randomBytes(18).toString('base64url');
  let server = await startServer(dir, adminPassword);
  const { admin, project } = await seedProject(server, { annotators: 0, passages: 3, textLength: 200 });
  const LINES = 120_000;
  const content = Array.from({ length: LINES }, (_, i) => JSON.stringify({ id: `big-${i}`, text: `Passage ${i}: the quick brown fox jumps over the lazy dog, again and again.`, meta: { n: i } })).join('\n') + '\n';
  const phases = [
    { name: 'half-way through the upload', when: ({ sent }) => sent >= 0.5 },
    { name: 'just after the upload (parsing)', when: ({ sent }) => sent >= 1 },
    { name: 'while the transaction writes (WAL growing)', when: ({ walGrowth }) => walGrowth > 512 * 1024 },
    { name: 'late in the write (WAL grown by 4 MB)', when: ({ walGrowth }) => walGrowth > 4 * 1024 * 1024 },
    // The control: killed only once the import was acknowledged, so it must be there.
    { name: 'right after the 201', when: () => false, afterAnswer: true },
  ];
  let expected = 3;
  for (const phase of phases) {
    const session = await login(server, 'admin', adminPassword);
    const state = { sent: 0, walGrowth: 0 };
    const { killed, acknowledged } = await importKilledWhen(server, dir, state, () => sendImport(server, session, project.id, content, (sent) => (state.sent = sent)), phase.when);
    const ic = integrity(dir);
    check(G, `${phase.name}: integrity_check after kill`, ic === 'ok', ic);
    const db = openDb(dir, { readonly: true });
    const count = db.prepare('SELECT count(*) AS n FROM passages WHERE project_id = ?').get(project.id).n;
    const imports = db.prepare('SELECT i.id, i.passage_count AS claimed, (SELECT count(*) FROM passages p WHERE p.import_id = i.id) AS actual FROM imports i WHERE i.project_id = ?').all(project.id);
    db.close();
    const whole = count === expected || count === expected + LINES;
    const landed = count === expected + LINES;
    check(G, `${phase.name}: import wholly absent or wholly present`, whole && imports.every((i) => i.claimed === i.actual), `${count - expected} of ${LINES} passages; ${landed ? 'present' : 'absent'}${acknowledged ? ' (acknowledged)' : ''}`);
    if (acknowledged) check(G, `${phase.name}: an acknowledged import is there`, landed);
    if (landed) expected += LINES;
    server = await startServer(dir, adminPassword);
    const after = await login(server, 'admin', adminPassword);
    const listed = await must(server, after, 'GET', `/api/projects/${project.id}/passages?limit=1`);
    check(G, `${phase.name}: the restarted server lists the same passages`, listed.total === count, `total ${listed.total}`);
    if (!killed && !phase.afterAnswer) note(`import phase "${phase.name}" was never reached before the import finished`);
  }
  // After all that the server still takes an import.
  const session = await login(server, 'admin', adminPassword);
  const summary = await importJsonl(server, session, project.id, [{ id: 'after-kills', text: 'Still working.' }]).catch((error) => ({ error }));
  check(G, 'an import after the kills is taken', !summary.error && summary.passages === 1);
  void admin;
  await stopServer(server);
  rmSync(dir, { recursive: true, force: true });
}

/** One annotator's stream of saves: each change adds a span (and a relation to the previous one). */
function spanChange(ctx, seat, k, tag) {
  const start = k % (ctx.textLength - 2);
  const ops = [{ op: 'addSpan', span: { id: `${tag}${k}`, label: ctx.label, start, end: start + 1 } }];
  if (k > 0 && ctx.relation) ops.push({ op: 'addRelation', relation: { id: `${tag}r${k}`, type: ctx.relation, source: `${tag}${k}`, target: `${tag}${k - 1}` } });
  return { changeId: uid(`c${k}`), ops };
}

async function killDuringSaves() {
  console.log('\n[kill -9 during a burst of saves]');
  const G = 'kill -9: saves';
  const dir = freshDir('saves');
  const adminPassword = randomBytes(18).toString('base64url');
  let server = await startServer(dir, adminPassword);
  const ctx = await seedProject(server, { annotators: 12, passages: 12, textLength: 3000 });
  const acked = new Map(ctx.seats.map((seat) => [seat.setId, []]));
  const sent = new Map(ctx.seats.map((seat) => [seat.setId, []]));
  const counters = new Map(ctx.seats.map((seat) => [seat.setId, { k: 0, version: 0 }]));
  for (const [round, delay] of [300, 900, 1700].entries()) {
    let running = true;
    const writers = ctx.seats.map(async (seat) => {
      const state = counters.get(seat.setId);
      while (running) {
        const change = spanChange(ctx, seat, state.k, 's');
        sent.get(seat.setId).push(change);
        const res = await call(server, seat.session, 'POST', `/api/annotation-sets/${seat.setId}/changes`, { ...change, baseVersion: state.version });
        if (res.status === 200) {
          acked.get(seat.setId).push({ ...change, version: res.body.version });
          state.version = res.body.version;
          state.k += 1;
        } else {
          if (res.status !== 0) throw new Error(`save answered ${res.status}: ${JSON.stringify(res.body)}`);
          return; // the server is gone: this change is in doubt
        }
      }
    });
    await sleep(delay);
    await kill9(server);
    running = false;
    await Promise.allSettled(writers);
    const ic = integrity(dir);
    check(G, `round ${round + 1} (kill after ${delay} ms): integrity_check`, ic === 'ok', ic);

    server = await startServer(dir, adminPassword);
    let lost = 0;
    let missing = 0;
    let torn = 0;
    let total = 0;
    const db = openDb(dir, { readonly: true });
    const appliedRow = db.prepare('SELECT version FROM applied_changes WHERE set_id = ? AND change_id = ?');
    const spanRow = db.prepare('SELECT 1 FROM spans WHERE set_id = ? AND id = ?');
    for (const seat of ctx.seats) {
      const set = await must(server, seat.session, 'GET', `/api/annotation-sets/${seat.setId}`);
      const ids = new Set(set.spans.map((span) => span.id));
      for (const change of acked.get(seat.setId)) {
        total += 1;
        if (!ids.has(change.ops[0].span.id)) lost += 1;
        const applied = appliedRow.get(seat.setId, change.changeId);
        if (!applied || applied.version !== change.version) missing += 1;
      }
      const last = acked.get(seat.setId).at(-1);
      if (last && set.version < last.version) lost += 1;
      // A change in doubt (sent, never answered) is wholly there or wholly absent.
      for (const change of sent.get(seat.setId)) {
        const applied = appliedRow.get(seat.setId, change.changeId);
        const present = change.ops.filter((op) => op.op === 'addSpan' && spanRow.get(seat.setId, op.span.id)).length;
        if ((applied && present !== 1) || (!applied && present !== 0)) torn += 1;
      }
      // Carry on from what the server holds (a change in doubt may have landed).
      const state = counters.get(seat.setId);
      state.version = set.version;
      state.k = Math.max(state.k, ...set.spans.map((span) => Number(span.id.slice(1)) + 1));
      sent.set(seat.setId, []);
    }
    db.close();
    check(G, `round ${round + 1}: every acknowledged save is there (${total} acknowledged so far)`, lost === 0 && missing === 0, `${lost} lost, ${missing} without their applied record`);
    check(G, `round ${round + 1}: saves in flight at the kill are whole or absent`, torn === 0, `${torn} torn`);
  }
  await stopServer(server);
  rmSync(dir, { recursive: true, force: true });
}

// ---- group 2: concurrent writers -----------------------------------------------------------------

async function concurrentWriters() {
  console.log(`\n[${WRITERS} concurrent writers for ${SECONDS} s]`);
  const G = 'concurrent writers';
  const dir = freshDir('writers');
  const adminPassword = randomBytes(18).toString('base64url');
  const server = await startServer(dir, adminPassword);
  // Two writers per set (an annotator in two tabs), so they also race each other's versions.
  const ctx = await seedProject(server, { annotators: WRITERS / 2, passages: WRITERS / 2, textLength: 20_000 });
  const statuses = new Map();
  const count = (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
  const acked = [];
  let replayMismatch = 0;
  let unexpected = [];
  const deadline = Date.now() + SECONDS * 1000;
  const writers = [];
  for (const seat of ctx.seats) {
    let known = 0;
    for (const tab of ['a', 'b']) {
      writers.push(
        (async () => {
          for (let k = 0; Date.now() < deadline; k += 1) {
            const change = spanChange(ctx, seat, k * 2 + (tab === 'a' ? 0 : 1), `${tab}`);
            // The relation points at this tab's previous span, so it exists whatever the other tab did.
            if (change.ops[1]) change.ops[1].relation.target = `${tab}${(k - 1) * 2 + (tab === 'a' ? 0 : 1)}`;
            if (k === 0) change.ops.length = 1;
            for (let attempt = 0; attempt < 50; attempt += 1) {
              const res = await call(server, seat.session, 'POST', `/api/annotation-sets/${seat.setId}/changes`, { ...change, baseVersion: known });
              count(res.status);
              if (res.status === 200) {
                acked.push({ setId: seat.setId, changeId: change.changeId, ops: change.ops, version: res.body.version, spanId: change.ops[0].span.id });
                known = Math.max(known, res.body.version);
                // Now and then the answer is "lost" and the client sends the same change again.
                if (k % 7 === 3) {
                  const again = await call(server, seat.session, 'POST', `/api/annotation-sets/${seat.setId}/changes`, { ...change, baseVersion: known });
                  count(again.status);
                  if (again.status !== 200 || again.body.replayed !== true || again.body.version !== res.body.version) replayMismatch += 1;
                }
                break;
              }
              if (res.status === 409 && res.body?.error?.code === 'VERSION_CONFLICT') {
                known = res.body.error.details.current.version;
                continue;
              }
              unexpected.push(`${res.status} ${JSON.stringify(res.body ?? res.error).slice(0, 200)}`);
              break;
            }
          }
        })(),
      );
    }
  }
  await Promise.all(writers);
  const summary = [...statuses].map(([s, n]) => `${s}: ${n}`).join(', ');
  console.log(`  answers: ${summary}; ${acked.length} changes acknowledged`);
  check(G, 'no 500s (nor any answer but 200 and 409 VERSION_CONFLICT)', ![...statuses.keys()].some((s) => s >= 500 || s === 0) && unexpected.length === 0, unexpected.slice(0, 3).join(' | '));
  check(G, 'a change sent again is answered as replayed with its first version', replayMismatch === 0, `${replayMismatch} mismatches`);

  const db = openDb(dir, { readonly: true });
  const historyRows = db.prepare("SELECT change_id, entity_id, count(*) AS n FROM history WHERE entity = 'annotation_set' AND change_id IS NOT NULL GROUP BY change_id, entity_id").all();
  const historyOf = new Map(historyRows.map((row) => [`${row.entity_id}|${row.change_id}`, row.n]));
  const appliedOf = new Map(db.prepare('SELECT set_id, change_id, version FROM applied_changes').all().map((row) => [`${row.set_id}|${row.change_id}`, row.version]));
  const spans = new Set(db.prepare('SELECT set_id, id FROM spans').all().map((row) => `${row.set_id}|${row.id}`));
  const versions = new Map(db.prepare('SELECT id, version FROM annotation_sets').all().map((row) => [row.id, row.version]));
  db.close();
  let lostSpan = 0;
  let historyWrong = 0;
  let appliedWrong = 0;
  for (const change of acked) {
    const key = `${change.setId}|${change.changeId}`;
    if (!spans.has(`${change.setId}|${change.spanId}`)) lostSpan += 1;
    if (historyOf.get(key) !== change.ops.length) historyWrong += 1;
    if (appliedOf.get(key) !== change.version) appliedWrong += 1;
  }
  check(G, 'every acknowledged change appears exactly once in history (one row per op)', historyWrong === 0, `${historyWrong} of ${acked.length} wrong`);
  check(G, 'every acknowledged change is applied once, at the version acknowledged', appliedWrong === 0, `${appliedWrong} wrong`);
  check(G, 'no acknowledged span is lost', lostSpan === 0, `${lostSpan} lost`);
  const perSet = new Map();
  for (const change of acked) perSet.set(change.setId, [...(perSet.get(change.setId) ?? []), change.version]);
  let versionProblems = 0;
  for (const [setId, list] of perSet) {
    const sorted = [...list].sort((a, b) => a - b);
    // Versions 1..n, each handed to exactly one change, and the set ends at n.
    if (sorted.some((v, i) => v !== i + 1) || versions.get(setId) !== sorted.length) versionProblems += 1;
  }
  check(G, 'each set’s versions went to one change each, with none skipped', versionProblems === 0, `${versionProblems} sets wrong`);
  const ic = integrity(dir);
  check(G, 'integrity_check after the run', ic === 'ok', ic);
  await stopServer(server);
  rmSync(dir, { recursive: true, force: true });
}

// ---- group 3: exports ----------------------------------------------------------------------------

/** Reads a download's bytes; `cutAfter` destroys the connection after that many bytes. */
function download(server, session, path, { cutAfter, onFirstBytes } = {}) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    let first = true;
    const req = httpRequest(`${server.base}${path}`, { headers: { cookie: session.cookie } }, (res) => {
      res.on('data', (chunk) => {
        chunks.push(chunk);
        size += chunk.length;
        if (first) {
          first = false;
          onFirstBytes?.();
        }
        if (cutAfter !== undefined && size >= cutAfter) {
          req.destroy();
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), complete: false, cut: 'client' });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), complete: res.complete }));
      res.on('aborted', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), complete: false, cut: 'server' }));
      res.on('error', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), complete: false, cut: 'server' }));
    });
    req.on('error', () => resolve({ status: 0, body: Buffer.concat(chunks), complete: false, cut: 'server' }));
    req.end();
  });
}

/** Whether a tar archive holds its two zero end blocks after its last entry. */
function tarHasEnd(tar) {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) return offset + 1024 <= tar.length && tar.subarray(offset, offset + 1024).every((b) => b === 0);
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return false;
}

async function exportsUnderLoad() {
  console.log('\n[an export while annotators save; cut downloads]');
  const G = 'export';
  const dir = freshDir('export');
  const adminPassword = randomBytes(18).toString('base64url');
  let server = await startServer(dir, adminPassword);
  const PAIRS = 4;
  // Annotators' sets on the first passages, thousands of passages after them, gold versions on the
  // last ones: the export reads the two ends of each pair far apart in time.
  const ctx = await seedProject(server, { annotators: PAIRS, passages: PAIRS, textLength: 3000 });
  const admin = ctx.admin;
  const word = 'lorem ipsum dolor sit amet consectetur ';
  await importJsonl(server, admin, ctx.project.id, Array.from({ length: 6000 }, (_, i) => ({ id: `f${i}`, text: `Filler passage ${i}. `.repeat(40) })));
  await importJsonl(server, admin, ctx.project.id, Array.from({ length: PAIRS }, (_, i) => ({ id: `z${i}`, text: `${i} ${word.repeat(80)}`.slice(0, 3000) })));
  const listed = await must(server, admin, 'GET', `/api/projects/${ctx.project.id}/passages?offset=${6000 + PAIRS}&limit=${PAIRS}`);
  const ends = listed.passages.map((passage) => passage.id);
  if (ends.length !== PAIRS) throw new Error(`expected ${PAIRS} end passages, got ${ends.length}`);
  // Each pair's client saves in strict turns: the annotator's set gets change k, then the gold
  // version gets span k; so in any one snapshot the set holds as many spans as the gold or one more.
  let running = true;
  let saves = 0;
  const saveErrors = [];
  const goldSpans = (n) => Array.from({ length: n }, (_, k) => ({ id: `e${k}`, label: ctx.label, start: k, end: k + 1, note: null, sources: [], edited: true }));
  const goldRelations = (n) =>
    ctx.relation ? Array.from({ length: Math.max(0, n - 1) }, (_, i) => ({ id: `er${i + 1}`, type: ctx.relation, source: `e${i + 1}`, target: `e${i}`, sources: [], edited: true })) : [];
  const rounds = ctx.seats.map(() => 0);
  const loops = ctx.seats.map(async (seat, index) => {
    let setVersion = 0;
    let goldVersion = 0;
    for (let k = 0; running; k += 1) {
      const change = spanChange(ctx, seat, k, 'e');
      const res = await call(server, seat.session, 'POST', `/api/annotation-sets/${seat.setId}/changes`, { ...change, baseVersion: setVersion });
      if (res.status !== 200) return saveErrors.push(`set ${res.status}`);
      setVersion = res.body.version;
      const gold = await call(server, admin, 'PUT', `/api/projects/${ctx.project.id}/passages/${ends[index]}/gold`, {
        baseVersion: goldVersion,
        status: 'in_progress',
        category: null,
        categorySources: [],
        spans: goldSpans(k + 1),
        relations: goldRelations(k + 1),
        note: null,
      });
      if (gold.status !== 200) return saveErrors.push(`gold ${gold.status} ${JSON.stringify(gold.body).slice(0, 200)}`);
      goldVersion = gold.body.version;
      saves += 2;
      rounds[index] = k + 1;
    }
  });
  while (rounds.some((n) => n < 2) && saveErrors.length === 0) await sleep(20);
  const db = openDb(dir, { readonly: true });
  const setCount = db.prepare('SELECT count(*) AS n FROM annotation_sets WHERE project_id = ?').get(ctx.project.id).n;
  const goldCount = db.prepare('SELECT count(*) AS n FROM gold_versions g JOIN passages p ON p.id = g.passage_id WHERE p.project_id = ?').get(ctx.project.id).n;
  db.close();
  const savesBefore = saves;
  const started = Date.now();
  const full = await download(server, admin, `/api/projects/${ctx.project.id}/export?format=jsonl`);
  const took = Date.now() - started;
  const savesDuring = saves - savesBefore;
  running = false;
  await Promise.all(loops);
  check(G, 'saves kept working during the export', saveErrors.length === 0 && savesDuring > 0, `${savesDuring} saves during the ${took} ms export ${saveErrors.slice(0, 2).join(' ')}`);
  const text = full.body.toString('utf8');
  let records = [];
  try {
    records = text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line));
  } catch (error) {
    check(G, 'the export parses', false, String(error));
  }
  check(G, 'the export ends with a complete line', full.complete && text.endsWith('\n'));
  check(G, 'records = annotation sets + gold versions in the database when the export started', records.length === setCount + goldCount, `${records.length} records; ${setCount} sets, ${goldCount} gold`);
  // Internal consistency: spans e0..e(n-1), relations linking each to the one before, version n.
  let inconsistent = 0;
  const counts = new Map();
  for (const record of records) {
    const spanIds = record.spans.map((span) => span.id);
    const n = spanIds.length;
    const expected = new Set(Array.from({ length: n }, (_, k) => `e${k}`));
    const okSpans = spanIds.every((id) => expected.has(id));
    const okRelations = !ctx.relation || (record.relations.length === Math.max(0, n - 1) && record.relations.every((r) => expected.has(r.source) && expected.has(r.target)));
    const okVersion = (record.provenance?.version ?? record.provenance?.gold_version) === n;
    if (!okSpans || !okRelations || !okVersion) {
      inconsistent += 1;
      if (process.env.FAULT_DEBUG) console.log(JSON.stringify({ annotator: record.annotator, provenance: record.provenance, spans: spanIds, relations: record.relations }).slice(0, 600));
    }
    const key = record.annotator === 'gold' ? `gold:${record.provenance?.passage_id}` : record.provenance?.annotation_set_id;
    counts.set(key, n);
  }
  check(G, 'every record is internally consistent (spans, relations and version agree)', inconsistent === 0 && records.length > 0, `${inconsistent} of ${records.length} inconsistent`);
  const pairs = ctx.seats.map((seat, i) => [counts.get(seat.setId), counts.get(`gold:${ends[i]}`)]);
  const torn = pairs.filter(([a, b]) => a === undefined || b === undefined || !(a - b === 0 || a - b === 1)).length;
  check(G, 'one snapshot: each pair saved in turns differs by 0 or 1 (set/gold spans)', torn === 0, `${pairs.map(([a, b]) => `${a}/${b}`).join(' ')}; final rounds ${rounds.join(' ')}`);

  // A cut connection: what the consumer holds is the bytes before the cut (of an export that no longer changes).
  const stable = await download(server, admin, `/api/projects/${ctx.project.id}/export?format=jsonl`);
  const stableText = stable.body.toString('utf8');
  const cutJsonl = async (at, what) => {
    const cut = await download(server, admin, `/api/projects/${ctx.project.id}/export?format=jsonl`, { cutAfter: at });
    const held = cut.body.subarray(0, at).toString('utf8');
    const last = held.slice(held.lastIndexOf('\n', held.length - 2) + 1);
    let lastParses = true;
    try {
      JSON.parse(last);
    } catch {
      lastParses = false;
    }
    return { recognisable: !held.endsWith('\n') || !lastParses, detail: `${what}: kept ${at} bytes, trailing newline ${held.endsWith('\n')}, last line parses ${lastParses}` };
  };
  const mid = await cutJsonl(Math.floor(stable.body.length / 2) | 1, 'cut mid-record');
  check(G, 'a JSONL download cut mid-record is recognisably incomplete', mid.recognisable, mid.detail);
  const boundary = stableText.indexOf('\n', Math.floor(stableText.length / 2)) + 1;
  const onLine = await cutJsonl(Buffer.byteLength(stableText.slice(0, boundary)), 'cut on a line end');
  if (!onLine.recognisable) {
    note(`JSONL export: a cut exactly on a line end leaves a file that looks whole (${onLine.detail}); nothing in the file (no end record, count or Content-Length) tells — only the unfinished chunked transfer does`);
  }
  const again = await download(server, admin, `/api/projects/${ctx.project.id}/export?format=jsonl`);
  check(G, 'after cut downloads the next export is whole', again.complete && again.body.equals(stable.body));

  // brat comes as .tar.gz: a cut archive must fail to gunzip (or lack the tar end blocks).
  const brat = await download(server, admin, `/api/projects/${ctx.project.id}/export?format=brat`);
  let bratWhole = false;
  try {
    bratWhole = tarHasEnd(gunzipSync(brat.body));
  } catch {
    bratWhole = false;
  }
  check(G, 'a whole brat .tar.gz gunzips and ends with the tar end blocks', brat.complete && bratWhole, `${brat.body.length} bytes`);
  for (const fraction of [0.25, 0.5, 0.9]) {
    const at = Math.max(1, Math.floor(brat.body.length * fraction));
    const bratCut = await download(server, admin, `/api/projects/${ctx.project.id}/export?format=brat`, { cutAfter: at });
    let how;
    let detected;
    try {
      detected = !tarHasEnd(gunzipSync(bratCut.body.subarray(0, at)));
      how = detected ? 'gunzip passed but the tar lacks its end blocks' : 'looks whole';
    } catch (error) {
      detected = true;
      how = `gunzip fails: ${error.code ?? error.message}`;
    }
    check(G, `a brat .tar.gz cut at ${fraction * 100}% is recognisably incomplete`, detected, how);
  }

  // The server dies mid-download: the client must see an aborted transfer, never a clean end.
  const died = await download(server, admin, `/api/projects/${ctx.project.id}/export?format=jsonl`, { onFirstBytes: () => void kill9(server) });
  check(G, 'a download whose server is killed ends as an aborted transfer', !died.complete, `${died.body.length} of ~${full.body.length} bytes; HTTP end seen ${died.complete}; ends with newline ${died.body.toString('utf8').endsWith('\n')}`);
  server = await startServer(dir, adminPassword);
  const ic = integrity(dir);
  check(G, 'integrity_check after the export run', ic === 'ok', ic);
  await stopServer(server);
  rmSync(dir, { recursive: true, force: true });
}

// ---- group 4: a full or read-only disk ------------------------------------------------------------

function tryMount(path, sizeMb) {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function storageFaults() {
  console.log('\n[a full and a read-only disk]');
  const G = 'disk';
  const root = freshDir('disk');
  const dir = join(root, 'data');
  mkdirSync(dir);
  const mounted = tryMount(dir, 6);
  const adminPassword = randomBytes(18).toString('base64url');
  let server = null;
  try {
    server = await startServer(dir, adminPassword);
    const ctx = await seedProject(server, { annotators: 1, passages: 1, textLength: 3000 });
    const seat = ctx.seats[0];
    const setPath = `/api/annotation-sets/${seat.setId}`;
    const first = await call(server, seat.session, 'POST', `${setPath}/changes`, { ...spanChange(ctx, seat, 0, 's'), baseVersion: 0 });
    check(G, 'a save before the fault', first.status === 200);
    // A change big enough that its WAL frames cannot fit in what is left.
    const bigChange = (what) => ({
      changeId: uid('big'),
      baseVersion: 1,
      ops: Array.from({ length: 300 }, (_, i) => ({ op: 'addSpan', span: { id: `big${what.replace(/[^a-z]/gi, '')}${i}`, label: ctx.label, start: 100 + i, end: 101 + i, note: 'n'.repeat(4000) } })),
    });
    const expectRefused = async (what) => {
      const before = await must(server, seat.session, 'GET', setPath);
      const res = await call(server, seat.session, 'POST', `${setPath}/changes`, bigChange(what));
      const code = res.body?.error?.code;
      check(G, `${what}: the save is refused with a clear error`, res.status === 503 && code === 'STORAGE_UNAVAILABLE', `${res.status} ${code ?? res.error ?? ''}: ${res.body?.error?.message ?? ''}`);
      const after = await call(server, seat.session, 'GET', setPath);
      check(G, `${what}: nothing half-saved (version and spans unchanged)`, after.status === 200 && after.body.version === before.version && after.body.spans.length === before.spans.length, `version ${before.version} -> ${after.body?.version}, spans ${before.spans.length} -> ${after.body?.spans?.length}`);
      return res;
    };

    if (mounted) {
      // Full: fill the tmpfs until it refuses another byte.
      const fillPath = join(dir, 'filler.bin');
      const fd = openSync(fillPath, 'w');
      const block = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, block);
      } catch {
        // ENOSPC: full
      }
      closeSync(fd);
      await expectRefused('disk full');
      rmSync(fillPath);
      const retry = await call(server, seat.session, 'POST', `${setPath}/changes`, { ...spanChange(ctx, seat, 1, 's'), baseVersion: 1 });
      check(G, 'disk full: once there is room again, the same kind of save works', retry.status === 200, `${retry.status}`);

      // Read-only: Linux will not remount a filesystem read-only while files on it are open for
      // writing, so the server is stopped, the disk made read-only, and the server started on it.
      await stopServer(server);
      execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'ignore' });
      let started = null;
      try {
        started = await startServer(dir, adminPassword);
      } catch (error) {
        // The server names the directory and the cause ("… is not writable"), not only SQLite's code.
        const says = /not writable|read-?only|EROFS|SQLITE_READONLY/i;
        const message = String(error.message).split('\n').find((line) => says.test(line)) ?? String(error.message).slice(0, 300);
        check(G, 'read-only disk at start: the server refuses to start and says why', says.test(String(error.message)) && String(error.message).includes(dir), message.trim());
      }
      if (started) {
        server = started;
        seat.session = await login(server, seat.username, seat.password).catch(() => seat.session);
        await expectRefused('read-only disk');
        await stopServer(server);
      }
      execFileSync('mount', ['-o', 'remount,rw', dir], { stdio: 'ignore' });
      server = await startServer(dir, adminPassword);
      const back = await call(server, seat.session, 'POST', `${setPath}/changes`, { ...spanChange(ctx, seat, 2, 's'), baseVersion: 2 });
      check(G, 'read-only disk: once writable again, saves work', back.status === 200, `${back.status} ${JSON.stringify(back.body).slice(0, 200)}`);
    } else {
      note('not root or mount refused: the disk group makes the database file read-only instead (a weaker test: SQLite may keep its open handle writable)');
      chmodSync(join(dir, DATABASE_FILE), 0o444);
      await expectRefused('read-only database file');
      chmodSync(join(dir, DATABASE_FILE), 0o644);
    }
    await stopServer(server);
    const ic = integrity(dir);
    check(G, 'integrity_check after the storage faults', ic === 'ok', ic);
  } finally {
    if (server) await kill9(server);
    if (mounted) {
      try {
        execFileSync('umount', [dir], { stdio: 'ignore' });
      } catch {
        // left mounted: reported below
        note(`could not unmount ${dir}`);
      }
    }
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * The same for an annotated import large enough to be read on the reader thread (semantic JSONL
 * of 4 MiB and more, as an imported annotator): passages, the account, sets, spans and relations
 * are all there or none of them.
 */
async function killDuringAnnotatedImport() {
  console.log('\n[kill -9 during an annotated import (the reader thread)]');
  const G = 'kill -9: annotated import';
  const dir = freshDir('annotated');
  const adminPassword = randomBytes(18).toString('base64url');
  let server = await startServer(dir, adminPassword);
  const PASSAGES = 5000;
  const SPANS = 20;
  const RELATIONS = 10;
  const LABELS = ['premise', 'inference', 'conclusion'];
  const lines = Array.from({ length: PASSAGES }, (_, i) => {
    const text = `Passage ${i}. `.padEnd(1000, 'Taxes fund roads and roads help trade, so taxes help trade. ');
    const spans = Array.from({ length: SPANS }, (__, k) => {
      const start = k * 40;
      const end = start + 30;
      return { id: `T${k}`, label: LABELS[k % 3], start, end, start_utf16: start, end_utf16: end, text: text.slice(start, end), note: null };
    });
    // premise (T3m) supports inference (T3m+1), as the default scheme wants.
    const relations = Array.from({ length: RELATIONS }, (__, r) => ({ id: `R${r}`, type: 'supports', source: `T${(r % 6) * 3}`, target: `T${(r % 6) * 3 + 1}` }));
    const unique = relations.filter((r, k) => relations.findIndex((q) => q.source === r.source && q.target === r.target) === k);
    return JSON.stringify({
      format: 'warrant-semantic/0.2', id: `a-${i}`, text, text_sha256: createHash('sha256').update(text).digest('hex'), language: null, meta: null,
      annotator: 'model', status: 'submitted', category: 'reasoning', skip_reason: null, spans, relations: unique, chains: [], provenance: null,
    });
  });
  const content = `${lines.join('\n')}\n`;
  check(G, 'the file is large enough for the reader thread (4 MiB)', Buffer.byteLength(content) >= 4 * 1024 * 1024, `${(Buffer.byteLength(content) / 1048576).toFixed(1)} MiB`);
  const relationsPer = JSON.parse(lines[0]).relations.length;
  const phases = [
    { name: 'while the transaction writes (WAL growing)', when: ({ walGrowth }) => walGrowth > 512 * 1024 },
    { name: 'late in the write (WAL grown by 4 MB)', when: ({ walGrowth }) => walGrowth > 4 * 1024 * 1024 },
    { name: 'right after the 201', when: () => false, afterAnswer: true },
  ];
  for (const phase of phases) {
    const session = await login(server, 'admin', adminPassword);
    const project = await must(server, session, 'POST', '/api/projects', { name: uid('annotated'), annotatorsPerPassage: 1 });
    const annotator = uid('model').toLowerCase().slice(0, 30);
    const fields = { format: 'semantic-jsonl', mode: 'annotator', annotator };
    const { result, killed, acknowledged } = await importKilledWhen(server, dir, { walGrowth: 0 }, () => sendImport(server, session, project.id, content, () => {}, fields), phase.when);
    if (phase.afterAnswer) check(G, `${phase.name}: the import was answered 201`, acknowledged, `${result.status} ${(result.text ?? result.error ?? '').slice(0, 200)}`);
    const ic = integrity(dir);
    check(G, `${phase.name}: integrity_check after kill`, ic === 'ok', ic);
    const db = openDb(dir, { readonly: true });
    const n = (sql) => db.prepare(sql).get(project.id).n;
    const found = {
      passages: n('SELECT count(*) AS n FROM passages WHERE project_id = ?'),
      sets: n('SELECT count(*) AS n FROM annotation_sets WHERE project_id = ?'),
      spans: n('SELECT count(*) AS n FROM spans x JOIN annotation_sets s ON s.id = x.set_id WHERE s.project_id = ?'),
      relations: n('SELECT count(*) AS n FROM relations x JOIN annotation_sets s ON s.id = x.set_id WHERE s.project_id = ?'),
      imports: n('SELECT count(*) AS n FROM imports WHERE project_id = ?'),
    };
    const account = db.prepare('SELECT count(*) AS n FROM users WHERE username = ?').get(annotator).n;
    db.close();
    const none = { passages: 0, sets: 0, spans: 0, relations: 0, imports: 0 };
    const all = { passages: PASSAGES, sets: PASSAGES, spans: PASSAGES * SPANS, relations: PASSAGES * relationsPer, imports: 1 };
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    const landed = same(found, all) && account === 1;
    check(G, `${phase.name}: wholly absent or wholly present (passages, account, sets, spans, relations)`, landed || (same(found, none) && account === 0), `${JSON.stringify(found)}, account ${account}; ${landed ? 'present' : 'absent'}${acknowledged ? ' (acknowledged)' : ''}`);
    if (acknowledged) check(G, `${phase.name}: an acknowledged import is there`, landed);
    if (!killed && !phase.afterAnswer) note(`annotated import phase "${phase.name}" was never reached before the import finished`);
    server = await startServer(dir, adminPassword);
  }
  await stopServer(server);
  rmSync(dir, { recursive: true, force: true });
}

// ---- run -----------------------------------------------------------------------------------------

const groups = [killDuringImport, killDuringAnnotatedImport, killDuringSaves, concurrentWriters, exportsUnderLoad, storageFaults];
const only = process.env.FAULT_GROUPS?.split(',');
const started = Date.now();
let crashed = false;
try {
  for (const group of groups) {
    if (only && !only.includes(group.name)) continue;
    try {
      await group();
    } catch (error) {
      crashed = true;
      check(group.name, `${group.name} ran to the end`, false, error.stack ?? String(error));
    }
  }
} finally {
  for (const server of servers) server.child.kill('SIGKILL');
}

console.log(`\nFault tests (${Math.round((Date.now() - started) / 1000)} s)`);
let failed = crashed;
for (const [group, { tried, passed }] of tally) {
  console.log(`  ${group.padEnd(22)} ${passed}/${tried} passed`);
  if (passed !== tried) failed = true;
}
if (findings.length > 0) {
  console.log('Notes:');
  for (const finding of findings) console.log(`  - ${finding}`);
}
process.exit(failed ? 1 : 0);
