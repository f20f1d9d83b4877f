import { OffsetIndex, type LabelScheme, type Relation, type Span } from '@warrant/domain';
import { serializeSemanticRecord, toGoldRecord, toSemanticRecord, type DatasetDocument, type GoldProvenance } from '@warrant/formats';
import type { annotationSets } from '../db/schema/annotations.ts';
import type { goldVersions } from '../db/schema/gold.ts';
import type { passages, projects } from '../db/schema/projects.ts';
import { toIso, toIsoOrNull } from '../lib/time.ts';

export interface ExportedSet {
  username: string;
  set: typeof annotationSets.$inferSelect;
  spans: Span[];
  relations: Relation[];
}

export interface ExportedGold {
  row: typeof goldVersions.$inferSelect;
  adjudicator: string;
  /** Provenance with usernames, as every record speaks. */
  categorySources: string[];
  spans: (Span & GoldProvenance)[];
  relations: (Relation & GoldProvenance)[];
}

/** One passage with everything exported about it. */
export interface ExportedPassage {
  passage: typeof passages.$inferSelect;
  meta: Record<string, unknown> | null;
  sets: ExportedSet[];
  gold: ExportedGold | null;
}

export interface ExportContext {
  project: typeof projects.$inferSelect;
  scheme: LabelScheme;
}

/** What every semantic record says of its project. */
export interface ProjectRef {
  id: string;
  name: string;
  schemeVersion: number;
}

export const projectRefOf = (project: ProjectRef): ProjectRef => ({ id: project.id, name: project.name, schemeVersion: project.schemeVersion });

export function toDocument(item: ExportedPassage): DatasetDocument {
  const annotations = item.sets.map((s) => ({ source: s.username, category: s.set.category, spans: s.spans, relations: s.relations }));
  if (item.gold) {
    annotations.push({
      source: 'gold',
      category: item.gold.row.category,
      spans: item.gold.spans.map((g) => ({ id: g.id, label: g.label, start: g.start, end: g.end, note: g.note })),
      relations: item.gold.relations.map((g) => ({ id: g.id, type: g.type, source: g.source, target: g.target })),
    });
  }
  const language = item.meta?.language ?? item.meta?.lang;
  return { id: item.passage.externalId, text: item.passage.text, language: typeof language === 'string' ? language : null, meta: item.meta, annotations };
}

/** A passage's semantic JSONL lines: one per annotation set, then its gold version. */
export function semanticLines(item: ExportedPassage, projectRef: ProjectRef): string[] {
  const out: string[] = [];
  // One offset index per passage for all its records (the other writers index the text themselves).
  const index = new OffsetIndex(item.passage.text);
  const passageRef = { id: item.passage.id, externalId: item.passage.externalId, text: item.passage.text, textSha256: item.passage.textSha256, meta: item.meta };
  for (const { set, username, spans: setSpans, relations: setRelations } of item.sets) {
    const record = toSemanticRecord(
      {
        passage: passageRef,
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
        spans: setSpans,
        relations: setRelations,
        project: projectRef,
      },
      index,
    );
    out.push(serializeSemanticRecord(record));
  }
  if (item.gold) {
    const { row, adjudicator } = item.gold;
    const record = toGoldRecord(
      {
        passage: passageRef,
        project: projectRef,
        gold: {
          status: row.status,
          version: row.version,
          category: row.category,
          categorySources: item.gold.categorySources,
          note: row.note,
          adjudicator,
          updatedAt: toIso(row.updatedAt),
        },
        spans: item.gold.spans,
        relations: item.gold.relations,
      },
      index,
    );
    out.push(serializeSemanticRecord(record));
  }
  return out;
}

/**
 * A batch's semantic JSONL as one string: a chunk per batch, since a chunk per record costs more
 * in the stream machinery than the records themselves.
 */
export function semanticText(items: readonly ExportedPassage[], projectRef: ProjectRef): string {
  const out: string[] = [];
  for (const item of items) out.push(...semanticLines(item, projectRef));
  return out.join('');
}
