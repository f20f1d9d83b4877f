/**
 * A minimal ustar writer: entries are produced one at a time, so a multi-file export streams
 * through gzip in constant memory (no zip library needed; every Python and command-line tool reads
 * .tar.gz). Names are UTF-8; names longer than ustar's 100 bytes use the 155-byte prefix field.
 */
const BLOCK = 512;
const encoder = new TextEncoder();

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

function splitName(name: string): { name: string; prefix: string } {
  const bytes = encoder.encode(name);
  if (bytes.length <= 100) return { name, prefix: '' };
  // Split at a '/' so that the rest fits in 100 bytes and the head in 155.
  for (let i = name.length - 1; i > 0; i -= 1) {
    if (name[i] !== '/') continue;
    const head = name.slice(0, i);
    const tail = name.slice(i + 1);
    if (encoder.encode(tail).length <= 100 && encoder.encode(head).length <= 155) return { name: tail, prefix: head };
  }
  throw new RangeError(`tar: the entry name is too long: ${name}`);
}

/** The 512-byte header of a file of `size` bytes (its content follows, then tarPadding). */
export function tarHeader(path: string, size: number, mtime = Math.floor(Date.now() / 1000)): Uint8Array {
  const { name, prefix } = splitName(path);
  const header = new Uint8Array(BLOCK);
  const put = (text: string, offset: number) => header.set(encoder.encode(text), offset);
  put(name, 0);
  put(octal(0o644, 8), 100);
  put(octal(0, 8), 108);
  put(octal(0, 8), 116);
  put(octal(size, 12), 124);
  put(octal(mtime, 12), 136);
  put('        ', 148); // checksum is computed with spaces here
  put('0', 156);
  put('ustar\0', 257);
  put('00', 263);
  put(prefix, 345);
  let sum = 0;
  for (const byte of header) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return header;
}

/** The zero bytes that round a file's content up to whole blocks. */
export function tarPadding(size: number): Uint8Array {
  return new Uint8Array((BLOCK - (size % BLOCK)) % BLOCK);
}

/** One file's header, content and padding. */
export function tarEntry(path: string, content: string | Uint8Array, mtime = Math.floor(Date.now() / 1000)): Uint8Array {
  const data = typeof content === 'string' ? encoder.encode(content) : content;
  const header = tarHeader(path, data.length, mtime);
  const padding = tarPadding(data.length);
  const entry = new Uint8Array(BLOCK + data.length + padding.length);
  entry.set(header, 0);
  entry.set(data, BLOCK);
  return entry;
}

/** The end of an archive: two zero blocks. */
export function tarEnd(): Uint8Array {
  return new Uint8Array(BLOCK * 2);
}
