/**
 * A small, strict XML reader: enough for the argument-graph corpora (elements, attributes,
 * CDATA, comments, processing instructions, the XML declaration, the five predefined entities
 * and numeric character references). It refuses what it does not understand instead of
 * guessing: a DTD internal subset (where entities could be declared, and expanded without
 * bound) and any other named entity are errors. No namespaces, no validation against a DTD.
 */

export interface XmlElement {
  kind: 'element';
  name: string;
  /** In document order; values with references resolved and whitespace normalised (XML 1.0 §3.3.3). */
  attributes: Map<string, string>;
  children: XmlNode[];
  /** 1-based line of the element's `<`. */
  line: number;
}

export interface XmlText {
  kind: 'text';
  text: string;
  line: number;
}

export type XmlNode = XmlElement | XmlText;

export interface XmlDeclaration {
  version: string;
  encoding: string | null;
  standalone: string | null;
}

export interface XmlDocument {
  declaration: XmlDeclaration | null;
  root: XmlElement;
}

export class XmlSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
    /** The element being read when the problem was found (`<edu id="e3">`), when there was one. */
    readonly element: string | null,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'XmlSyntaxError';
  }
}

const NAME = /[\p{L}_:][\p{L}\p{N}\p{Mn}\p{Mc}_:.\-\u00B7]*/uy;
// Characters XML 1.0 forbids anywhere in a document (§2.2): finding them is the point.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/u;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** Parses a whole document held in a string (already decoded). Throws XmlSyntaxError. */
export function parseXml(input: string): XmlDocument {
  return new Reader(input).document();
}

class Reader {
  private readonly src: string;
  private pos = 0;
  private readonly lineStarts: number[] = [0];
  private readonly open: XmlElement[] = [];

