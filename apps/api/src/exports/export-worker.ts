/**
 * The export worker thread: holds the export's one read transaction (its snapshot) on its own
 * connection, reads every batch, and builds the JSONL of as many as it can, so the two threads
 * build lines side by side. It reads only when pulled: a slow client stalls it.
 *
 * Work is shared by need: a batch goes to the main thread raw (its rows, cheap to post) when the
 * main thread has nothing else waiting, so it is never idle; otherwise the worker builds it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ExportPull, ExportWorkerData, ExportWorkerMessage } from './protocol.ts';
import { projectRefOf, semanticText } from './records.ts';
import { SnapshotReader, toItems } from './snapshot-reader.ts';

const port = parentPort;
if (!port) throw new Error('export-worker runs as a worker thread');
const post = (message: ExportWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const encoder = new TextEncoder();
const { dbFile, projectId, taken } = workerData as ExportWorkerData;
const takenByMain = new Int32Array(taken);

let reader: SnapshotReader | null = null;
let posted = 0;

function stop(message: ExportWorkerMessage): void {
  reader?.close();
  reader = null;
  post(message);
  port?.close();
}

function fail(error: unknown): void {
  const e = error instanceof Error ? error : new Error(String(error));
  stop({ type: 'error', message: e.message, stack: e.stack });
}

try {
  reader = SnapshotReader.open(dbFile, projectId);
  post({ type: 'start', project: projectRefOf(reader.context.project) });
} catch (error) {
  fail(error);
}

port.on('message', (_pull: ExportPull) => {
  if (!reader) return;
  try {
    const batch = reader.next();
    if (!batch) {
      reader.finish();
      stop({ type: 'end' });
      return;
    }
    const waiting = posted - Atomics.load(takenByMain, 0);
    posted += 1;
    if (waiting === 0) {
      post({ type: 'raw', batch });
    } else {
      // Encoded here and handed over (transferred, not copied): the main thread only writes it.
      const bytes = encoder.encode(semanticText(toItems(batch), projectRefOf(reader.context.project)));
      post({ type: 'text', bytes, read: batch.read, total: batch.total }, [bytes.buffer as ArrayBuffer]);
    }
  } catch (error) {
    fail(error);
  }
});
