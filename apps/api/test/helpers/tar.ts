import { gunzipSync } from 'node:zlib';

/** The files of a .tar.gz, by name (ustar: 512-byte headers, name + prefix). */
export function untar(gz: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(gz);
  const files = new Map<string, Buffer>();
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, length: number) => header.subarray(from, from + length).toString('utf8').replace(/\0.*$/s, '');
    const name = [field(345, 155), field(0, 100)].filter(Boolean).join('/');
    const size = Number.parseInt(field(124, 12), 8);
    files.set(name, tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** The same, each file as UTF-8 text. */
export function untarText(gz: Buffer): Map<string, string> {
  return new Map([...untar(gz)].map(([name, data]) => [name, data.toString('utf8')]));
}
