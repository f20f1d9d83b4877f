import type { MultipartFile } from '@fastify/multipart';
import type { ImportSummary } from '@warrant/contracts';
import { PASSAGE_FORMATS, PassageSizeLimitError, detectPassageFormat, parsePassages, type PassageFormat } from '@warrant/formats';
import type { FastifyBaseLogger } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../lib/errors.ts';
import { importRejected, type PassagesRepository } from './passages-repository.ts';
import type { Actor, ProjectsRepository } from './projects-repository.ts';

/**
 * Passage uploads: the file part is parsed as it streams in (line-numbered problems, exact
 * bytes), then written in one transaction only if the whole file is valid.
 */
export class ImportsService {
  constructor(
    private readonly projects: ProjectsRepository,
    private readonly passages: PassagesRepository,
    private readonly maxBytes: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  private tooLarge(): AppError {
    const mb = Math.round(this.maxBytes / 1024 / 1024);
    return new AppError(413, 'PAYLOAD_TOO_LARGE', `the file is larger than ${mb} MB: split it and import the parts`);
  }

  /** `nextFile` is only called once the caller is known to be a lead: nobody else's upload is read. */
  async importUpload(projectId: string, actor: Actor, nextFile: () => Promise<MultipartFile | undefined>): Promise<ImportSummary> {
    this.projects.requireRole(projectId, actor, 'lead');
    const file = await nextFile();
    if (!file || file.fieldname !== 'file') {
      throw new AppError(400, 'VALIDATION_FAILED', 'no file: send it in a multipart field named "file"');
    }
    const filename = file.filename.replace(/[\\/]/g, '_').slice(0, 255) || 'upload';
    const formatField = file.fields.format;
    const requested = formatField && 'value' in formatField ? String(formatField.value) : '';
    const format: PassageFormat | null = requested
      ? (PASSAGE_FORMATS.find((f) => f === requested) ?? null)
      : detectPassageFormat(filename);
    if (!format) {
      file.file.resume();
      throw new AppError(400, 'VALIDATION_FAILED', `cannot tell the format of '${filename}': use .txt, .jsonl or .csv`, {
        issues: [{ path: 'format', message: `expected one of ${PASSAGE_FORMATS.join(', ')}` }],
      });
    }
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

declare module 'fastify' {
  interface FastifyInstance {
    imports: ImportsService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('imports', new ImportsService(fastify.projects, fastify.passages, fastify.maxImportBytes, fastify.log));
  },
  { name: 'imports-service', dependencies: ['multipart', 'projects-repository', 'passages-repository'] },
);
