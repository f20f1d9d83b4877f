import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '@warrant/cli';
import Database from 'better-sqlite3';
import { DATABASE_FILE, IN_USE_DIR, processesUsing } from '../plugins/external/db.ts';

export const BACKUP_MANIFEST = 'backup.json';

export interface BackupSummary {
  createdAt: string;
  source: string;
  database: { bytes: number; sha256: string; integrity: string };
  counts: Record<string, number>;
  releases: number;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const COUNTED = ['users', 'projects', 'passages', 'annotation_sets', 'spans', 'relations', 'gold_versions', 'releases', 'history'] as const;

/** `PRAGMA integrity_check` and row counts of a database file, opened read-only. */
function inspect(file: string): { integrity: string; counts: Record<string, number> } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const counts = Object.fromEntries(COUNTED.map((table) => [table, (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n]));
    return { integrity, counts };
  } finally {
    db.close();
  }
}

/** A folder that does not exist yet, or an empty one. */
async function checkNewFolder(path: string, option: string): Promise<void> {
  if (!existsSync(path)) return;
  if (!(await stat(path)).isDirectory() || (await readdir(path)).length > 0) throw new UsageError(`${option}: ${path} exists and is not an empty folder`);
}

/**
 * A copy of a live studio, taken while it runs: the database through SQLite's online backup (a
 * consistent snapshot whatever is being saved meanwhile), then the release bundles (immutable
 * files, written before their row, so every release the copy records has its files). Written
 * into a temporary sibling and renamed into place, checked (integrity_check) with a backup.json.
 */
export async function backupStudio(dataDir: string, out: string): Promise<BackupSummary> {
  await checkNewFolder(out, 'the backup folder');
  const partial = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    const source = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
    try {
      await source.backup(join(partial, DATABASE_FILE));
    } finally {
      source.close();
    }
    const releases = join(dataDir, 'releases');
    let releaseCount = 0;
    if (existsSync(releases)) {
      for (const name of await readdir(releases)) {
        if (name.startsWith('.partial-')) continue;
        await cp(join(releases, name), join(partial, 'releases', name), { recursive: true });
        releaseCount += 1;
      }
    }
    const file = join(partial, DATABASE_FILE);
    const { integrity, counts } = inspect(file);
    if (integrity !== 'ok') throw new Error(`the copy failed its integrity check: ${integrity}`);
    const summary: BackupSummary = {
      createdAt: new Date().toISOString(),
      source: dataDir,
      database: { bytes: (await stat(file)).size, sha256: await sha256File(file), integrity },
      counts,
      releases: releaseCount,
    };
    await writeFile(join(partial, BACKUP_MANIFEST), `${JSON.stringify(summary, null, 2)}\n`);
    await rm(out, { recursive: true, force: true });
    await rename(partial, out);
    return summary;
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Puts a backup in place of a studio's database and release bundles. Refused while any process
 * has the database open (the server, a `warrant` command): restoring under a live server would
 * lose its writes or corrupt the file. What was there is kept beside it (`*.before-restore-<time>`).
 */
export async function restoreStudio(backup: string, dataDir: string): Promise<{ summary: BackupSummary; keptAs: string | null }> {
  const manifest = join(backup, BACKUP_MANIFEST);
  if (!existsSync(join(backup, DATABASE_FILE)) || !existsSync(manifest)) throw new UsageError(`${backup} is not a backup made by \`warrant backup\` (no ${DATABASE_FILE} and ${BACKUP_MANIFEST})`);
  const summary = JSON.parse(await readFile(manifest, 'utf8')) as BackupSummary;
  const file = join(backup, DATABASE_FILE);
  if ((await sha256File(file)) !== summary.database.sha256) throw new Error(`${file} does not match its ${BACKUP_MANIFEST} (SHA-256 differs): the backup is damaged`);
  const { integrity } = inspect(file);
  if (integrity !== 'ok') throw new Error(`${file} fails its integrity check: ${integrity}`);
  const using = processesUsing(dataDir);
  if (using.length > 0) throw new UsageError(`the studio at ${dataDir} is open in process ${using.join(', ')}: stop the server (and any warrant command) first`);

  await mkdir(dataDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let keptAs: string | null = null;
  const target = join(dataDir, DATABASE_FILE);
  if (existsSync(target)) {
    keptAs = `${target}.before-restore-${stamp}`;
    await rename(target, keptAs);
    // The old database's WAL belongs with it, never with the restored file.
    for (const suffix of ['-wal', '-shm']) if (existsSync(`${target}${suffix}`)) await rename(`${target}${suffix}`, `${keptAs}${suffix}`);
  }
  const incoming = `${target}.restoring-${process.pid}`;
  await cp(file, incoming);
  await rename(incoming, target);
  const releases = join(dataDir, 'releases');
  if (existsSync(releases)) await rename(releases, `${releases}.before-restore-${stamp}`);
  if (existsSync(join(backup, 'releases'))) await cp(join(backup, 'releases'), releases, { recursive: true });
  await rm(join(dataDir, IN_USE_DIR), { recursive: true, force: true });
  return { summary, keptAs };
}
