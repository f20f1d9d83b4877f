import type { Multipart, MultipartFile } from '@fastify/multipart';
import { ANNOTATED_IMPORT_FORMATS, IMPORT_FORMATS, IMPORT_MODES, type ImportFormat, type ImportSummary } from '@warrant/contracts';
import {
  PASSAGE_FORMATS,
  PassageSizeLimitError,
  detectPassageFormat,
  parsePassages,
  type DatasetFile,
  type DatasetReadFormat,
  type PassageFormat,
} from '@warrant/formats';
import type { FastifyBaseLogger } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../lib/errors.ts';
import { unusablePasswordHash, type AnnotatedImportsRepository } from './annotated-imports.ts';
import { importRejected, type PassagesRepository } from './passages-repository.ts';
import type { Actor, ProjectsRepository } from './projects-repository.ts';

/**
 * Passage uploads: the file part is parsed as it streams in (line-numbered problems, exact
 * bytes), then written in one transaction only if the whole file is valid.
 */
/** Files in one annotated import (a folder of brat or microtext files). */
export const MAX_IMPORT_FILES = 20_000;

export class ImportsService {
  constructor(
    private readonly projects: ProjectsRepository,
    private readonly passages: PassagesRepository,
    private readonly annotated: AnnotatedImportsRepository,
    private readonly maxBytes: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  private tooLarge(): AppError {
    const mb = Math.round(this.maxBytes / 1024 / 1024);
    return new AppError(413, 'PAYLOAD_TOO_LARGE', `the file is larger than ${mb} MB: split it and import the parts`);
  }

  /**
   * `parts` is only called once the caller is known to be a lead: nobody else's upload is read.
   * Fields (`format`, `mode`, `source`, `annotator`, `language`) come before the file parts.
   * Plain passages are one file, parsed as it streams; an annotated corpus may be many files
   * (brat .ann with .txt, a folder of microtexts), read whole within the size limit.
   */
  async importUpload(projectId: string, actor: Actor, parts: () => AsyncIterableIterator<Multipart>): Promise<ImportSummary> {
    this.projects.requireRole(projectId, actor, 'lead');
    const fields: Record<string, string> = {};
    const files: DatasetFile[] = [];
    let total = 0;
    let format: ImportFormat | null = null;
    let summary: ImportSummary | null = null;
    for await (const part of parts()) {
      if (part.type === 'field') {
        if (files.length > 0 || summary) throw invalid(part.fieldname, `the field '${part.fieldname}' must come before the files`);
        fields[part.fieldname] = String(part.value);
        continue;
      }
      if (part.fieldname !== 'file') {
        part.file.resume();
        throw invalid(part.fieldname, `unexpected file field '${part.fieldname}': send files in fields named "file"`);
      }
      const filename = safeName(part.filename);
      format ??= chooseFormat(fields, filename);
      if (!format) {
        part.file.resume();
        throw invalid('format', `cannot tell the format of '${filename}': use .txt, .jsonl or .csv for passages, or choose an annotated format (${ANNOTATED_IMPORT_FORMATS.join(', ')})`);
      }
      if (isPassageFormat(format)) {
        if (summary) {
          part.file.resume();
          throw invalid('file', 'plain passages come in one file: import the others one by one');
        }
        summary = await this.importPassages(projectId, actor, part, filename, format);
        continue;
      }
      const bytes = await readLimited(part, this.maxBytes - total);
      if (bytes === null) throw this.tooLarge();
      total += bytes.length;
      files.push({ name: filename, bytes });
    }
    if (summary) return summary;
    if (!format || files.length === 0) {
      throw new AppError(400, 'VALIDATION_FAILED', 'no file: send it in a multipart field named "file"');
    }
    return this.importAnnotated(projectId, actor, format as DatasetReadFormat, fields, files, total);
  }

  private async importAnnotated(
    projectId: string,
    actor: Actor,
    format: DatasetReadFormat,
    fields: Record<string, string>,
    files: DatasetFile[],
    bytes: number,
  ): Promise<ImportSummary> {
    const mode = IMPORT_MODES.find((m) => m === fields.mode);
    if (!mode) throw invalid('mode', `say where the annotations go: mode is one of ${IMPORT_MODES.join(', ')}`);
    const language = fields.language ? (['en', 'de', 'ru'] as const).find((l) => l === fields.language) : undefined;
    if (fields.language && !language) throw invalid('language', 'one of en, de, ru');
    const filename = files.length === 1 ? files[0]!.name : `${files[0]!.name} and ${files.length - 1} more`;
    const started = performance.now();
    const { summary } = this.annotated.importFiles(
      projectId,
      { filename, format, bytes, files, language, mode, source: fields.source || undefined, annotator: fields.annotator || undefined },
      actor.id,
      await unusablePasswordHash(),
    );
    this.log.info(
      { projectId, importId: summary.id, format, mode, passages: summary.passages, annotations: summary.annotations, bytes, ms: Math.round(performance.now() - started) },
      'import',
    );
    return summary;
  }

  private async importPassages(projectId: string, actor: Actor, file: MultipartFile, filename: string, format: PassageFormat): Promise<ImportSummary> {
    const parseStart = performance.now();
    let parsed;
    try {
      parsed = await parsePassages(file.file, format, { maxBytes: this.maxBytes });
    } catch (error) {
      if (error instanceof PassageSizeLimitError) {
        file.file.resume();
        throw this.tooLarge();
      }
      throw error;
    }
    if (file.file.truncated) throw this.tooLarge();
    if (parsed.errors.length > 0) {
      // Report ids the project already has in the same answer, so one round of fixes is enough.
      const clashes = this.passages.clashes(projectId, parsed.passages);
      const errors = [...parsed.errors, ...clashes].sort((a, b) => (a.line || Infinity) - (b.line || Infinity));
      throw importRejected(filename, errors.slice(0, 100), parsed.errorCount + clashes.length);
    }
    const writeStart = performance.now();
    const summary = this.passages.insertPassages(
      projectId,
      { filename, format, bytes: parsed.bytes, passages: parsed.passages, warnings: parsed.warnings },
      actor.id,
    );
    this.log.info(
      {
        projectId,
        importId: summary.id,
        passages: summary.passages,
        bytes: summary.bytes,
        parseMs: Math.round(writeStart - parseStart),
        writeMs: Math.round(performance.now() - writeStart),
      },
      'import',
    );
    return summary;
  }
}

function invalid(path: string, message: string): AppError {
  return new AppError(400, 'VALIDATION_FAILED', message, { issues: [{ path, message }] });
}

/** A client's file name, never a path: kept for reports only. Folder uploads keep their relative path. */
function safeName(name: string): string {
  return name.replace(/\\/g, '/').replace(/\.\.\//g, '').replace(/^\/+/, '').slice(0, 255) || 'upload';
}

const isPassageFormat = (format: ImportFormat): format is PassageFormat => (PASSAGE_FORMATS as readonly string[]).includes(format);

/** The asked format, or one told by the first file's name: annotated formats must be named, save the unambiguous ones. */
function chooseFormat(fields: Record<string, string>, filename: string): ImportFormat | null {
  const requested = fields.format;
  if (requested) return IMPORT_FORMATS.find((f) => f === requested) ?? null;
  if (fields.mode) return null;
  return detectPassageFormat(filename);
}

/** The whole part, or null once it passes `room` bytes (the rest is drained). */
async function readLimited(part: MultipartFile, room: number): Promise<Uint8Array | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > room) {
      part.file.resume();
      return null;
    }
    chunks.push(chunk);
  }
  if (part.file.truncated) return null;
  return Buffer.concat(chunks);
}

declare module 'fastify' {
  interface FastifyInstance {
    imports: ImportsService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('imports', new ImportsService(fastify.projects, fastify.passages, fastify.annotatedImports, fastify.maxImportBytes, fastify.log));
  },
  { name: 'imports-service', dependencies: ['multipart', 'projects-repository', 'passages-repository', 'annotated-imports'] },
);