  constructor(input: string) {
    // XML 1.0 §2.11: every CRLF and lone CR reaches the application as LF.
    this.src = input.replace(/\r\n?/g, '\n');
    for (let i = 0; i < this.src.length; i++) if (this.src.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    const bad = FORBIDDEN_CHAR.exec(this.src);
    if (bad) this.fail(`character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`, bad.index);
  }

  document(): XmlDocument {
    if (this.src.charCodeAt(0) === 0xfeff) this.pos = 1;
    const declaration = this.src.startsWith('<?xml', this.pos) && /\s/.test(this.src[this.pos + 5] ?? '') ? this.declaration() : null;
    let root: XmlElement | null = null;
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.src.length) break;
      if (this.src.startsWith('<!--', this.pos)) this.comment();
      else if (this.src.startsWith('<?', this.pos)) this.processingInstruction();
      else if (this.src.startsWith('<!DOCTYPE', this.pos)) {
        if (root) this.fail('DOCTYPE after the root element');
        this.doctype();
      } else if (this.src[this.pos] === '<' && !root) root = this.element();
      else if (root) this.fail('content after the root element');
      else this.fail('text before the root element');
    }
    if (!root) this.fail('no root element');
    return { declaration, root };
  }

  private declaration(): XmlDeclaration {
    const start = this.pos;
    const end = this.src.indexOf('?>', start);
    if (end < 0) this.fail('unterminated XML declaration', start);
    const body = this.src.slice(start + 5, end);
    const pseudo = /\s+([a-z]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/gy;
    const values = new Map<string, string>();
    let match: RegExpExecArray | null;
    let consumed = 0;
    while ((match = pseudo.exec(body))) {
      values.set(match[1]!, match[2] ?? match[3]!);
      consumed = pseudo.lastIndex;
    }
    if (body.slice(consumed).trim() !== '') this.fail(`malformed XML declaration near '${body.slice(consumed).trim()}'`, start);
    const version = values.get('version');
    if (version === undefined) this.fail('the XML declaration has no version', start);
    for (const key of values.keys()) {
      if (!['version', 'encoding', 'standalone'].includes(key)) this.fail(`unknown pseudo-attribute '${key}' in the XML declaration`, start);
    }
    this.pos = end + 2;
    return { version, encoding: values.get('encoding') ?? null, standalone: values.get('standalone') ?? null };
  }

  private doctype(): void {
    const start = this.pos;
    let quote: string | null = null;
    for (let i = start + 9; i < this.src.length; i++) {
      const c = this.src[i]!;
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '[') this.fail('DTD internal subsets are not supported', i);
      else if (c === '>') {
        this.pos = i + 1;
        return;
      }
    }
    this.fail('unterminated DOCTYPE', start);
  }

  private comment(): void {
    const end = this.src.indexOf('--', this.pos + 4);
    if (end < 0) this.fail('unterminated comment');
    if (this.src[end + 2] !== '>') this.fail("'--' inside a comment", end);
    this.pos = end + 3;
  }

  private processingInstruction(): void {
    const start = this.pos;
    const target = this.name(start + 2);
    if (target.toLowerCase() === 'xml') this.fail('an XML declaration is only allowed at the very start', start);
    const end = this.src.indexOf('?>', start);
    if (end < 0) this.fail('unterminated processing instruction', start);
    this.pos = end + 2;
  }

  private element(): XmlElement {
    const start = this.pos;
    const name = this.name(start + 1);
    const element: XmlElement = { kind: 'element', name, attributes: new Map(), children: [], line: this.lineOf(start) };
    this.open.push(element);
    for (;;) {
      const hadSpace = this.skipSpace();
      const c = this.src[this.pos];
      if (c === undefined) this.fail(`unterminated start tag <${name}>`, start);
      if (c === '>') {
        this.pos++;
        break;
      }
      if (this.src.startsWith('/>', this.pos)) {
        this.pos += 2;
        this.open.pop();
        return element;
      }
      if (!hadSpace) this.fail(`expected whitespace, '>' or '/>' in <${name}>`);
      const attrAt = this.pos;
      const attr = this.name(attrAt);
      this.skipSpace();
      if (this.src[this.pos] !== '=') this.fail(`attribute '${attr}' has no value`);
      this.pos++;
      this.skipSpace();
      const quote = this.src[this.pos];
      if (quote !== '"' && quote !== "'") this.fail(`the value of attribute '${attr}' must be quoted`);
      const close = this.src.indexOf(quote, this.pos + 1);
      if (close < 0) this.fail(`unterminated value of attribute '${attr}'`);
      const raw = this.src.slice(this.pos + 1, close);
      const lt = raw.indexOf('<');
      if (lt >= 0) this.fail(`'<' in the value of attribute '${attr}'`, this.pos + 1 + lt);
      if (element.attributes.has(attr)) this.fail(`attribute '${attr}' appears twice`, attrAt);
      element.attributes.set(attr, this.resolve(raw, this.pos + 1).replace(/[\t\n]/g, ' '));
      this.pos = close + 1;
    }
    this.content(element);
    this.open.pop();
    return element;
  }

  private content(element: XmlElement): void {
    let text = '';
    let textAt = this.pos;
    const flush = () => {
      if (text !== '') element.children.push({ kind: 'text', text, line: this.lineOf(textAt) });
      text = '';
    };
    for (;;) {
      const lt = this.src.indexOf('<', this.pos);
      if (lt < 0) this.fail(`<${element.name}> (line ${element.line}) is not closed`, this.src.length);
      if (text === '') textAt = this.pos;
      const chunk = this.src.slice(this.pos, lt);
      const cdataEnd = chunk.indexOf(']]>');
      if (cdataEnd >= 0) this.fail("']]>' in text", this.pos + cdataEnd);
      text += this.resolve(chunk, this.pos);
      this.pos = lt;
      if (this.src.startsWith('</', lt)) {
        const name = this.name(lt + 2);
        if (name !== element.name) this.fail(`</${name}> closes <${element.name}> (line ${element.line})`, lt);
        this.skipSpace();
        if (this.src[this.pos] !== '>') this.fail(`expected '>' after </${name}`);
        this.pos++;
        flush();
        return;
      }
      if (this.src.startsWith('<![CDATA[', lt)) {
        const end = this.src.indexOf(']]>', lt + 9);
        if (end < 0) this.fail('unterminated CDATA section', lt);
        if (text === '') textAt = lt;
        text += this.src.slice(lt + 9, end);
        this.pos = end + 3;
      } else if (this.src.startsWith('<!--', lt)) this.comment();
      else if (this.src.startsWith('<?', lt)) this.processingInstruction();
      else if (this.src.startsWith('<!', lt)) this.fail(`unexpected markup '${this.src.slice(lt, lt + 9)}'`, lt);
      else {
        flush();
        element.children.push(this.element());
      }
    }
  }

  /** Replaces entity and character references in `raw`, which starts at `at` in the source. */
  private resolve(raw: string, at: number): string {
    if (!raw.includes('&')) return raw;
    return raw.replace(/&([^;]*);?/g, (whole, ref: string, offset: number) => {
      const where = at + offset;
      if (!whole.endsWith(';')) this.fail(`'&' not followed by a reference ending in ';'`, where);
      const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
      if (numeric) {
        const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2]!, 10);
        const allowed =
          code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
        if (!allowed) this.fail(`character reference &${ref}; is not an XML character`, where);
        return String.fromCodePoint(code);
      }
      const named = PREDEFINED[ref];
      if (named === undefined) this.fail(`unknown entity &${ref};`, where);
      return named;
    });
  }

  private name(at: number): string {
    NAME.lastIndex = at;
    const match = NAME.exec(this.src);
    if (!match) this.fail(`expected a name, found '${this.src.slice(at, at + 10)}'`, at);
    this.pos = at + match[0].length;
    return match[0];
  }

  private skipSpace(): boolean {
    const from = this.pos;
    while (this.pos < this.src.length && ' \t\n'.includes(this.src[this.pos]!)) this.pos++;
    return this.pos > from;
  }

  private lineOf(at: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private fail(reason: string, at: number = this.pos): never {
    const current = this.open.at(-1);
    const id = current?.attributes.get('id');
    throw new XmlSyntaxError(this.lineOf(at), reason, current ? `<${current.name}${id !== undefined ? ` id="${id}"` : ''}>` : null);
  }
}
