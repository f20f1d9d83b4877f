/**
 * The reader thread of a large semantic JSONL import: reads the file's lines, checks every
 * document and builds its rows (prepare.ts), and posts them a batch at a time, while the import's
 * thread writes the batches before. It runs ahead by at most READ_AHEAD batches.
 */
import { workerData } from 'node:worker_threads';
import { streamSemanticJsonl, type DatasetDocument, type FormatLoss, type FormatProblem } from '@warrant/formats';
import { AppError } from '../lib/errors.ts';
import { prepareBatches } from './prepare.ts';
import { READ_AHEAD, SIGNAL, type ReaderMessage, type ReaderWorkerData } from './reader-protocol.ts';

const { file, bytes, context, port, signal: signalBuffer } = workerData as ReaderWorkerData;
const signal = new Int32Array(signalBuffer);
const post = (message: ReaderMessage) => {
  port.postMessage(message);
  Atomics.add(signal, SIGNAL.posted, 1);
  Atomics.notify(signal, SIGNAL.posted);
};
const cancelled = () => Atomics.load(signal, SIGNAL.cancelled) !== 0;
// Started: the import's thread counts on a first beat within START_MS (reader-thread.ts).
Atomics.add(signal, SIGNAL.progress, 1);

/** The documents as read; the reading stops once the import's thread has given up. */
function* untilCancelled(documents: Iterable<DatasetDocument>): Generator<DatasetDocument> {
  for (const document of documents) {
    if (cancelled()) return;
    yield document;
  }
}
/** Each line read is counted: the import's thread watches the count to know this thread lives. */
const beat = () => {
  Atomics.add(signal, SIGNAL.progress, 1);
};

try {
  const problems: FormatProblem[] = [];
  const losses: FormatLoss[] = [];
  const documents = untilCancelled(streamSemanticJsonl({ file, bytes }, problems, losses, beat));
  let posted = 0;
  for (const batch of prepareBatches(documents, context, problems, losses)) {
    // Never more than READ_AHEAD batches waiting: the rest of the file stays unread bytes.
    while (!cancelled() && posted - Atomics.load(signal, SIGNAL.taken) >= READ_AHEAD) {
      Atomics.wait(signal, SIGNAL.taken, Atomics.load(signal, SIGNAL.taken), 100);
    }
    if (cancelled()) break;
    post({ type: 'batch', batch });
    posted += 1;
  }
  if (!cancelled()) post({ type: 'end' });
} catch (error) {
  if (error instanceof AppError) {
    post({ type: 'error', app: { statusCode: error.statusCode, code: error.code, message: error.message, details: error.details } });
  } else {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ type: 'error', message: e.message, stack: e.stack });
  }
} finally {
  port.close();
}
