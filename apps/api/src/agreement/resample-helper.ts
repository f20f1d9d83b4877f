import { MessageChannel, type Worker } from 'node:worker_threads';
import { sumsWidth, type ResampleHelper, type SumsTask } from '@warrant/agreement';
import type { PassageFilter } from './passage-filter.ts';
import { PartsSession, type PartsHelper, type PartsStart } from './parts-helper.ts';
import { startWorker } from './worker-thread.ts';

/**
 * Who has a task, in its shared control word. The helper claims an open task before it starts;
 * the asker withdraws one still open when its own share is done, and forms those sums itself, so a
 * helper that is still starting (or gone) never holds a report up.
 */
export const TaskState = { open: 0, claimed: 1, done: 2, failed: 3, withdrawn: 4 } as const;

/** What crosses to the resample worker: the task, its control word and where its sums go (shared). */
export type TaskMessage = { task: SumsTask; control: Int32Array; out: Float64Array };

/** A helper that has claimed a task but not answered by then is given up on (its sums are formed here). */
const GIVE_UP_MS = 20_000;

/**
 * The agreement worker's second thread, for a share of a cold report's passages (parts-helper.ts)
 * and half of a report's resampling: the resamples of a large report take a few hundred
 * milliseconds. Only the compact pattern tables and dense matrix are copied
 * (a few MB for 10,000 passages); the sums come back in shared memory. The report worker waits
 * for them synchronously (Atomics.wait), as a report is computed in one synchronous call.
 */
export class ResampleThread implements ResampleHelper, PartsHelper {
  private worker: Worker | null = null;

  /** Started at once, so that it is ready by the time the first report resamples. */
  constructor() {
    this.ensure();
  }

  start(task: SumsTask): { finish(): Float64Array | undefined } {
    const control = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const out = new Float64Array(new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * sumsWidth(task) * (task.to - task.from)));
    const message: TaskMessage = { task, control, out };
    this.ensure().postMessage(message);
    return {
      finish: () => {
        if (Atomics.compareExchange(control, 0, TaskState.open, TaskState.withdrawn) === TaskState.open) return undefined;
        const deadline = Date.now() + GIVE_UP_MS;
        let state = Atomics.load(control, 0);
        while (state === TaskState.claimed) {
          const left = deadline - Date.now();
          if (left <= 0) return undefined;
          Atomics.wait(control, 0, TaskState.claimed, left);
          state = Atomics.load(control, 0);
        }
        return state === TaskState.done ? out : undefined;
      },
    };
  }

  parts(filter: PassageFilter): PartsSession {
    const worker = this.ensure();
    const { port1, port2 } = new MessageChannel();
    const start: PartsStart = { kind: 'parts', port: port2, filter };
    worker.postMessage(start, [port2]);
    return new PartsSession(port1);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker('resample-worker', null);
    // Idle, it must not keep the process alive.
    worker.unref();
    const gone = () => {
      if (this.worker === worker) this.worker = null;
    };
    worker.on('error', gone);
    worker.on('exit', gone);
    this.worker = worker;
    return worker;
  }
}
