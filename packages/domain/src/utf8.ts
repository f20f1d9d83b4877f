/**
 * Strict UTF-8 decoding. TextDecoder alone would replace bad bytes with U+FFFD (or, with
 * `fatal`, fail without saying where), so a Windows-1251 file would import as mojibake.
 * Bytes are validated here first, with the position of the first bad sequence, and only
 * then handed to TextDecoder. Nothing is normalised: CRLF, NBSP, NFD and U+FEFF after
 * byte 0 reach the caller exactly as they were.
 */

export interface DecodedText {
  text: string;
  /** Whether a leading byte order mark (EF BB BF at byte 0) was removed from `text`. */
  bomStripped: boolean;
}

export class Utf8DecodeError extends Error {
  /** 0-based offset in the whole input of the first byte of the invalid sequence. */
  readonly byteOffset: number;
  /** 1-based line of that byte: the number of LF bytes before it, plus one. */
  readonly line: number;
  /** What is wrong, without the position: "unexpected continuation byte 0x9f". */
  readonly reason: string;

  constructor(byteOffset: number, line: number, reason: string) {
    super(`invalid UTF-8 at byte ${byteOffset} (line ${line}): ${reason}`);
    this.name = 'Utf8DecodeError';
    this.byteOffset = byteOffset;
    this.line = line;
    this.reason = reason;
  }
}

/**
 * Validator state carried between chunks. A sequence in progress is described by how many
 * continuation bytes it still needs and the range allowed for the next one (narrower than
 * 80..BF only right after E0, ED, F0 and F4: Unicode Table 3-7).
 */
interface ScanState {
  need: number;
  lo: number;
  hi: number;
  lead: number;
  /** Absolute offset of the lead byte of the sequence in progress. */
  seqStart: number;
  /** LF bytes seen so far. */
  lines: number;
}

interface ScanFailure {
  offset: number;
  lines: number;
  reason: string;
}

function newScanState(): ScanState {
  return { need: 0, lo: 0x80, hi: 0xbf, lead: 0, seqStart: 0, lines: 0 };
}

const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;

function leadReason(b: number): string {
  if (b <= 0xbf) return `unexpected continuation byte ${hex(b)}`;
  if (b <= 0xc1) return `overlong encoding (byte ${hex(b)} never starts a valid sequence)`;
  if (b <= 0xf7) return `code point above U+10FFFF (lead byte ${hex(b)})`;
  return `byte ${hex(b)} never appears in UTF-8`;
}

function continuationReason(lead: number, b: number): string {
  if (b < 0x80 || b > 0xbf) {
    return `truncated sequence: expected a continuation byte after lead byte ${hex(lead)}, got ${hex(b)}`;
  }
  // A byte in 80..BF can only be out of range as the first continuation after E0, ED, F0 or F4.
  const pair = `${hex(lead)} ${hex(b)}`;
  if (lead === 0xed) return `UTF-16 surrogate encoded in UTF-8 (${pair})`;
  if (lead === 0xf4) return `code point above U+10FFFF (${pair})`;
  return `overlong encoding (${pair})`;
}

/**
 * Validates `bytes`, which start at absolute offset `base`, continuing from `state`.
 * `state` is updated only when the whole chunk is valid, so a failed chunk can be retried
 * (for example its valid prefix alone).
 */
function scan(bytes: Uint8Array, base: number, state: ScanState): ScanFailure | null {
  let { need, lo, hi, lead, seqStart, lines } = state;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (need === 0) {
      if (b < 0x80) {
        if (b === 0x0a) lines++;
        continue;
      }
      lead = b;
      seqStart = base + i;
      if (b >= 0xc2 && b <= 0xdf) {
        need = 1;
        lo = 0x80;
        hi = 0xbf;
      } else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        lo = b === 0xe0 ? 0xa0 : 0x80;
        hi = b === 0xed ? 0x9f : 0xbf;
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        lo = b === 0xf0 ? 0x90 : 0x80;
        hi = b === 0xf4 ? 0x8f : 0xbf;
      } else {
        return { offset: seqStart, lines, reason: leadReason(b) };
      }
    } else {
      if (b < lo || b > hi) return { offset: seqStart, lines, reason: continuationReason(lead, b) };
      lo = 0x80;
      hi = 0xbf;
      need--;
    }
  }
  state.need = need;
  state.lo = lo;
  state.hi = hi;
  state.lead = lead;
  state.seqStart = seqStart;
  state.lines = lines;
  return null;
}

