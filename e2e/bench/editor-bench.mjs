#!/usr/bin/env node
/* global document, window, innerHeight, KeyboardEvent, requestAnimationFrame -- code inside page.evaluate runs in the browser */
/**
 * Editor benchmark: a passage of 200,000 characters (English and Cyrillic prose, some emoji) with
 * 5,000 spans and 1,000 relations, opened in headless Chromium against the built server.
 * Prints time to interactive, p50/p95 latency of adding a span (key press to painted frame),
 * and JS heap used. Figures, not a test: nothing here passes or fails. BENCH_EDITOR_SHORT_LINES=1
 * puts every sentence on its own line.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const CHARS = Number(process.env.BENCH_EDITOR_CHARS ?? 200_000);
const SPANS = Number(process.env.BENCH_EDITOR_SPANS ?? 5_000);
const RELATIONS = Number(process.env.BENCH_EDITOR_RELATIONS ?? 1_000);
const SAMPLES = Number(process.env.BENCH_EDITOR_SAMPLES ?? 40);
const OPENS = Number(process.env.BENCH_EDITOR_OPENS ?? 3);
const PORT = 4000 + Math.floor(Math.random() * 1000);
const BASE = `http://127.0.0.1:${PORT}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = fileURLToPath(new URL('../../', import.meta.url));

const ENGLISH = [
  'The committee should adopt the proposal, since the costs are small and the benefits are large.',
  'Most residents use the park every week; therefore closing it would harm many people.',
  'Critics argue that the evidence is weak, but the survey covered every district of the city.',
  'If the library stays open later, students who work during the day can finally use it.',
  'This reasoning assumes that demand will not change, which the last decade does not support 📚.',
];
const RUSSIAN = [
  'Поэтому мы должны пересмотреть план, ведь расходы оказались выше ожидаемых.',
  'Большинство жителей пользуются парком каждую неделю, значит, закрывать его нельзя 🌳.',
  'Критики утверждают, что данные слабые, однако опрос охватил все районы города.',
  'Если библиотека будет работать дольше, студенты смогут приходить после работы.',
];

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeText(random) {
  const parts = [];
  let length = 0;
  let sentences = 0;
  while (length < CHARS) {
    const pool = random() < 0.6 ? ENGLISH : RUSSIAN;
    const sentence = pool[Math.floor(random() * pool.length)];
    // BENCH_EDITOR_SHORT_LINES=1: one sentence a line (some 4,000 lines), the hardest case for
    // per-block work; otherwise paragraphs of six sentences.
    const sep = process.env.BENCH_EDITOR_SHORT_LINES ? '\n' : sentences > 0 && sentences % 6 === 0 ? '\n\n' : ' ';
    parts.push(sep, sentence);
    length += sep.length + sentence.length;
    sentences += 1;
  }
  return parts.join('').trimStart().slice(0, CHARS);
}

/** Word spans (start, end) at word boundaries, never repeating a (start, end, label). */
function makeSpans(text, random) {
  const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const labels = ['premise', 'inference', 'conclusion'];
  const seen = new Set();
  const spans = [];
  while (spans.length < SPANS) {
    const i = Math.floor(random() * (words.length - 6));
    const first = words[i];
    const last = words[i + Math.floor(random() * 5)];
    const label = labels[Math.floor(random() * labels.length)];
    const key = `${first.start}:${last.end}:${label}`;
    if (seen.has(key)) continue;
    seen.add(key);
    spans.push({ id: `s${spans.length}`, label, start: first.start, end: last.end });
  }
  return spans;
}

function makeRelations(spans, random) {
  const relations = [];
  const seen = new Set();
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  while (relations.length < RELATIONS) {
    const i = Math.floor(random() * (sorted.length - 10));
    const source = sorted[i];
    const target = sorted[i + 1 + Math.floor(random() * 8)];
    const type = random() < 0.75 ? 'supports' : 'attacks';
    const key = `${source.id}:${target.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    relations.push({ id: `r${relations.length}`, type, source: source.id, target: target.id });
  }
  return relations;
}

async function api(session, method, path, body, headers = {}) {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: {
      ...(typeof body === 'string' || body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

async function login(username, password) {
  const res = await fetch(`${BASE}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0], csrf: (await res.json()).csrfToken };
}

