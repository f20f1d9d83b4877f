/**
 * The agreement worker thread: reads a project's submitted sets on its own read-only connection
 * and computes reports and the disagreement ranking, so the seconds a large project takes never
 * hold up the main thread, where annotators' saves are answered.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openReadConnection } from '../db/client.ts';
import { JobRunner, type AgreementJob } from './jobs.ts';
import { ProjectData } from './project-data.ts';
import { ResampleThread } from './resample-helper.ts';

const { dbFile } = workerData as { dbFile: string };
// The second core measures passages of a cold report while this thread reads the rest, and forms
// half of a report's resamples (the rest of a report runs here).
const helper = new ResampleThread();
const runner = new JobRunner(new ProjectData(openReadConnection(dbFile)), helper, helper);

parentPort?.on('message', (message: { id: number; job: AgreementJob }) => {
  try {
    parentPort?.postMessage({ id: message.id, ok: true, value: runner.run(message.job) });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    parentPort?.postMessage({ id: message.id, ok: false, error: { message: e.message, stack: e.stack } });
  }
  // Once the answer is on its way: a job that comes meanwhile waits for this, but no longer than it would have.
  setImmediate(() => runner.settle());
});
