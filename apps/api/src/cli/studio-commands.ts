import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { EXPORT_FORMATS, IMPORT_FORMATS, IMPORT_MODES, createReleaseBody, type ImportFormat } from '@warrant/contracts';
import { EXIT, UsageError, inputFiles, parseArgs, type Io, type StudioCommand } from '@warrant/cli';
import {
  FormatError,
  PASSAGE_FORMATS,
  detectPassageFormat,
  parsePassages,
  type DatasetReadFormat,
  type PassageFormat,
} from '@warrant/formats';
import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../app.ts';
import { loadConfig } from '../config.ts';
import { DATABASE_FILE } from '../plugins/external/db.ts';
import { projects } from '../db/schema/projects.ts';
import { users } from '../db/schema/users.ts';
import { AppError } from '../lib/errors.ts';
import { unusablePasswordHash } from '../plugins/app/annotated-imports.ts';
import { backupStudio, restoreStudio } from './backup.ts';
import { importRejected } from '../plugins/app/passages-repository.ts';
import type { Actor } from '../plugins/app/projects-repository.ts';

const COMMON = ['db', 'project', 'as'];

/** The studio's data directory from --db (the directory, or its warrant.sqlite) or WARRANT_DATA_DIR; it must hold a database. */
function dataDirOf(option: string | undefined): string {
  const given = option ?? process.env.WARRANT_DATA_DIR;
  if (!given) throw new UsageError('say which studio: --db <data directory or its warrant.sqlite> (or set WARRANT_DATA_DIR)');
  const path = resolve(given);
  const isDir = existsSync(path) && statSync(path).isDirectory();
  const dir = isDir ? path : dirname(path);
  if (!isDir && basename(path) !== DATABASE_FILE) throw new UsageError(`--db: a studio's database is called ${DATABASE_FILE}; give it or its directory`);
  if (!existsSync(join(dir, DATABASE_FILE))) throw new UsageError(`--db: no studio database at ${join(dir, DATABASE_FILE)}`);
  return dir;
}

/** The app on the studio's database, without listening: the same services the routes call. */
async function openStudio(dataDir: string): Promise<FastifyInstance> {
  // The command serves no sessions: a throwaway secret, so it neither needs the studio's nor writes one.
  const config = loadConfig({
    ...process.env,
    WARRANT_DATA_DIR: dataDir,
    WARRANT_SESSION_SECRET: randomBytes(48).toString('base64url'),
    NODE_ENV: process.env.NODE_ENV === 'production' ? 'production' : 'development',
  });
  const app = await buildServer(config, { logger: false });
  await app.ready();
  return app;
}

function actorOf(app: FastifyInstance, username: string | undefined): Actor & { username: string } {
  const row = username
    ? app.db.select().from(users).where(eq(users.username, username.toLowerCase())).get()
    : app.db.select().from(users).where(eq(users.isAdmin, true)).orderBy(asc(users.createdAt)).limit(1).get();
  if (!row) throw new UsageError(username ? `--as: no user '${username}' in this studio` : 'this studio has no admin: say who acts with --as <username>');
  if (row.disabled) throw new UsageError(`--as: '${row.username}' is disabled`);
  return { id: row.id, isAdmin: row.isAdmin, username: row.username };
}

function projectOf(app: FastifyInstance, given: string | undefined): string {
  if (!given) throw new UsageError('say which project: --project <id or exact name>');
  const all = app.db.select({ id: projects.id, name: projects.name }).from(projects).all();
  const byId = all.find((p) => p.id === given);
  if (byId) return byId.id;
  const byName = all.filter((p) => p.name === given);
  if (byName.length === 1) return byName[0]!.id;
  if (byName.length > 1) throw new UsageError(`--project: ${byName.length} projects are called '${given}': give the id (${byName.map((p) => p.id).join(', ')})`);
  throw new UsageError(`--project: no project '${given}' (projects: ${all.map((p) => `'${p.name}' ${p.id}`).join(', ') || 'none'})`);
}

