import type { ProjectRef } from './records.ts';
import type { RawBatch } from './snapshot-reader.ts';

/** What the export worker starts with. */
export interface ExportWorkerData {
  dbFile: string;
  projectId: string;
  /**
   * One Int32: batches the main thread has taken so far. The worker compares it with the batches
   * it has posted to share the work (export-worker.ts).
   */
  taken: SharedArrayBuffer;
}

/** One more batch, please. Each pull is answered by exactly one batch message, `end` or `error`. */
export interface ExportPull {
  type: 'pull';
}

export type ExportWorkerMessage =
  | { type: 'start'; project: ProjectRef }
  | { type: 'text'; bytes: Uint8Array; read: number; total: number }
  | { type: 'raw'; batch: RawBatch }
  | { type: 'end' }
  | { type: 'error'; message: string; stack?: string };
