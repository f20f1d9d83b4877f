import type { Worker } from 'node:worker_threads';
import { startWorker as start } from '../lib/worker-thread.ts';

/** The agreement code's worker threads, each its own entry: src/agreement/<name>.ts, dist/<name>.js. */
export type WorkerEntry = 'report-worker' | 'resample-worker';

export function startWorker(name: WorkerEntry, workerData: unknown): Worker {
  return start(import.meta.url, name, workerData);
}
