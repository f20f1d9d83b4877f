import { OffsetIndex } from '@warrant/domain';
import type { DatasetDocument, FormatLoss } from '../dataset/document.ts';
import { DEFAULT_CONFLICT, DEFAULT_INFERENCE, type AifEdge, type AifFile, type AifNode } from './aif.ts';

export interface AifWriteResult {
  json: string;
  losses: FormatLoss[];
}

/**
 * Writes one annotation set of a document as AIF JSON: spans become I-nodes, `supports`
 * relations RA-nodes (premise -> RA -> conclusion), `attacks` and `undercuts` CA-nodes (an
 * undercut's CA points at the RA or CA node of the relation it targets). Each relation gets
 * its own scheme node, so relation ids survive. Other relation types have no AIF node and are
 * reported as losses, with every relation that targets them.
 */
export function writeAif(document: DatasetDocument, source: string): AifWriteResult {
  const annotation = document.annotations.find((candidate) => candidate.source === source);
  if (!annotation) throw new RangeError(`document '${document.id}' has no annotation set from '${source}'`);
  const losses: FormatLoss[] = [];
  const lose = (item: string, reason: string) => losses.push({ document: document.id, source, item, reason });
  const index = new OffsetIndex(document.text);

  const nodes: AifNode[] = [];
  const edges: AifEdge[] = [];
  const nodeOf = new Map<string, string>();
  const nextId = () => String(nodes.length + 1);

  for (const span of annotation.spans) {
    let offsets;
    try {
      offsets = index.exportSpan(span.start, span.end);
    } catch (error) {
      lose(span.id, `invalid offsets: ${(error as Error).message}`);
      continue;
    }
    const nodeID = nextId();
    nodeOf.set(span.id, nodeID);
    nodes.push({
      nodeID,
      text: offsets.text,
      type: 'I',
      warrant: { id: span.id, label: span.label, note: span.note, start: offsets.start, end: offsets.end, start_utf16: span.start, end_utf16: span.end },
    });
  }

  // A relation can be written once its source is a span with a node and its target has (or
  // will have) one: settle which relations can be written first, since undercuts can target
  // relations listed after them.
  const byId = new Map(annotation.relations.map((relation) => [relation.id, relation]));
  const writable = new Map<string, boolean>();
  const why = new Map<string, string>();
  const canWrite = (id: string, path: string[]): boolean => {
    const known = writable.get(id);
    if (known !== undefined) return known;
    const relation = byId.get(id)!;
    let reason: string | null = null;
    if (relation.type !== 'supports' && relation.type !== 'attacks' && relation.type !== 'undercuts') {
      reason = `relation type '${relation.type}' has no AIF node type (only supports -> RA, attacks and undercuts -> CA)`;
    } else if (!nodeOf.has(relation.source)) {
      reason = `its source '${relation.source}' is not a written span`;
    } else if (!nodeOf.has(relation.target)) {
      const target = byId.get(relation.target);
      if (!target) reason = `its target '${relation.target}' is neither a written span nor a relation`;
      else if (path.includes(relation.target)) reason = `relations target each other in a cycle: ${[...path, id].join(' -> ')}`;
      else if (!canWrite(relation.target, [...path, id])) reason = `its target relation '${relation.target}' is not written`;
    }
    if (reason) why.set(id, reason);
    writable.set(id, reason === null);
    return reason === null;
  };
  const written = annotation.relations.filter((relation) => canWrite(relation.id, []));
  for (const relation of annotation.relations) {
    const reason = why.get(relation.id);
    if (reason) lose(relation.id, reason);
  }

  for (const relation of written) {
    const nodeID = nextId();
    nodeOf.set(relation.id, nodeID);
    const support = relation.type === 'supports';
    nodes.push({
      nodeID,
      text: support ? DEFAULT_INFERENCE : DEFAULT_CONFLICT,
      type: support ? 'RA' : 'CA',
      warrant: { id: relation.id, type: relation.type },
    });
  }
  for (const relation of written) {
    const scheme = nodeOf.get(relation.id)!;
    edges.push({ edgeID: String(edges.length + 1), fromID: nodeOf.get(relation.source)!, toID: scheme });
    edges.push({ edgeID: String(edges.length + 1), fromID: scheme, toID: nodeOf.get(relation.target)! });
  }

  const file: AifFile = {
    nodes,
    edges,
    locutions: [],
    warrant: {
      version: 1,
      id: document.id,
      text: document.text,
      language: document.language,
      category: annotation.category,
      source,
      meta: document.meta,
    },
  };
  return { json: `${JSON.stringify(file, null, 2)}\n`, losses };
}
