import type { Worker } from 'node:worker_threads';
import type { AgreementJob, JobResult } from './jobs.ts';
import { startWorker } from './worker-thread.ts';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/**
 * The main thread's handle on the agreement worker: started on first use, restarted if it dies,
 * jobs answered in order. From TypeScript sources (tests, dev) the worker runs through tsx; in the
 * bundled server it is dist/report-worker.js, built beside dist/server.js.
 */
export class ReportWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  /** Each worker's own unanswered jobs: a dead worker's late 'exit' must not fail its successor's. */
  private readonly pending = new Map<Worker, Map<number, Pending>>();

  constructor(private readonly dbFile: string) {}

  run<J extends AgreementJob>(job: J): Promise<JobResult<J>> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.get(worker)?.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, job });
    });
  }

  /** Starts the thread ahead of the first job. */
  warm(): void {
    if (!this.worker) this.start();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    const workerData = { dbFile: this.dbFile };
    const worker = startWorker('report-worker', workerData);
    // Idle, it must not keep the process alive.
    worker.unref();
    const pending = new Map<number, Pending>();
    this.pending.set(worker, pending);
    worker.on('message', (message: { id: number; ok: boolean; value?: unknown; error?: { message: string; stack?: string } }) => {
      const job = pending.get(message.id);
      if (!job) return;
      pending.delete(message.id);
      if (message.ok) job.resolve(message.value);
      else {
        const error = new Error(`agreement worker: ${message.error?.message ?? 'failed'}`);
        if (message.error?.stack) error.stack = message.error.stack;
        job.reject(error);
      }
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const job of pending.values()) job.reject(error);
      pending.clear();
      this.pending.delete(worker);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`agreement worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}

