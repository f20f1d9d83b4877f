import { createHash } from 'node:crypto';

/** Hex SHA-256 of the text encoded as UTF-8: the `text_sha256` of a record (docs/offsets.md). */
export function textSha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
