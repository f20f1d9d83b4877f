import { OffsetIndex } from '@warrant/domain';
import { serializeSemanticRecord, toSemanticRecord } from '@warrant/formats';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import fp from 'fastify-plugin';
import { openReadConnection, schema } from '../../db/client.ts';
import { annotationSets, relations, spans } from '../../db/schema/annotations.ts';
import { passages, projects } from '../../db/schema/projects.ts';
import { users } from '../../db/schema/users.ts';
import { notFound } from '../../lib/errors.ts';
import { toIso, toIsoOrNull } from '../../lib/time.ts';

const PASSAGES_PER_BATCH = 50;

/**
 * Streams every annotation set of a project as semantic JSONL, in constant memory, from one
 * read transaction on its own connection: the export is a consistent snapshot while annotators
 * keep saving (WAL lets writers go on).
 */
export class ExportService {
  constructor(private readonly dbFile: string) {}

  async *jsonl(projectId: string): AsyncGenerator<string> {
    const sqlite = openReadConnection(this.dbFile);
    const db = drizzle(sqlite, { schema });
    try {
      sqlite.exec('BEGIN');
      const project = db.select().from(projects).where(eq(projects.id, projectId)).get();
      if (!project) throw notFound('project');
      let lastOrdinal = -1;
      for (;;) {
        const batch = db
          .select()
          .from(passages)
          .where(and(eq(passages.projectId, projectId), gt(passages.ordinal, lastOrdinal)))
          .orderBy(asc(passages.ordinal))
          .limit(PASSAGES_PER_BATCH)
          .all();
        const last = batch.at(-1);
        if (!last) break;
        lastOrdinal = last.ordinal;
        const sets = db
          .select({ set: annotationSets, username: users.username })
          .from(annotationSets)
          .innerJoin(users, eq(users.id, annotationSets.userId))
          .where(inArray(annotationSets.passageId, batch.map((p) => p.id)))
          .orderBy(asc(users.username))
          .all();
        const setIds = sets.map((s) => s.set.id);
        const spanRows = setIds.length === 0 ? [] : db.select().from(spans).where(inArray(spans.setId, setIds)).all();
        const relationRows = setIds.length === 0 ? [] : db.select().from(relations).where(inArray(relations.setId, setIds)).all();
        const lines: string[] = [];
        for (const passage of batch) {
          const mine = sets.filter((s) => s.set.passageId === passage.id);
          if (mine.length === 0) continue;
          const index = new OffsetIndex(passage.text);
          const meta = passage.meta === null ? null : (JSON.parse(passage.meta) as Record<string, unknown>);
          for (const { set, username } of mine) {
            const record = toSemanticRecord(
              {
                passage: { id: passage.id, externalId: passage.externalId, text: passage.text, textSha256: passage.textSha256, meta },
                source: { kind: 'annotator', username },
                set: {
                  id: set.id,
                  status: set.status,
                  category: set.category,
                  skipReason: set.skipReason,
                  version: set.version,
                  updatedAt: toIso(set.updatedAt),
                  submittedAt: toIsoOrNull(set.submittedAt),
                },
                spans: spanRows
                  .filter((s) => s.setId === set.id)
                  .map((s) => ({ id: s.id, label: s.label, start: s.start, end: s.end, note: s.note })),
                relations: relationRows
                  .filter((r) => r.setId === set.id)
                  .map((r) => ({ id: r.id, type: r.type, source: r.sourceId, target: r.targetId })),
                project: { id: project.id, name: project.name, schemeVersion: project.schemeVersion },
              },
              index,
            );
            lines.push(serializeSemanticRecord(record));
          }
        }
        if (lines.length > 0) yield lines.join('');
      }
      sqlite.exec('COMMIT');
    } finally {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      sqlite.close();
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    exports: ExportService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('exports', new ExportService(fastify.dbFile));
  },
  { name: 'export-service', dependencies: ['db'] },
);
