/**
 * One line of a brat .ann file, parsed on its own (no cross-references, no text checks: those
 * need the whole file and the .txt, and happen in parseBrat). Syntax follows
 * https://brat.nlplab.org/standoff.html: an id, a tab, the annotation, and for some kinds a tab
 * and a text.
 */

/** A reference from one annotation to another, with brat's role name (`Arg1`, `Theme`). */
export interface AnnArgument {
  role: string;
  ref: string;
}

export type AnnLine =
  | {
      kind: 'text-bound';
      line: number;
      id: string;
      label: string;
      /** Code-point offsets, half-open, in file order. */
      fragments: [number, number][];
      text: string;
    }
  | { kind: 'relation'; line: number; id: string; type: string; args: [AnnArgument, AnnArgument] }
  | { kind: 'event'; line: number; id: string; type: string; trigger: string; args: AnnArgument[] }
  /** `A` lines, and `M` lines (brat's older name for a binary attribute). */
  | { kind: 'attribute'; line: number; id: string; name: string; target: string; value: string | null }
  | { kind: 'normalization'; line: number; id: string; type: string; target: string; reference: string }
  /** `*` lines: an equivalence class; they have no id. */
  | { kind: 'equivalence'; line: number; type: string; members: string[] }
  | { kind: 'note'; line: number; id: string; type: string; target: string; text: string }
  /** A `#` line that is not `#ID<TAB>Type Target<TAB>text`: a free comment. */
  | { kind: 'comment'; line: number; text: string };

export type AnnLineResult = AnnLine | { kind: 'problem'; line: number; message: string };

/** Splits at the first `count - 1` tabs; the last field keeps any further tabs (a text may hold them). */
function splitTabs(line: string, count: number): string[] {
  const fields: string[] = [];
  let rest = line;
  while (fields.length < count - 1) {
    const tab = rest.indexOf('\t');
    if (tab < 0) break;
    fields.push(rest.slice(0, tab));
    rest = rest.slice(tab + 1);
  }
  fields.push(rest);
  return fields;
}

function tokens(field: string): string[] {
  const trimmed = field.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

function parseArgument(token: string): AnnArgument | null {
  const colon = token.lastIndexOf(':');
  if (colon <= 0 || colon === token.length - 1) return null;
  return { role: token.slice(0, colon), ref: token.slice(colon + 1) };
}

const FRAGMENT = /^(\d+) +(\d+)$/;

function parseFragments(spec: string): [number, number][] | string {
  const fragments: [number, number][] = [];
  for (const part of spec.split(';')) {
    const match = FRAGMENT.exec(part.trim());
    if (!match) return `offsets '${spec}' are not 'START END' pairs separated by ';'`;
    const start = Number(match[1]);
    const end = Number(match[2]);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return `offsets '${spec}' are too large`;
    if (start >= end) return `offsets ${start} ${end}: the end must be greater than the start`;
    fragments.push([start, end]);
  }
  return fragments;
}

/** A trailing tab with nothing after it is allowed where brat writes one (R and E lines). */
function extraField(fields: string[]): string | null {
  const extra = fields[2];
  return extra !== undefined && extra.trim() !== '' ? extra : null;
}

export function parseAnnLine(raw: string, line: number): AnnLineResult {
  const problem = (message: string): AnnLineResult => ({ kind: 'problem', line, message });
  const first = raw[0];

  if (first === '#') {
    const [id = '', body = '', text] = splitTabs(raw, 3);
    const parts = tokens(body);
    if (text !== undefined && parts.length === 2 && !/\s/.test(id)) {
      return { kind: 'note', line, id, type: parts[0] as string, target: parts[1] as string, text };
    }
    return { kind: 'comment', line, text: raw };
  }

  if (first === undefined || !'TREAMN*'.includes(first)) {
    return problem(`not a brat annotation line: it must start with T, R, E, A, M, N, * or #`);
  }
  const fields = splitTabs(raw, 3);
  const [id = '', body] = fields;
  if (body === undefined) return problem(`no tab after the id: expected '${first}ID<TAB>...'`);
  if (first === '*' ? id !== '*' : !/^[TREAMN]\S+$/.test(id)) {
    return problem(`'${id}' is not a brat annotation id (T, R, E, A, M or N followed by a number, or '*')`);
  }
  const parts = tokens(body);

  switch (first) {
    case 'T': {
      const space = body.indexOf(' ');
      const label = space < 0 ? body : body.slice(0, space);
      if (label === '' || space < 0) return problem(`${id}: expected 'Label START END' after the id`);
      const fragments = parseFragments(body.slice(space + 1));
      if (typeof fragments === 'string') return problem(`${id}: ${fragments}`);
      const text = fields[2];
      if (text === undefined) return problem(`${id}: the text field (after a second tab) is missing`);
      return { kind: 'text-bound', line, id, label, fragments, text };
    }
    case 'R': {
      const [type, ...rest] = parts;
      const args = rest.map(parseArgument);
      const [source, target] = args;
      if (type === undefined || args.length !== 2 || !source || !target) {
        return problem(`${id}: expected 'Type Arg1:ID Arg2:ID'`);
      }
      if (extraField(fields) !== null) return problem(`${id}: unexpected text after the relation's arguments`);
      return { kind: 'relation', line, id, type, args: [source, target] };
    }
    case 'E': {
      const [head, ...rest] = parts;
      const trigger = head === undefined ? null : parseArgument(head);
      const args = rest.map(parseArgument);
      if (!trigger || args.some((arg) => arg === null)) {
        return problem(`${id}: expected 'Type:TRIGGER Role:ID ...'`);
      }
      if (extraField(fields) !== null) return problem(`${id}: unexpected text after the event's arguments`);
      return { kind: 'event', line, id, type: trigger.role, trigger: trigger.ref, args: args as AnnArgument[] };
    }
    case 'A':
    case 'M': {
      const [name, target, value, ...more] = parts;
      if (name === undefined || target === undefined || more.length > 0) {
        return problem(`${id}: expected 'Name TARGET' or 'Name TARGET Value'`);
      }
      return { kind: 'attribute', line, id, name, target, value: value ?? null };
    }
    case 'N': {
      const [type, target, reference, ...more] = parts;
      if (type === undefined || target === undefined || reference === undefined || more.length > 0) {
        return problem(`${id}: expected 'Type TARGET Resource:Id'`);
      }
      return { kind: 'normalization', line, id, type, target, reference };
    }
    case '*': {
      const [type, ...members] = parts;
      if (type === undefined || members.length < 2) return problem(`*: expected 'Type ID ID ...'`);
      return { kind: 'equivalence', line, type, members };
    }
    default:
      return problem(`'${id}' is not a brat annotation id`);
  }
}
