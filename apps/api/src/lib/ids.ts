import { randomBytes } from 'node:crypto';

/** A random, unguessable id (128 bits, base64url): ids never reveal order or count. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** Many ids at once from one call to the random source (imports create hundreds of thousands). */
export function idBatch(count: number): string[] {
  const bytes = randomBytes(16 * count);
  const ids = new Array<string>(count);
  for (let i = 0; i < count; i += 1) ids[i] = bytes.subarray(i * 16, i * 16 + 16).toString('base64url');
  return ids;
}

/** A password for a generated account: 20 characters from an unambiguous alphabet (~100 bits). */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(40);
  let out = '';
  for (const byte of bytes) {
    // Rejection sampling keeps every character equally likely.
    if (byte >= alphabet.length * Math.floor(256 / alphabet.length)) continue;
    out += alphabet[byte % alphabet.length];
    if (out.length === 20) break;
  }
  if (out.length < 20) return generatePassword();
  return `${out.slice(0, 5)}-${out.slice(5, 10)}-${out.slice(10, 15)}-${out.slice(15, 20)}`;
}
