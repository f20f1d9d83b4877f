import type { MessagePort } from 'node:worker_threads';
import type { ErrorCode } from '@warrant/contracts';
import type { PrepareContext, PreparedBatch } from './prepare.ts';

export interface ReaderWorkerData {
  file: string;
  /** The file's bytes, over a SharedArrayBuffer: read in place, not copied. */
  bytes: Uint8Array;
  context: PrepareContext;
  /** Batches come back on this port, taken synchronously (receiveMessageOnPort). */
  port: MessagePort;
  /** Int32 counters, indexed by SIGNAL. */
  signal: SharedArrayBuffer;
}

/** Counters shared by the two threads. */
export const SIGNAL = {
  /** Messages the reader posted. */
  posted: 0,
  /** Messages the import's thread took. */
  taken: 1,
  /** Set by the import's thread: stop reading. */
  cancelled: 2,
  /** Lines read: the reader's heartbeat. */
  progress: 3,
} as const;
export const SIGNAL_SLOTS = 4;

/** Batches the reader may post before the import's thread takes them. */
export const READ_AHEAD = 8;

export type ReaderMessage =
  | { type: 'batch'; batch: PreparedBatch }
  | { type: 'end' }
  | { type: 'error'; app: { statusCode: number; code: ErrorCode; message: string; details: unknown } }
  | { type: 'error'; message: string; stack: string | undefined };