async function waitForHealth() {
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(`${BASE}/api/health`)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  if (!existsSync(join(root, 'apps/api/dist/server.js')) || !existsSync(join(root, 'apps/web/dist/index.html'))) {
    throw new Error('build first: pnpm build');
  }
  const dir = mkdtempSync(join(tmpdir(), 'warrant-editor-bench-'));
  const adminPassword = randomBytes(18).toString('base64url');
  const server = spawn(process.execPath, [join(root, 'apps/api/dist/server.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(PORT),
      HOST: '127.0.0.1',
      WARRANT_DATA_DIR: dir,
      WARRANT_DEMO: 'false',
      WARRANT_ADMIN_PASSWORD: adminPassword,
      WARRANT_SESSION_SECRET: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let browser;
  try {
    await waitForHealth();
    const random = rng(20261129);
    const text = makeText(random);
    const spans = makeSpans(text, random);
    const relations = makeRelations(spans, random);

    const admin = await login('admin', adminPassword);
    const project = await api(admin, 'POST', '/api/projects', { name: 'Editor benchmark', annotatorsPerPassage: 1 });
    const annotatorPassword = randomBytes(18).toString('base64url');
    await api(admin, 'POST', '/api/users', { username: 'bench-annotator', password: annotatorPassword });
    await api(admin, 'POST', `/api/projects/${project.id}/members`, { username: 'bench-annotator', role: 'annotator' });
    const boundary = 'benchboundary';
    await api(
      admin,
      'POST',
      `/api/projects/${project.id}/imports`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="long.jsonl"\r\n\r\n${JSON.stringify({ id: 'long', text })}\r\n--${boundary}--\r\n`,
      { 'content-type': `multipart/form-data; boundary=${boundary}` },
    );
    const annotator = await login('bench-annotator', annotatorPassword);
    const { item } = await api(annotator, 'POST', `/api/projects/${project.id}/queue/next`);
    let version = 0;
    const ops = [
      ...spans.map((span) => ({ op: 'addSpan', span })),
      ...relations.map((relation) => ({ op: 'addRelation', relation })),
    ];
    for (let i = 0; i < ops.length; i += 1000) {
      const answer = await api(annotator, 'POST', `/api/annotation-sets/${item.setId}/changes`, {
        changeId: `seed${i}`,
        baseVersion: version,
        ops: ops.slice(i, i + 1000),
      });
      version = answer.version;
    }

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${BASE}/login`);
    await page.getByLabel(/username/i).fill('bench-annotator');
    await page.getByLabel(/password/i).fill(annotatorPassword);
    await page.getByRole('button', { name: /log in/i }).click();
    await page.waitForURL(`${BASE}/`);

    const url = `${BASE}/projects/${project.id}/annotate/${item.setId}`;
    const opens = [];
    for (let i = 0; i < OPENS; i += 1) {
      await page.goto(`${BASE}/`);
      await page.waitForLoadState('networkidle');
      // Time from navigation start (a full page load) to the editor ready to take input.
      await page.goto(url);
      await page.waitForSelector('.editor[data-ready] .seg');
      const t = await page.evaluate(() => {
        const mark = performance.getEntriesByName('warrant:editor-ready').at(-1);
        return mark ? mark.startTime : performance.now();
      });
      opens.push(t);
    }

    // Adding a span: click a word, extend by a word, press a label key; measured from the key
    // press to the second animation frame after it (the frame that shows the new span).
    const latencies = [];
    const labels = ['p', 'i', 'c'];
    const profiler = process.env.BENCH_EDITOR_PROFILE ? await context.newCDPSession(page) : null;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.start');
    }
    for (let i = 0; i < SAMPLES; i += 1) {
      // A point inside plain (unlabelled) text that is on screen.
      const point = await page.evaluate((r) => {
        const candidates = [...document.querySelectorAll('.seg:not([data-spans])')]
          .map((el) => el.getBoundingClientRect())
          .filter((rect) => rect.top > 120 && rect.bottom < innerHeight - 40 && rect.width > 30 && rect.height < 60);
        const rect = candidates[Math.floor(r * candidates.length)];
        return rect ? { x: rect.left + Math.min(rect.width - 4, 6 + r * 20), y: rect.top + rect.height / 3 } : null;
      }, random());
      if (!point) {
        await page.mouse.wheel(0, 500);
        await page.waitForTimeout(100);
        continue;
      }
      await page.mouse.click(point.x, point.y);
      await page.keyboard.press('Control+Shift+ArrowRight');
      const key = labels[i % labels.length];
      const before = await page.locator('[data-starts]').count();
      const ms = await page.evaluate(
        (k) =>
          new Promise((resolve) => {
            const t0 = performance.now();
            window.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
          }),
        key,
      );
      const after = await page.locator('[data-starts]').count();
      if (after !== before) latencies.push(ms);
    }
    if (profiler) {
      const { profile } = await profiler.send('Profiler.stop');
      (await import('node:fs')).writeFileSync(process.env.BENCH_EDITOR_PROFILE, JSON.stringify(profile));
    }
    const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
    const client = await context.newCDPSession(page);
    const usage = await client.send('Runtime.getHeapUsage');

    const fmt = (n) => `${n.toFixed(0)} ms`;
    console.log(`\nEditor: passage of ${text.length.toLocaleString('en-US')} characters, ${spans.length.toLocaleString('en-US')} spans, ${relations.length.toLocaleString('en-US')} relations (headless Chromium)`);
    console.log(`  time to interactive   ${opens.map(fmt).join(', ')}  (median ${fmt(percentile(opens, 50))}; target < 1500 ms)`);
    console.log(`  add a span (${latencies.length} samples)  p50 ${latencies.length ? fmt(percentile(latencies, 50)) : 'n/a'}, p95 ${latencies.length ? fmt(percentile(latencies, 95)) : 'n/a'}  (target p95 < 50 ms)`);
    console.log(`  JS heap used          ${(usage.usedSize / 1024 / 1024).toFixed(1)} MB (performance.memory: ${(heap / 1024 / 1024).toFixed(1)} MB)`);
  } finally {
    await browser?.close();
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