/** Runs a command on the studio, closing it however the command ends; studio refusals are bad input (exit 1). */
async function withStudio(options: Map<string, string>, io: Io, body: (app: FastifyInstance, actor: Actor & { username: string }) => Promise<number>): Promise<number> {
  const app = await openStudio(dataDirOf(options.get('db')));
  try {
    return await body(app, actorOf(app, options.get('as')));
  } catch (error) {
    if (error instanceof AppError) {
      io.stderr(`warrant: ${error.message}\n`);
      const details = error.details as { errors?: { line?: number; path?: string; message: string }[]; errorCount?: number } | undefined;
      for (const problem of details?.errors ?? []) io.stderr(`  ${problem.path ?? ''}${problem.line !== undefined ? `:${problem.line}` : ''}: ${problem.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  } finally {
    await app.close();
  }
}


const importCommand: StudioCommand = async (args, io) => {
  const { options, positional } = parseArgs(args, [...COMMON, 'format', 'mode', 'annotator', 'source', 'language']);
  if (positional.length !== 1) throw new UsageError('import takes one file or folder');
  const input = resolve(positional[0]!);
  const requested = options.get('format');
  if (requested !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(requested)) throw new UsageError(`--format: one of ${IMPORT_FORMATS.join(', ')}`);
  const format = (requested ?? detectPassageFormat(input)) as ImportFormat | null;
  if (!format) throw new UsageError(`--format: cannot tell the format of ${input}: name it (${IMPORT_FORMATS.join(', ')})`);
  const mode = options.get('mode');
  const language = options.get('language');
  if (language !== undefined && !['en', 'de', 'ru'].includes(language)) throw new UsageError('--language: en, de or ru');
  const passageFormat = (PASSAGE_FORMATS as readonly string[]).includes(format);
  if (passageFormat && mode !== undefined) throw new UsageError(`--mode is for annotated formats; ${format} holds passages only`);
  if (!passageFormat && !(IMPORT_MODES as readonly string[]).includes(mode ?? '')) throw new UsageError(`--mode: say where the annotations go, ${IMPORT_MODES.join(' or ')}`);
  if (!existsSync(input)) throw new UsageError(`no such file or folder: ${input}`);

  return withStudio(options, io, async (app, actor) => {
    const projectId = projectOf(app, options.get('project'));
    app.projects.requireRole(projectId, actor, 'lead');
    if (passageFormat) {
      const filename = basename(input);
      const parsed = await parsePassages(createReadStream(input), format as PassageFormat, { maxBytes: Number.MAX_SAFE_INTEGER });
      if (parsed.errors.length > 0) {
        const clashes = app.passages.clashes(projectId, parsed.passages);
        throw importRejected(filename, [...parsed.errors, ...clashes].slice(0, 100), parsed.errorCount + clashes.length);
      }
      const summary = app.passages.insertPassages(projectId, { filename, format: format as PassageFormat, bytes: parsed.bytes, passages: parsed.passages, warnings: parsed.warnings }, actor.id);
      for (const warning of summary.warnings) io.stderr(`warning: ${warning.line !== undefined ? `line ${warning.line}: ` : ''}${warning.message}\n`);
      io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
      return EXIT.ok;
    }
    const files = await inputFiles(input, format as DatasetReadFormat);
    const bytes = files.reduce((sum, f) => sum + f.bytes.length, 0);
    const { summary, losses } = app.annotatedImports.importFiles(
      projectId,
      {
        filename: files.length === 1 ? basename(files[0]!.name) : `${basename(input)}/ (${files.length} files)`,
        format: format as DatasetReadFormat,
        bytes,
        files,
        language: language as 'en' | 'de' | 'ru' | undefined,
        mode: mode as (typeof IMPORT_MODES)[number],
        source: options.get('source'),
        annotator: options.get('annotator'),
      },
      actor.id,
      await unusablePasswordHash(),
    );
    for (const loss of losses) io.stderr(`lost: ${loss.document}${loss.source ? ` (${loss.source})` : ''} ${loss.item}: ${loss.reason}\n`);
    io.stdout(`${JSON.stringify({ ...summary, losses: undefined }, null, 2)}\n`);
    return EXIT.ok;
  });
};

/** Streams into a temporary sibling, then renames it into place: a failed write leaves nothing. */
async function writeStreamAtomically(output: string, stream: NodeJS.ReadableStream): Promise<number> {
  await mkdir(dirname(output), { recursive: true });
  const temporary = join(dirname(output), `.${basename(output)}.partial-${process.pid}`);
  try {
    await pipeline(stream, createWriteStream(temporary));
    await rename(temporary, output);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return (await stat(output)).size;
}

const exportCommand: StudioCommand = async (args, io) => {
  const { options, positional } = parseArgs(args, [...COMMON, 'format']);
  if (positional.length !== 1) throw new UsageError('export takes one output file');
  const format = options.get('format') ?? 'jsonl';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: one of ${EXPORT_FORMATS.join(', ')}`);
  const output = resolve(positional[0]!);
  if (existsSync(output) && !statSync(output).isFile()) throw new UsageError(`${output} exists and is not a file`);
  return withStudio(options, io, async (app, actor) => {
    const projectId = projectOf(app, options.get('project'));
    const download = app.exports.download(projectId, format as (typeof EXPORT_FORMATS)[number], actor);
    const bytes = await writeStreamAtomically(output, download.stream);
    io.stderr(`exported ${format} to ${output} (${bytes} bytes)\n`);
    return EXIT.ok;
  });
};

const list = (value: string | undefined) => (value === undefined || value === '' ? [] : value.split(',').map((item) => item.trim()).filter(Boolean));

const releaseCommand: StudioCommand = async (args, io) => {
  const { options, positional } = parseArgs(args, [...COMMON, 'name', 'source', 'labels', 'categories', 'min-agreement', 'splits', 'seed', 'description', 'licence', 'citation', 'out']);
  if (positional.length > 0) throw new UsageError(`release takes no positional argument (got ${positional.join(' ')}): the bundle goes to --out`);
  const splits = options.get('splits');
  const ratios = splits === undefined ? undefined : splits.split(',').map(Number);
  if (ratios && (ratios.length !== 3 || ratios.some((r) => !Number.isFinite(r)))) throw new UsageError('--splits: three numbers, train,dev,test (e.g. 0.8,0.1,0.1)');
  const minAgreement = options.get('min-agreement');
  const parsed = createReleaseBody.safeParse({
    name: options.get('name'),
    ...(options.has('description') ? { description: options.get('description') } : {}),
    ...(options.has('source') ? { source: options.get('source') } : {}),
    labels: list(options.get('labels')),
    categories: list(options.get('categories')),
    minAgreement: minAgreement === undefined ? null : Number(minAgreement),
    ...(ratios ? { splits: { train: ratios[0], dev: ratios[1], test: ratios[2] } } : {}),
    ...(options.has('seed') ? { splitSeed: options.get('seed') } : {}),
    ...(options.has('licence') ? { licence: options.get('licence') } : {}),
    ...(options.has('citation') ? { citation: options.get('citation') } : {}),
  });
  if (!parsed.success) {
    const names: Record<string, string> = { minAgreement: 'min-agreement', splitSeed: 'seed' };
    throw new UsageError(parsed.error.issues.map((issue) => `--${names[String(issue.path[0])] ?? String(issue.path[0] ?? 'name')}: ${issue.message}`).join('; '));
  }
  const out = options.get('out');
  // Checked before the release is cut: a release is never undone.
  if (out !== undefined && existsSync(resolve(out)) && !statSync(resolve(out)).isFile()) throw new UsageError(`--out: ${resolve(out)} exists and is not a file`);
  return withStudio(options, io, async (app, actor) => {
    const projectId = projectOf(app, options.get('project'));
    const release = await app.releases.create(projectId, parsed.data, actor);
    if (out !== undefined) {
      try {
        const bundle = await app.releases.download(projectId, release.id, actor);
        const bytes = await writeStreamAtomically(resolve(out), bundle.stream);
        io.stderr(`wrote release v${release.version} to ${resolve(out)} (${bytes} bytes)\n`);
      } catch (error) {
        io.stdout(`${JSON.stringify(release, null, 2)}\n`);
        io.stderr(`warrant: release v${release.version} was cut, but writing ${resolve(out)} failed (${error instanceof Error ? error.message : String(error)}): download it from the studio's Releases page\n`);
        return EXIT.badInput;
      }
    }
    io.stdout(`${JSON.stringify(release, null, 2)}\n`);
    return EXIT.ok;
  });
};

const backupCommand: StudioCommand = async (args, io) => {
  const { options, positional } = parseArgs(args, ['db']);
  if (positional.length !== 1) throw new UsageError('backup takes the folder to write the backup into');
  const summary = await backupStudio(dataDirOf(options.get('db')), resolve(positional[0]!));
  io.stderr(`backed up ${summary.counts.passages} passages, ${summary.counts.annotation_sets} annotation sets and ${summary.releases} release(s) to ${resolve(positional[0]!)} (integrity: ${summary.database.integrity})\n`);
  io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
  return EXIT.ok;
};

const restoreCommand: StudioCommand = async (args, io) => {
  const { options, positional } = parseArgs(args, ['db']);
  if (positional.length !== 1) throw new UsageError('restore takes the backup folder');
  const given = options.get('db') ?? process.env.WARRANT_DATA_DIR;
  if (!given) throw new UsageError('say which studio: --db <data directory> (or set WARRANT_DATA_DIR)');
  const { summary, keptAs } = await restoreStudio(resolve(positional[0]!), resolve(given));
  io.stderr(`restored the backup of ${summary.createdAt} into ${resolve(given)}${keptAs ? `; the database that was there is kept as ${keptAs}` : ''}\n`);
  return EXIT.ok;
};

export const studioCommands: Record<string, StudioCommand> = {
  import: async (args, io) => importCommand(args, io).catch((error: unknown) => formatErrors(error, io)),
  export: exportCommand,
  release: releaseCommand,
  backup: backupCommand,
  restore: restoreCommand,
};

/** Problems of the input files are bad input, reported as `warrant convert` reports them. */
function formatErrors(error: unknown, io: Io): number {
  if (!(error instanceof FormatError)) throw error;
  for (const p of error.problems) io.stderr(`${p.file}${p.line !== undefined ? `:${p.line}` : ''}${p.element ? ` (${p.element})` : ''}: ${p.message}\n`);
  return EXIT.badInput;
}
