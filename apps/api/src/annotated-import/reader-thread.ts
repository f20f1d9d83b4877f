/**
 * A semantic JSONL file read and checked on a thread of its own (reader-worker.ts) while the
 * import's thread writes: the batches come back through a MessagePort and are taken
 * synchronously (receiveMessageOnPort, Atomics.wait), so the import stays one synchronous
 * transaction, exactly as when the documents are prepared inline.
 */
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { AppError } from '../lib/errors.ts';
import { startWorker } from '../lib/worker-thread.ts';
import type { PrepareContext, PreparedBatch } from './prepare.ts';
import { SIGNAL, SIGNAL_SLOTS, type ReaderMessage, type ReaderWorkerData } from './reader-protocol.ts';

/** Not started within this time, or nothing read for the next: the reader thread is taken for dead. */
const START_MS = 30_000;
const STALLED_MS = 60_000;
const WAIT_MS = 250;

export interface ReaderThread {
  batches: Iterable<PreparedBatch>;
  /** Stops the thread (whether or not every batch was taken). */
  close(): void;
}

export function readerThread(file: { name: string; bytes: Uint8Array }, context: PrepareContext): ReaderThread {
  const signal = new Int32Array(new SharedArrayBuffer(SIGNAL_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  // The bytes are shared, not copied for each read: one copy into shared memory, unless the
  // caller's are there already.
  let bytes = file.bytes;
  if (!(bytes.buffer instanceof SharedArrayBuffer)) {
    bytes = new Uint8Array(new SharedArrayBuffer(file.bytes.byteLength));
    bytes.set(file.bytes);
  }
  const { port1, port2 } = new MessageChannel();
  const data: ReaderWorkerData = { file: file.name, bytes, context, port: port2, signal: signal.buffer as SharedArrayBuffer };
  // A larger young generation: the reader makes millions of short-lived objects (parsed records,
  // checked spans, rows), and with the default a third of its time went to scavenges.
  const worker = startWorker(import.meta.url, 'reader-worker', data, { maxYoungGenerationSizeMb: 64 }, [port2]);
  // Nothing of the import waits on the thread's exit; a process may end while it stops.
  worker.unref();
  // A thread that dies (out of memory, a file missing from a build) is seen through its silence
  // (START_MS, STALLED_MS): the import's thread is blocked meanwhile and takes no events. The
  // listener keeps the event, delivered later, from ending the process.
  let failure: Error | null = null;
  worker.on('error', (error) => {
    failure = error;
  });
  let closed = false;

  const next = (): ReaderMessage => {
    let progress = Atomics.load(signal, SIGNAL.progress);
    let since = performance.now();
    for (;;) {
      const posted = Atomics.load(signal, SIGNAL.posted);
      const received = receiveMessageOnPort(port1);
      if (received) {
        Atomics.add(signal, SIGNAL.taken, 1);
        Atomics.notify(signal, SIGNAL.taken);
        return received.message as ReaderMessage;
      }
      Atomics.wait(signal, SIGNAL.posted, posted, WAIT_MS);
      const now = Atomics.load(signal, SIGNAL.progress);
      if (now !== progress) {
        progress = now;
        since = performance.now();
      } else if (now === 0 && performance.now() - since > START_MS) {
        throw new Error(`the import's reader thread did not start within ${START_MS / 1000} s`, { cause: failure });
      } else if (performance.now() - since > STALLED_MS) {
        throw new Error(`the import's reader thread stopped: nothing read for ${STALLED_MS / 1000} s`, { cause: failure });
      }
    }
  };

  function* batches(): Generator<PreparedBatch> {
    for (;;) {
      const message = next();
      if (message.type === 'batch') yield message.batch;
      else if (message.type === 'end') return;
      else if ('app' in message) throw new AppError(message.app.statusCode, message.app.code, message.app.message, message.app.details);
      else {
        const error = new Error(message.message);
        if (message.stack) error.stack = message.stack;
        throw error;
      }
    }
  }

  return {
    batches: batches(),
    close() {
      if (closed) return;
      closed = true;
      Atomics.store(signal, SIGNAL.cancelled, 1);
      Atomics.notify(signal, SIGNAL.taken);
      port1.close();
      void worker.terminate().catch(() => undefined);
    },
  };
}
