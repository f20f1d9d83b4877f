/**
 * Importer for the Argumentative Microtext Corpus (Peldszus & Stede) argument graphs, and the
 * bilingual argmicro-ru files. The mapping onto Warrant's model is documented in the package
 * README ("arg-microtexts"); every distinction the model cannot carry is kept in the document's
 * `meta` and reported as a FormatLoss.
 */
import {
  FormatError,
  type DatasetDocument,
  type DatasetRelation,
  type DatasetSpan,
  type FormatLoss,
  type FormatProblem,
} from '../dataset/document.ts';
import { XmlSyntaxError, parseXml, type XmlElement } from '../xml/parse-xml.ts';
import { decodeXmlBytes } from './decode.ts';

export const ARG_MICROTEXT_SOURCE = 'arg-microtext';

export type ArgMicrotextLanguage = 'en' | 'de' | 'ru';

export interface ArgMicrotextInput {
  /** Shown in errors; the file name is enough. */
  file: string;
  bytes: Uint8Array;
  /**
   * Bilingual files (EDUs with `lang`): which language to import, `ru` by default. Files
   * without `lang` (en/, de/) hold one language: this only sets the document's `language`.
   */
  language?: ArgMicrotextLanguage;
  /** Annotation source of the imported annotation set; `arg-microtext` by default. */
  source?: string;
}

export interface ArgMicrotextResult {
  document: DatasetDocument;
  losses: FormatLoss[];
}

/** Argumentative edge types (ADU -> ADU or ADU -> edge); `seg` ties EDUs to ADUs. */
type ArgEdgeType = 'sup' | 'exa' | 'reb' | 'und' | 'add';
const ARG_EDGE_TYPES: readonly string[] = ['sup', 'exa', 'reb', 'und', 'add'];
const RELATION_TYPE: Record<Exclude<ArgEdgeType, 'add'>, string> = {
  sup: 'supports',
  exa: 'supports',
  reb: 'attacks',
  und: 'undercuts',
};

interface Edu {
  id: string;
  lang: string | null;
  text: string;
  element: XmlElement;
}

interface Edge {
  id: string;
  src: string;
  trg: string;
  type: string;
  element: XmlElement;
}

const ALLOWED_ATTRIBUTES: Record<string, readonly string[]> = {
  arggraph: ['id', 'topic_id', 'stance'],
  edu: ['id', 'lang', 'trans'],
  joint: ['id'],
  adu: ['id', 'type'],
  edge: ['id', 'src', 'trg', 'type'],
};

