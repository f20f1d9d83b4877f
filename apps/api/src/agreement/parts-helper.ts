import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { passagePart, packParts, unpackParts, type LoadedPassage, type PackedParts, type PassagePart } from '@warrant/agreement';
import { passageSelector, type PassageFilter } from './passage-filter.ts';
import { loadedSet, type RawPassage, type SetRow } from './project-data.ts';

/**
 * Measuring a cold report's passages on the second core while the report worker is still reading
 * them. The report worker hands over the rows as read (strings: cheap to copy), a batch of passages
 * at a time; the helper parses and measures them and sends the parts back packed (packParts: typed
 * arrays, transferred). Once its reading is done, the report worker measures the batches the helper
 * has not started itself, from the last one back, then takes the helper's parts. Who measures a
 * batch is settled by its shared control word, as for the resamples (resample-helper.ts), so a
 * helper that is slow, starting or gone never holds a report up.
 */
export const BatchState = { open: 0, claimed: 1, done: 2, failed: 3, withdrawn: 4 } as const;

/** Starts a session on the helper thread: its end of the channel and the filter. */
export type PartsStart = { kind: 'parts'; port: MessagePort; filter: PassageFilter };
/**
 * A batch handed over (report worker to helper), its rows as columns: a few arrays of strings
 * clone faster than an array per row.
 */
export type BatchMessage = {
  k: number;
  control: Int32Array;
  /** Per passage: its id, length and number of sets. */
  ids: string[];
  lengths: Float64Array;
  sets: Int32Array;
  /** Per set, passages in turn: user id, category, submission time, spans and relations as JSON. */
  users: string[];
  categories: (string | null)[];
  times: (number | null)[];
  spans: string[];
  relations: string[];
};

function toColumns(k: number, control: Int32Array, passages: RawPassage[]): BatchMessage {
  const message: BatchMessage = {
    k,
    control,
    ids: [],
    lengths: new Float64Array(passages.length),
    sets: new Int32Array(passages.length),
    users: [],
    categories: [],
    times: [],
    spans: [],
    relations: [],
  };
  passages.forEach((passage, i) => {
    message.ids.push(passage.id);
    message.lengths[i] = passage.length;
    message.sets[i] = passage.rows.length;
    for (const row of passage.rows) {
      message.users.push(row[1]);
      message.categories.push(row[2]);
      message.times.push(row[3]);
      message.spans.push(row[4]);
      message.relations.push(row[5]);
    }
  });
  return message;
}

function fromColumns(message: BatchMessage): RawPassage[] {
  const passages: RawPassage[] = [];
  let r = 0;
  message.ids.forEach((id, i) => {
    const rows: SetRow[] = [];
    for (let s = 0; s < (message.sets[i] as number); s += 1, r += 1) {
      rows.push([id, message.users[r] as string, message.categories[r] ?? null, message.times[r] ?? null, message.spans[r] as string, message.relations[r] as string]);
    }
    passages.push({ id, length: message.lengths[i] as number, rows });
  });
  return passages;
}
/** A batch measured (helper to report worker). */
export type PartsMessage = { k: number; parts: PackedParts };

/** A helper claimed a batch but has not answered by then: given up on (measured here). */
const GIVE_UP_MS = 20_000;

export interface PartsHelper {
  /** A session for one cold report, or undefined when there is no helper thread. */
  parts(filter: PassageFilter): PartsSession | undefined;
}

/** The report worker's side of a session. */
export class PartsSession {
  private readonly controls: Int32Array[] = [];

  constructor(private readonly port: MessagePort) {}

  get batches(): number {
    return this.controls.length;
  }

  send(passages: RawPassage[]): void {
    const control = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const message = toColumns(this.controls.length, control, passages);
    this.controls.push(control);
    this.port.postMessage(message);
  }

  /** True when batch k is now this thread's to measure (the helper has not started it). */
  take(k: number): boolean {
    return Atomics.compareExchange(this.controls[k] as Int32Array, 0, BatchState.open, BatchState.withdrawn) === BatchState.open;
  }

  /**
   * The parts of every batch the helper measured, by batch (undefined for those it did not: taken
   * here, failed or late). Closes the session.
   */
  collect(): (PassagePart[] | undefined)[] {
    const found: (PassagePart[] | undefined)[] = this.controls.map(() => undefined);
    const deadline = Date.now() + GIVE_UP_MS;
    for (let k = 0; k < this.controls.length; k += 1) {
      const control = this.controls[k] as Int32Array;
      let state = Atomics.load(control, 0);
      // Still open (a helper that never started): nobody measures it but the caller.
      if (state === BatchState.open && this.take(k)) continue;
      while (state === BatchState.claimed || (state === BatchState.done && found[k] === undefined)) {
        // Answers come in the order the helper measured them; read what has arrived.
        for (let message = receiveMessageOnPort(this.port); message !== undefined; message = receiveMessageOnPort(this.port)) {
          const { k: batch, parts } = message.message as PartsMessage;
          found[batch] = unpackParts(parts);
        }
        if (state === BatchState.done && found[k] !== undefined) break;
        const left = deadline - Date.now();
        if (left <= 0) break;
        // The helper marks a batch done after posting its parts; a posted message may take a moment to arrive.
        Atomics.wait(control, 0, state, state === BatchState.done ? 1 : left);
        state = Atomics.load(control, 0);
      }
    }
    this.port.close();
    return found;
  }
}

/** A batch of passages as read, parsed, filtered and measured (on either thread). */
export function measureBatch(passages: RawPassage[], select: (passage: LoadedPassage) => LoadedPassage | undefined): PassagePart[] {
  const parts: PassagePart[] = [];
  for (const raw of passages) {
    const passage = select({ id: raw.id, externalId: raw.id, length: raw.length, sets: raw.rows.map(loadedSet) });
    if (passage !== undefined) parts.push(passagePart(passage));
  }
  return parts;
}

/** The helper thread's side: measures each batch it claims, posts its parts, marks it done. */
export function servePartsSession({ port, filter }: PartsStart): void {
  const select = passageSelector(filter);
  port.on('message', (batch: BatchMessage) => {
    const { k, control } = batch;
    if (Atomics.compareExchange(control, 0, BatchState.open, BatchState.claimed) !== BatchState.open) return;
    let state: number = BatchState.done;
    try {
      const packed = packParts(measureBatch(fromColumns(batch), select));
      const message: PartsMessage = { k, parts: packed };
      // Made by packParts, so never shared memory.
      port.postMessage(message, [packed.floats.buffer as ArrayBuffer, packed.ints.buffer as ArrayBuffer, packed.sizes.buffer as ArrayBuffer]);
    } catch {
      // The report worker measures them itself; the report is the same either way.
      state = BatchState.failed;
    }
    Atomics.store(control, 0, state);
    Atomics.notify(control, 0);
  });
  // Closed by the report worker when its report no longer needs this session.
  port.on('close', () => port.removeAllListeners());
}
