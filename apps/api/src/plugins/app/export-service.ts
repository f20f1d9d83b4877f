import { Readable } from 'node:stream';
import { OffsetIndex, type Relation, type Span } from '@warrant/domain';
import { serializeSemanticRecord, toGoldRecord, toSemanticRecord, type GoldProvenance } from '@warrant/formats';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import fp from 'fastify-plugin';
import { openReadConnection, schema } from '../../db/client.ts';
import { annotationSets, relations, spans } from '../../db/schema/annotations.ts';
import { goldVersions } from '../../db/schema/gold.ts';
import { passages, projects } from '../../db/schema/projects.ts';
import { users } from '../../db/schema/users.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { toIso, toIsoOrNull } from '../../lib/time.ts';
import type { Actor, ProjectsRepository } from './projects-repository.ts';

const PASSAGES_PER_BATCH = 50;
/** Each export holds a read snapshot (and so the WAL) open: a few at a time is plenty. */
export const MAX_CONCURRENT_EXPORTS = 4;

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Streams every annotation set of a project as semantic JSONL, in constant memory, from one
 * read transaction on its own connection: the export is a consistent snapshot while annotators
 * keep saving (WAL lets writers go on).
 */
function slug(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .toLowerCase()
    .slice(0, 60);
  return ascii || 'project';
}

export interface ExportDownload {
  filename: string;
  stream: Readable;
}

export class ExportService {
  private running = 0;

  constructor(
    private readonly dbFile: string,
    private readonly projects: ProjectsRepository,
  ) {}

  /** A lead's download of every annotation set of a project; 429 when too many are running. */
  jsonl(projectId: string, actor: Actor): ExportDownload {
    this.projects.requireRole(projectId, actor, 'lead');
    const name = this.projects.name(projectId);
    if (this.running >= MAX_CONCURRENT_EXPORTS) {
      throw new AppError(429, 'RATE_LIMITED', 'too many exports are running: try again in a minute', undefined, { 'retry-after': '30' });
    }
    this.running += 1;
    const stream = Readable.from(this.generate(projectId), { objectMode: false });
    // 'close' comes however the stream ends: finished, failed, or destroyed by a client that left.
    stream.once('close', () => {
      this.running -= 1;
    });
    return { filename: `${slug(name)}-${new Date().toISOString().slice(0, 10)}.jsonl`, stream };
  }

  private async *generate(projectId: string): AsyncGenerator<string> {
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
        const spansBySet = groupBy(setIds.length === 0 ? [] : db.select().from(spans).where(inArray(spans.setId, setIds)).all(), (r) => r.setId);
        const relationsBySet = groupBy(
          setIds.length === 0 ? [] : db.select().from(relations).where(inArray(relations.setId, setIds)).all(),
          (r) => r.setId,
        );
        const setsByPassage = groupBy(sets, (s) => s.set.passageId);
        const golds = new Map(
          db
            .select({ gold: goldVersions, adjudicator: users.username })
            .from(goldVersions)
            .innerJoin(users, eq(users.id, goldVersions.adjudicatorId))
            .where(inArray(goldVersions.passageId, batch.map((p) => p.id)))
            .all()
            .map((row) => [row.gold.passageId, row]),
        );
        // Gold provenance is stored as user ids; the export speaks usernames, as annotator records do.
        const usernames = new Map<string, string>();
        const nameOf = (id: string) => {
          let name = usernames.get(id);
          if (name === undefined) {
            name = db.select({ username: users.username }).from(users).where(eq(users.id, id)).get()?.username ?? id;
            usernames.set(id, name);
          }
          return name;
        };
        const withNames = <T extends GoldProvenance>(item: T): T => ({ ...item, sources: item.sources.map(nameOf) });
        const lines: string[] = [];
        for (const passage of batch) {
          const mine = setsByPassage.get(passage.id) ?? [];
          const gold = golds.get(passage.id);
          if (mine.length === 0 && !gold) continue;
          const index = new OffsetIndex(passage.text);
          const meta = passage.meta === null ? null : (JSON.parse(passage.meta) as Record<string, unknown>);
          const projectRef = { id: project.id, name: project.name, schemeVersion: project.schemeVersion };
          const passageRef = { id: passage.id, externalId: passage.externalId, text: passage.text, textSha256: passage.textSha256, meta };
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
                spans: (spansBySet.get(set.id) ?? []).map((s) => ({ id: s.id, label: s.label, start: s.start, end: s.end, note: s.note })),
                relations: (relationsBySet.get(set.id) ?? []).map((r) => ({ id: r.id, type: r.type, source: r.sourceId, target: r.targetId })),
                project: { id: project.id, name: project.name, schemeVersion: project.schemeVersion },
              },
              index,
            );
            lines.push(serializeSemanticRecord(record));
          }
          if (gold) {
            const record = toGoldRecord(
              {
                passage: passageRef,
                project: projectRef,
                gold: {
                  status: gold.gold.status,
                  version: gold.gold.version,
                  category: gold.gold.category,
                  categorySources: (JSON.parse(gold.gold.categorySources) as string[]).map(nameOf),
                  note: gold.gold.note,
                  adjudicator: gold.adjudicator,
                  updatedAt: toIso(gold.gold.updatedAt),
                },
                spans: (JSON.parse(gold.gold.spans) as (Span & GoldProvenance)[]).map(withNames),
                relations: (JSON.parse(gold.gold.relations) as (Relation & GoldProvenance)[]).map(withNames),
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
    fastify.decorate('exports', new ExportService(fastify.dbFile, fastify.projects));
  },
  { name: 'export-service', dependencies: ['db', 'projects-repository'] },
);
