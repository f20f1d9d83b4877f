import { createHash } from 'node:crypto';
import { textSha256 } from '../semantic-jsonl/sha256.ts';

/** Lower-case hex SHA-256 of bytes, or of a string encoded as UTF-8 (as `text_sha256` is). */
export function sha256Hex(data: string | Uint8Array): string {
  return typeof data === 'string' ? textSha256(data) : createHash('sha256').update(data).digest('hex');
}
