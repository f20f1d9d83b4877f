import { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import type { ExportPull, ExportWorkerData, ExportWorkerMessage } from './protocol.ts';
import { semanticText, type ProjectRef } from './records.ts';
import { toItems } from './snapshot-reader.ts';
import { startExportWorker } from './start-worker.ts';

/** Batches asked of the worker ahead of the one being written: enough to keep both threads busy. */
const WINDOW = 3;

export interface JsonlChunk {
  bytes: Uint8Array;
  /** Passages read so far, of `total` in the project. */
  read: number;
  total: number;
}

type Inbox = ExportWorkerMessage | { type: 'exit'; code: number };

/**
 * The main thread's side of a semantic JSONL export read by the export worker: batches in order,
 * each either built by the worker (bytes) or built here from its raw rows (the worker decides which
 * by how many batches wait here: export-worker.ts). At most WINDOW batches are asked ahead, so
 * memory stays flat and a slow client stalls the worker.
 */
export class WorkerJsonl {
  private worker: Worker | null = null;
  private readonly inbox: Inbox[] = [];
  private wake: (() => void) | null = null;
  private project: ProjectRef | null = null;
  private closed = false;
  private readonly taken = new Int32Array(new SharedArrayBuffer(4));
  private exitedNow: () => void = () => {};
  /** Settles when the worker has exited (its connection closed), or at once if it never started. */
  readonly exited: Promise<void> = new Promise((resolve) => {
    this.exitedNow = resolve;
  });

  constructor(private readonly data: Omit<ExportWorkerData, 'taken'>) {}

  /** The next batch's bytes (possibly empty), or null after the last. Throws what the worker threw. */
  async next(): Promise<JsonlChunk | null> {
    if (this.closed) return null;
    if (!this.worker) this.start();
    for (;;) {
      const message = await this.take();
      if (!message) return null;
      switch (message.type) {
        case 'start':
          this.project = message.project;
          continue;
        case 'text':
          this.took();
          return { bytes: message.bytes, read: message.read, total: message.total };
        case 'raw': {
          this.took();
          if (!this.project) throw new Error('export worker: a batch before the start');
          const text = semanticText(toItems(message.batch), this.project);
          return { bytes: Buffer.from(text), read: message.batch.read, total: message.batch.total };
        }
        case 'end':
          this.close();
          return null;
        case 'error': {
          this.close();
          const error = new Error(message.message);
          if (message.stack) error.stack = message.stack;
          throw error;
        }
        case 'exit':
          this.close();
          throw new Error(`the export worker stopped before the end (exit code ${message.code})`);
      }
    }
  }

  /** Stops the worker; its connection closes with it, and so does the read transaction. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.worker) void this.worker.terminate();
    else this.exitedNow();
    this.wake?.();
  }

  private start(): void {
    const worker = startExportWorker({ ...this.data, taken: this.taken.buffer as SharedArrayBuffer });
    this.worker = worker;
    // Everything comes through the inbox, in order: an error message is read before the exit that follows it.
    const deliver = (message: Inbox) => {
      this.inbox.push(message);
      this.wake?.();
    };
    worker.on('message', deliver);
    worker.on('error', (error: Error) => deliver({ type: 'error', message: error.message, stack: error.stack }));
    worker.on('exit', (code: number) => {
      deliver({ type: 'exit', code });
      this.exitedNow();
    });
    for (let i = 0; i < WINDOW; i += 1) this.pull();
  }

  /** Counts the batch just taken (the worker reads the count to share the work) and asks for one more. */
  private took(): void {
    Atomics.add(this.taken, 0, 1);
    this.pull();
  }

  private pull(): void {
    const pull: ExportPull = { type: 'pull' };
    this.worker?.postMessage(pull);
  }

  private async take(): Promise<Inbox | null> {
    while (this.inbox.length === 0) {
      if (this.closed) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    return this.closed ? null : (this.inbox.shift() ?? null);
  }
}

/**
 * A semantic JSONL download read by the export worker, as a byte stream. Destroying it (a client
 * that left) stops the worker at once, which ends its read transaction.
 */
export class JsonlExportStream extends Readable {
  private pumping = false;

  constructor(
    private readonly source: WorkerJsonl,
    private readonly onChunk: (chunk: JsonlChunk) => void,
  ) {
    super();
  }

  override _read(): void {
    void this.pump();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.source.close();
    callback(error);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const chunk = await this.source.next();
        if (this.destroyed) return;
        if (!chunk) {
          this.push(null);
          return;
        }
        this.onChunk(chunk);
        // Batches without a record are progress only; an empty push would end this read.
        if (chunk.bytes.length > 0 && !this.push(chunk.bytes)) return;
      }
    } catch (error) {
      this.destroy(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.pumping = false;
    }
  }
}
