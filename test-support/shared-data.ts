import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Test data from the field (corpora, agreement examples) lives outside the repository, in the
 * `shared` folder next to it; WARRANT_SHARED_DIR points elsewhere. Tests read it in place and
 * never copy it into the repo.
 */
export function sharedPath(...segments: string[]): string {
  const root = process.env.WARRANT_SHARED_DIR ?? resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'shared');
  if (!existsSync(root)) {
    throw new Error(`test data not found at ${root}: put the shared folder next to the repository or set WARRANT_SHARED_DIR`);
  }
  return join(root, ...segments);
}
