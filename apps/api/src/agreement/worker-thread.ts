import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The agreement code's worker threads, each its own entry: src/agreement/<name>.ts, dist/<name>.js. */
export type WorkerEntry = 'report-worker' | 'resample-worker';

/**
 * Starts one of the agreement worker threads. From TypeScript sources (tests, dev) it runs through
 * tsx: Node 20 cannot start a worker from a .ts file, and `--import tsx` in a worker's execArgv
 * does not take, so a small ES module registers tsx inside the worker, then imports the real
 * entry. In the bundled server it is dist/<name>.js, built beside dist/server.js (build.mjs).
 */
export function startWorker(name: WorkerEntry, workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url), { workerData });
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const entry = new URL(`./${name}.ts`, import.meta.url).href;
  const code = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, workerData });
}