export function parseArgMicrotext(input: ArgMicrotextInput): ArgMicrotextResult {
  const { file } = input;
  const decoded = decodeXmlBytes(file, input.bytes);
  if ('problem' in decoded) throw new FormatError([decoded.problem]);

  let root: XmlElement;
  try {
    const xml = parseXml(decoded.text);
    const encoding = xml.declaration?.encoding;
    if (encoding != null && !/^utf-?8$/i.test(encoding)) {
      throw new FormatError([{ file, line: 1, element: 'xml declaration', message: `declares encoding '${encoding}'; only UTF-8 is read` }]);
    }
    root = xml.root;
  } catch (error) {
    // The XML reader descends one call per element: thousands of nested elements run it out of
    // stack. No microtext nests more than a few levels, so that is a file to refuse, not a crash.
    if (error instanceof RangeError) throw new FormatError([{ file, message: 'elements are nested too deeply to be an argument graph' }]);
    if (!(error instanceof XmlSyntaxError)) throw error;
    throw new FormatError([{ file, line: error.line, ...(error.element ? { element: error.element } : {}), message: error.reason }]);
  }

  const problems: FormatProblem[] = [];
  const losses: FormatLoss[] = [];
  const problem = (element: XmlElement, ref: string, message: string) => problems.push({ file, line: element.line, element: ref, message });

  if (root.name !== 'arggraph') {
    throw new FormatError([{ file, line: root.line, element: root.name, message: `the root element must be <arggraph>, not <${root.name}>` }]);
  }
  const docId = root.attributes.get('id') ?? '';
  if (docId === '') problem(root, 'arggraph', "missing attribute 'id'");
  const lossItem = (item: string, reason: string) => losses.push({ document: docId, item, reason });

  const edus: Edu[] = [];
  const joints = new Set<string>();
  const adus = new Map<string, { type: string; element: XmlElement }>();
  const edges = new Map<string, Edge>();
  const ids = new Map<string, XmlElement>();

  for (const child of root.children) {
    if (child.kind === 'text') {
      if (child.text.trim() !== '') problems.push({ file, line: child.line, element: 'arggraph', message: 'text directly inside <arggraph>' });
      continue;
    }
    const allowed = ALLOWED_ATTRIBUTES[child.name];
    if (!allowed || child.name === 'arggraph') {
      problem(child, child.name, `unexpected element <${child.name}> in <arggraph>`);
      continue;
    }
    const id = child.attributes.get('id');
    const ref = `${child.name}${id ? ` ${id}` : ''}`;
    for (const name of child.attributes.keys()) {
      if (!allowed.includes(name)) lossItem(`${ref} @${name}`, `attribute '${name}' of <${child.name}> is not imported`);
    }
    const required = child.name === 'edu' ? ['id'] : child.name === 'joint' ? ['id'] : child.name === 'adu' ? ['id', 'type'] : ['id', 'src', 'trg', 'type'];
    const missing = required.filter((name) => !child.attributes.get(name));
    if (missing.length > 0) {
      problem(child, ref, `missing attribute${missing.length > 1 ? 's' : ''} ${missing.map((name) => `'${name}'`).join(', ')}`);
      continue;
    }
    const idValue = id!;
    if (child.name === 'edu') {
      if (child.children.some((node) => node.kind === 'element')) {
        problem(child, ref, '<edu> must hold only text');
        continue;
      }
      const lang = child.attributes.get('lang') ?? null;
      const text = child.children.map((node) => (node.kind === 'text' ? node.text : '')).join('');
      if (edus.some((edu) => edu.id === idValue && edu.lang === lang)) {
        problem(child, ref, `duplicate <edu id="${idValue}"${lang ? ` lang="${lang}"` : ''}>`);
        continue;
      }
      // Bilingual files repeat each EDU id once per language; everything else must be unique.
      const earlier = ids.get(idValue);
      if (earlier && earlier.name !== 'edu') problem(child, ref, `id '${idValue}' is already used by <${earlier.name}> on line ${earlier.line}`);
      else ids.set(idValue, child);
      edus.push({ id: idValue, lang, text, element: child });
      continue;
    }
    const earlier = ids.get(idValue);
    if (earlier) {
      problem(child, ref, `id '${idValue}' is already used by <${earlier.name}> on line ${earlier.line}`);
      continue;
    }
    ids.set(idValue, child);
    if (child.children.some((node) => node.kind === 'element' || node.text.trim() !== '')) problem(child, ref, `<${child.name}> must be empty`);
    if (child.name === 'joint') joints.add(idValue);
    else if (child.name === 'adu') {
      const type = child.attributes.get('type')!;
      if (type !== 'pro' && type !== 'opp') problem(child, ref, `type '${type}' is not 'pro' or 'opp'`);
      adus.set(idValue, { type, element: child });
    } else {
      const edge: Edge = { id: idValue, src: child.attributes.get('src')!, trg: child.attributes.get('trg')!, type: child.attributes.get('type')!, element: child };
      if (edge.type !== 'seg' && !ARG_EDGE_TYPES.includes(edge.type)) problem(child, ref, `unknown edge type '${edge.type}'`);
      edges.set(idValue, edge);
    }
  }

  // Which EDUs: one language of a bilingual file, or all of a monolingual one.
  const bilingual = edus.some((edu) => edu.lang !== null);
  let language: string | null = input.language ?? null;
  const languages = [...new Set(edus.map((edu) => edu.lang).filter((lang) => lang !== null))];
  const chosen: Edu[] = [];
  if (bilingual) {
    language = input.language ?? 'ru';
    const seen = new Set<string>();
    for (const edu of edus) {
      if (edu.lang === null) {
        problem(edu.element, `edu ${edu.id}`, 'has no lang attribute, but other EDUs in this file have one');
        continue;
      }
      if (seen.has(edu.id)) continue;
      seen.add(edu.id);
      const pick = edus.find((other) => other.id === edu.id && other.lang === language);
      if (pick) chosen.push(pick);
      else {
        const available = edus.filter((other) => other.id === edu.id).map((other) => other.lang);
        problem(edu.element, `edu ${edu.id}`, `has no lang="${language}" version (found: ${available.join(', ')})`);
      }
    }
  } else {
    chosen.push(...edus);
  }
  if (edus.length === 0) problem(root, 'arggraph', 'no <edu> elements');
  if (adus.size === 0) problem(root, 'arggraph', 'no <adu> elements');
  // Later checks would only repeat these problems (a skipped ADU is a dangling reference).
  if (problems.length > 0) throw new FormatError(problems);

  // The text is the EDUs joined by single spaces (the corpus' .txt files); offsets come from the join.
  const eduRange = new Map<string, { start: number; end: number; index: number }>();
  let text = '';
  chosen.forEach((edu, index) => {
    if (index > 0) text += ' ';
    eduRange.set(edu.id, { start: text.length, end: text.length + edu.text.length, index });
    text += edu.text;
  });

  // Segmentation: EDU -> ADU, EDU -> joint, joint -> ADU.
  const segInto = new Map<string, string[]>();
  for (const edge of edges.values()) {
    if (edge.type !== 'seg') continue;
    const ref = `edge ${edge.id}`;
    if (!eduRange.has(edge.src) && !joints.has(edge.src)) {
      problem(edge.element, ref, `src '${edge.src}' is not an EDU or joint${ids.has(edge.src) ? '' : ' (no such id)'}`);
    } else if (!adus.has(edge.trg) && !joints.has(edge.trg)) {
      problem(edge.element, ref, `trg '${edge.trg}' is not an ADU or joint${ids.has(edge.trg) ? '' : ' (no such id)'}`);
    } else {
      segInto.set(edge.trg, [...(segInto.get(edge.trg) ?? []), edge.src]);
    }
  }
  const edusOf = (id: string, path: string[] = []): string[] => {
    if (eduRange.has(id)) return [id];
    if (path.includes(id)) return [];
    return (segInto.get(id) ?? []).flatMap((src) => edusOf(src, [...path, id]));
  };

  // Argumentative edges: sources are ADUs; sup/exa/reb target ADUs, und/add target edges.
  const argEdges = [...edges.values()].filter((edge) => edge.type !== 'seg' && ARG_EDGE_TYPES.includes(edge.type));
  for (const edge of argEdges) {
    const ref = `edge ${edge.id}`;
    if (!adus.has(edge.src)) problem(edge.element, ref, `src '${edge.src}' is not an ADU${ids.has(edge.src) ? '' : ' (no such id)'}`);
    const target = edges.get(edge.trg);
    if (edge.type === 'und' || edge.type === 'add') {
      if (!target) problem(edge.element, ref, `trg '${edge.trg}' is not an edge${ids.has(edge.trg) ? '' : ' (no such id)'}; '${edge.type}' targets an edge`);
      else if (target.type === 'seg') problem(edge.element, ref, `trg '${edge.trg}' is a segmentation edge`);
    } else if (!adus.has(edge.trg)) {
      problem(edge.element, ref, `trg '${edge.trg}' is not an ADU${ids.has(edge.trg) ? '' : ' (no such id)'}`);
    }
  }

  if (problems.length > 0) throw new FormatError(problems);

  // Spans: one per ADU over the extent of its EDUs.
  const spans: DatasetSpan[] = [];
  const hasOutgoing = new Set(argEdges.map((edge) => edge.src));
  const centralClaims = [...adus.keys()].filter((id) => !hasOutgoing.has(id));
  if (adus.size > 0 && centralClaims.length !== 1) {
    problem(root, 'arggraph', `expected exactly one central claim (an ADU with no outgoing argumentative edge), found ${centralClaims.length}${centralClaims.length > 0 ? `: ${centralClaims.join(', ')}` : ''}`);
  }
  for (const [id, adu] of adus) {
    const ranges = [...new Set(edusOf(id))].map((edu) => eduRange.get(edu)!).sort((a, b) => a.index - b.index);
    const first = ranges[0];
    const last = ranges.at(-1);
    if (!first || !last) {
      problem(adu.element, `adu ${id}`, 'no EDU is segmented into this ADU');
      continue;
    }
    if (last.index - first.index + 1 !== ranges.length) {
      lossItem(id, `the EDUs of ${id} are not adjacent: the span covers the EDUs between them too`);
    }
    spans.push({ id, label: centralClaims.length === 1 && centralClaims[0] === id ? 'conclusion' : 'premise', start: first.start, end: last.end, note: null });
  }

  // Relations, one per argumentative edge, keeping the edge id.
  const relations: DatasetRelation[] = [];
  const linked: Record<string, string> = {};
  for (const edge of argEdges) {
    if (edge.type !== 'add') {
      relations.push({ id: edge.id, type: RELATION_TYPE[edge.type as Exclude<ArgEdgeType, 'add'>], source: edge.src, target: edge.trg });
      if (edge.type === 'exa') lossItem(edge.id, "support by example ('exa') is imported as 'supports'; meta.edge_types keeps 'exa'");
      continue;
    }
    // A linked premise joins the argument of the edge it targets (possibly through other adds).
    let base = edges.get(edge.trg);
    const chain = [edge.id];
    while (base && base.type === 'add' && !chain.includes(base.id)) {
      chain.push(base.id);
      base = edges.get(base.trg);
    }
    if (!base || base.type === 'seg') continue; // reported above
    if (base.type === 'add') {
      problem(edge.element, `edge ${edge.id}`, `'add' edges form a cycle: ${chain.join(' -> ')}`);
      continue;
    }
    linked[edge.id] = edge.trg;
    const type = RELATION_TYPE[base.type as Exclude<ArgEdgeType, 'add'>];
    relations.push({ id: edge.id, type, source: edge.src, target: base.trg });
    lossItem(
      edge.id,
      `linked premise ('add' to ${edge.trg}): imported as a separate '${type}' relation from ${edge.src} to ${base.trg}, since Warrant has no linked premises; meta.linked_premises keeps the link`,
    );
  }

  if (problems.length > 0) throw new FormatError(problems);

  const meta: Record<string, unknown> = {};
  for (const name of ['topic_id', 'stance']) {
    const value = root.attributes.get(name);
    if (value !== undefined) meta[name] = value;
  }
  if (bilingual) meta.languages = languages;
  meta.adu_types = Object.fromEntries([...adus].map(([id, adu]) => [id, adu.type]));
  meta.edge_types = Object.fromEntries(argEdges.map((edge) => [edge.id, edge.type]));
  meta.linked_premises = linked;

  return {
    document: {
      id: docId,
      text,
      language,
      meta,
      annotations: [{ source: input.source ?? ARG_MICROTEXT_SOURCE, category: null, spans, relations }],
    },
    losses,
  };
}
