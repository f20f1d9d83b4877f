/**
 * What the API benchmarks share: the built server (dist/server.js) started as its own process on
 * a temporary data directory, as in production, and a minimal HTTP client for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Session {
  cookie: string;
  csrf: string;
}

export interface BenchServer {
  base: string;
  dir: string;
  process: ChildProcess;
  adminPassword: string;
  /** Untyped on purpose: benchmarks read a few fields of known answers. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(session: Session | null, method: string, path: string, body?: unknown): Promise<any>;
  login(username: string, password: string): Promise<Session>;
  /** Stops the server; keeps the data directory when `keep` (for profiling). */
  stop(keep?: boolean): Promise<void>;
}

async function waitForHealth(base: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

/** `reuse`: start on an existing data directory (a restart), with the admin password it was made with. */
export async function startServer(name: string, nodeArgs: string[] = [], reuse?: { dir: string; adminPassword: string }): Promise<BenchServer> {
  const port = 3000 + Math.floor(Math.random() * 4000) + 2000;
  const base = `http://127.0.0.1:${port}`;
  const dir = reuse?.dir ?? mkdtempSync(join(tmpdir(), `warrant-bench-${name}-`));
  const adminPassword = reuse?.adminPassword ?? randomBytes(18).toString('base64url');
  const child = spawn(process.execPath, [...nodeArgs, fileURLToPath(new URL('../dist/server.js', import.meta.url))], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      WARRANT_DATA_DIR: dir,
      WARRANT_DEMO: 'false',
      WARRANT_ADMIN_PASSWORD: adminPassword,
      WARRANT_SESSION_SECRET: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = async (keep = false) => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(base);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    base,
    dir,
    process: child,
    adminPassword,
    async call(session, method, path, body) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${(await res.text()).slice(0, 500)}`);
      return res.status === 204 ? null : res.json();
    },
    async login(username, password) {
      const res = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
    },
    stop,
  };
}

/** Uploads JSONL text as a passage import (multipart, one field). */
export async function importJsonl(server: BenchServer, session: Session, projectId: string, jsonl: string): Promise<void> {
  const boundary = 'benchboundary';
  const res = await fetch(`${server.base}/api/projects/${projectId}/imports`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.jsonl"\r\n\r\n${jsonl}\r\n--${boundary}--\r\n`,
  });
  if (!res.ok) throw new Error(`import: ${res.status} ${await res.text()}`);
}

/** A process's figure from /proc/<pid>/status, in MB (VmRSS now, VmHWM its peak). */
export function memoryMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}
