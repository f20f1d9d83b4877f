/**
 * The report worker's helper thread (resample-helper.ts): forms the sums of the resamples it is
 * handed into shared memory, then wakes the report worker waiting for them; and measures the
 * passages of cold reports handed to it as read (parts-helper.ts).
 */
import { parentPort } from 'node:worker_threads';
import { resampleSums } from '@warrant/agreement';
import { servePartsSession, type PartsStart } from './parts-helper.ts';
import { TaskState, type TaskMessage } from './resample-helper.ts';

parentPort?.on('message', (message: TaskMessage | PartsStart) => {
  if ('kind' in message) {
    servePartsSession(message);
    return;
  }
  const { task, control, out } = message;
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