function truncatedAtEnd(state: ScanState): Utf8DecodeError {
  return new Utf8DecodeError(
    state.seqStart,
    state.lines + 1,
    `truncated sequence: the input ends inside a sequence started by lead byte ${hex(state.lead)}`,
  );
}

const startsWithBom = (bytes: Uint8Array): boolean =>
  bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;

// `fatal` never fires after validation; it is there so a validator bug fails loudly
// instead of producing U+FFFD. ignoreBOM keeps U+FEFF in the output: BOMs are handled here.
const decoderOptions = { ignoreBOM: true, fatal: true } as const;

/** Decodes a complete input strictly. Throws Utf8DecodeError at the first invalid sequence. */
export function decodeUtf8(bytes: Uint8Array): DecodedText {
  const state = newScanState();
  const failure = scan(bytes, 0, state);
  if (failure) throw new Utf8DecodeError(failure.offset, failure.lines + 1, failure.reason);
  if (state.need > 0) throw truncatedAtEnd(state);
  const bomStripped = startsWithBom(bytes);
  const text = new TextDecoder('utf-8', decoderOptions).decode(bomStripped ? bytes.subarray(3) : bytes);
  return { text, bomStripped };
}

/**
 * Streaming strict decoder: feed chunks of any size; a multi-byte sequence may be split
 * across chunks. One instance per input.
 *
 * When `push` throws, nothing of that chunk has been consumed: the text before the bad
 * sequence can still be had with `push(chunk.subarray(0, error.byteOffset - bytesRead))`
 * when that length is not negative (it is negative when the bad sequence began in an
 * earlier chunk, whose text has then already been returned).
 */
export class Utf8StreamDecoder {
  readonly #decoder = new TextDecoder('utf-8', decoderOptions);
  readonly #state = newScanState();
  #bytesRead = 0;
  #emitted = false;
  #bomStripped = false;
  #ended = false;

  /** Returns the text completed by this chunk; an incomplete trailing sequence is held back. */
  push(chunk: Uint8Array): string {
    if (this.#ended) throw new Error('Utf8StreamDecoder.push() called after end()');
    const failure = scan(chunk, this.#bytesRead, this.#state);
    if (failure) throw new Utf8DecodeError(failure.offset, failure.lines + 1, failure.reason);
    this.#bytesRead += chunk.length;
    let text = this.#decoder.decode(chunk, { stream: true });
    if (!this.#emitted && text.length > 0) {
      // Nothing has been returned yet, so this is the first code point of the input: at byte 0.
      this.#emitted = true;
      if (text.charCodeAt(0) === 0xfeff) {
        this.#bomStripped = true;
        text = text.slice(1);
      }
    }
    return text;
  }

  /** Finishes the input. Throws Utf8DecodeError when it ends inside a sequence. */
  end(): string {
    if (this.#ended) return '';
    if (this.#state.need > 0) throw truncatedAtEnd(this.#state);
    this.#ended = true;
    // Everything was validated and complete, so the flush returns nothing; it resets the decoder.
    return this.#decoder.decode();
  }

  /** Whether a leading EF BB BF (only at byte 0) was stripped. */
  get bomStripped(): boolean {
    return this.#bomStripped;
  }

  /** Bytes consumed so far (a chunk rejected by `push` is not counted). */
  get bytesRead(): number {
    return this.#bytesRead;
  }
}
