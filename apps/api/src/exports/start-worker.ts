import type { Worker } from 'node:worker_threads';
import { startWorker } from '../lib/worker-thread.ts';
import type { ExportWorkerData } from './protocol.ts';

/** Starts the export worker (export-worker.ts; dist/export-worker.js beside the bundled server). */
export function startExportWorker(workerData: ExportWorkerData): Worker {
  // A young generation smaller than V8's default: the worker's garbage is short-lived batch data,
  // and the export stays well under its memory budget with two heaps.
  return startWorker(import.meta.url, 'export-worker', workerData, { maxYoungGenerationSizeMb: 16 });
}
