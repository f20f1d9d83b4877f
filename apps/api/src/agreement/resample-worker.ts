/**
 * The resample worker thread (resample-helper.ts): forms the sums of the resamples it is handed
 * into shared memory, then wakes the report worker waiting for them.
 */
import { parentPort } from 'node:worker_threads';
import { resampleSums } from '@warrant/agreement';
import { TaskState, type TaskMessage } from './resample-helper.ts';

parentPort?.on('message', ({ task, control, out }: TaskMessage) => {
  // Withdrawn while this thread was starting or busy: the report worker formed them itself.
  if (Atomics.compareExchange(control, 0, TaskState.open, TaskState.claimed) !== TaskState.open) return;
  let state: number = TaskState.done;
  try {
    resampleSums(task, out);
  } catch {
    // The report worker forms them itself; the report is the same either way.
    state = TaskState.failed;
  }
  Atomics.store(control, 0, state);
  Atomics.notify(control, 0);
});
