/**
 * Annotation saves through the real HTTP server on loopback (autocannon), next to raw
 * better-sqlite3 single-row transactions on the same machine in the same run, and their ratio.
 * The server runs as its own process (the built dist/server.js), as in production.
 */
import { readFileSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { applyPragmas } from '../src/db/client.ts';
import { importJsonl, startServer, type Session } from './server.ts';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
// At most 20: every connection is an annotator of the one benchmark passage (20 per passage at most).
const CONNECTIONS = Math.min(20, Number(process.env.BENCH_CONNECTIONS ?? 10));

function rawSqliteBaseline(dir: string, seconds: number): number {
  const db = new Database(join(dir, 'raw.sqlite'));
  applyPragmas(db);
  db.exec('create table spans (set_id text, id text, label text, start integer, "end" integer, note text, primary key (set_id, id))');
  const insert = db.prepare('insert into spans values (?, ?, ?, ?, ?, null)');
  const tx = db.transaction((i: number) => insert.run('set', `s${i}`, 'premise', i, i + 5));
  const until = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < until) {
    tx(n);
    n += 1;
  }
  db.close();
  return n / seconds;
}

async function main(): Promise<void> {
  const server = await startServer('saves', process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []);
  const { call, base: BASE, dir } = server;
  let stopped = false;
  try {
    // One passage, one annotation set per connection (each connection is one annotator).
    const admin = await server.login('admin', server.adminPassword);
    const project = await call(admin, 'POST', '/api/projects', { name: 'bench', annotatorsPerPassage: CONNECTIONS });
    const words = 'Therefore the committee should adopt the proposal, since Поэтому мы должны 😀 ';
    const text = words.repeat(Math.ceil(20_000 / words.length));
    await importJsonl(server, admin, project.id, JSON.stringify({ id: 'long', text }));
    const slots: { session: Session; setId: string; version: number; n: number }[] = [];
    for (let i = 0; i < CONNECTIONS; i += 1) {
      const username = `bench${i}`;
      const { generatedPassword } = await call(admin, 'POST', `/api/projects/${project.id}/members`, {
        username,
        role: 'annotator',
        createAccount: true,
      });
      const session = await server.login(username, generatedPassword);
      const { item } = await call(session, 'POST', `/api/projects/${project.id}/queue/next`);
      slots.push({ session, setId: item.setId, version: 0, n: 0 });
    }
    // Offsets that never split the emoji's surrogate pair: word starts.
    const starts = [...text.matchAll(/\b\w/g)].map((m) => m.index).filter((i) => i + 8 <= text.length);

    const cpuOf = (pid: number | undefined) => {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(stat[11]) + Number(stat[12])) / 100; // utime + stime, in seconds (USER_HZ = 100)
    };
    const serverCpuBefore = cpuOf(server.process.pid);
    const clientCpuBefore = process.cpuUsage();
    let next = 0;
    const result = await autocannon({
      url: BASE,
      connections: CONNECTIONS,
      duration: DURATION_S,
      requests: [
        {
          method: 'POST',
          setupRequest: (req: autocannon.Request, context: { slot?: (typeof slots)[number] }) => {
            context.slot ??= slots[next++ % slots.length];
            const slot = context.slot as (typeof slots)[number];
            slot.n += 1;
            const start = starts[(slot.n * 7919) % starts.length] ?? 0;
            return {
              ...req,
              path: `/api/annotation-sets/${slot.setId}/changes`,
              headers: { 'content-type': 'application/json', cookie: slot.session.cookie, 'x-csrf-token': slot.session.csrf },
              body: JSON.stringify({
                changeId: `b${slot.n}`,
                // Optimistic: a connection sends one request at a time and each success adds one version.
                baseVersion: slot.version++,
                ops: [{ op: 'addSpan', span: { id: `s${slot.n}`, label: 'premise', start, end: start + 5 + (slot.n % 3) } }],
              }),
            };
          },
          onResponse: (status: number, body: string, context: { slot?: (typeof slots)[number] }) => {
            if (status === 409 && context.slot) context.slot.version = JSON.parse(body).error.details.current.version;
            if (status !== 200 && process.env.BENCH_DEBUG) console.error(status, body.slice(0, 300));
          },
        },
      ],
    });
    const saves = result.requests.average;
    const serverCpu = cpuOf(server.process.pid) - serverCpuBefore;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const clientCpuS = (clientCpu.user + clientCpu.system) / 1e6;
    const spans = (await call(admin, 'GET', `/api/annotation-sets/${slots[0]?.setId}`)).spans.length;
    // The raw baseline below writes into the same directory: stop the server, keep the folder.
    await server.stop(true);
    stopped = true;

    const raw = rawSqliteBaseline(dir, Math.min(DURATION_S, 5));
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log('\nAnnotation saves (one addSpan per request, HTTP on loopback, %d connections, %d s):', CONNECTIONS, DURATION_S);
    console.log('  saves/s             %s', fmt(saves));
    console.log('  latency p50 / p99   %s ms / %s ms', result.latency.p50, result.latency.p99);
    // autocannon builds some requests before the answer to the previous one is in, so a
    // connection's optimistic base version can be stale: a 409 (counted here) that the next
    // request recovers from. BENCH_DEBUG=1 prints every non-2xx answer.
    console.log('  non-2xx / errors    %d / %d (409 resyncs of the load generator, not failures)', result.non2xx, result.errors);
    console.log('  spans in one set    %d (after the run)', spans);
    console.log('  CPU: server %s s, load generator %s s, over %d s on %d cores', serverCpu.toFixed(1), clientCpuS.toFixed(1), DURATION_S, cpus().length);
    console.log('  server CPU per save %s ms (saves/s the server could do on one core: %s)', ((serverCpu * 1000) / result.requests.total).toFixed(3), fmt(result.requests.total / serverCpu));
    console.log('Raw better-sqlite3 single-row transactions (same pragmas, same machine):');
    console.log('  transactions/s      %s', fmt(raw));
    console.log('Ratio API saves / raw transactions: %s', (saves / raw).toFixed(3));
    console.log('Target: >= 2,000 saves/s with p99 < 25 ms -> %s', saves >= 2000 && result.latency.p99 < 25 ? 'met' : 'NOT met');
  } finally {
    if (!stopped) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
