import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits, type Transferable } from 'node:worker_threads';

/**
 * Starts a worker thread whose entry is `<name>.ts` beside the calling module (`from`, its
 * import.meta.url) in the sources, and `dist/<name>.js` in the bundled server, where every entry
 * sits beside server.js (build.mjs). From TypeScript sources (tests, dev) it runs through tsx:
 * Node 20 cannot start a worker from a .ts file, and `--import tsx` in a worker's execArgv does
 * not take, so a small ES module registers tsx inside the worker, then imports the real entry.
 */
export function startWorker(from: string, name: string, workerData: unknown, resourceLimits?: ResourceLimits, transferList?: Transferable[]): Worker {
  const options = { workerData, ...(resourceLimits ? { resourceLimits } : {}), ...(transferList ? { transferList } : {}) };
  if (!from.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, from), options);
  const tsxApi = pathToFileURL(createRequire(from).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const entry = new URL(`./${name}.ts`, from).href;
  const code = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, ...options });
}
