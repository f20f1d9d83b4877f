/**
 * CSV (RFC 4180): comma-separated, double-quote quoting with "" as the escape. Quoted fields
 * may hold commas and line breaks, kept exactly. The first record is the header: it names a
 * `text` column, optionally an `id` column, and every other column becomes a `meta` string.
 *
 * The reader is fed physical lines; a quoted field that is still open at the end of a line
 * takes that line's terminator as content and continues on the next line.
 */
import type { LineReader, PassageSink } from './parse-passages.ts';

const QUOTE = 0x22;
const COMMA = 0x2c;
const NON_BLANK = /\S/;

interface Header {
  /** Null when the header record could not be read: field counts are then not checked. */
  columns: number | null;
  /** False when the header itself has problems: records are then checked for shape only. */
  usable: boolean;
  text: number;
  id: number;
  /** [name, column index] of every other column. */
  meta: [string, number][];
}

function readHeader(record: string[], line: number, sink: PassageSink): Header {
  const names = record.map((name) => name.trim());
  let usable = true;
  const firstColumn = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === '') {
      usable = false;
      sink.problem({ line, message: `header column ${i + 1} has no name` });
      return;
    }
    const first = firstColumn.get(name);
    if (first === undefined) {
      firstColumn.set(name, i);
    } else {
      usable = false;
      sink.problem({ line, field: name, message: `duplicate column name '${name}' (columns ${first + 1} and ${i + 1})` });
    }
  });
  const text = names.indexOf('text');
  if (text === -1) {
    usable = false;
    const found = names.map((name) => `'${name}'`).join(', ');
    sink.problem({ line, field: 'text', message: `the header has no 'text' column (found: ${found})` });
  }
  const id = names.indexOf('id');
  const meta = names.flatMap((name, i): [string, number][] => (i === text || i === id ? [] : [[name, i]]));
  return { columns: names.length, usable, text, id, meta };
}

export function createCsvReader(sink: PassageSink): LineReader {
  let header: Header | null = null;
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let recordLine = 0;
  let quoteLine = 0;

  const dropRecord = (line: number, message: string): void => {
    sink.problem({ line, message });
    fields = [];
    field = '';
    inQuotes = false;
    // A broken first record is still the header: the next record must not be taken for it.
    header ??= { columns: null, usable: false, text: -1, id: -1, meta: [] };
  };

  const readRecord = (record: string[], line: number): void => {
    if (header === null) {
      header = readHeader(record, line, sink);
      return;
    }
    if (header.columns !== null && record.length !== header.columns) {
      sink.problem({
        line,
        message: `expected ${header.columns} fields (as many as the header), got ${record.length}`,
      });
      return;
    }
    if (!header.usable) return;

    let valid = true;
    const text = record[header.text]!;
    if (!NON_BLANK.test(text)) {
      valid = false;
      sink.problem({ line, field: 'text', message: "'text' is empty or whitespace-only" });
    }
    let externalId: string | null = null;
    if (header.id !== -1) {
      const id = record[header.id]!;
      if (!NON_BLANK.test(id)) {
        valid = false;
        sink.problem({ line, field: 'id', message: "'id' is empty or whitespace-only" });
      } else if (sink.claimId(id, line)) {
        externalId = id;
      } else {
        valid = false;
      }
    }
    if (!valid) return;
    // fromEntries defines own properties, so a column named "__proto__" stays a plain key.
    const meta = header.meta.length > 0 ? Object.fromEntries(header.meta.map(([name, i]) => [name, record[i]!])) : null;
    sink.accept({ line, externalId, text, meta });
  };

  return {
    line(content, terminator, lineNo) {
      let p = 0;
      if (!inQuotes) {
        // A blank line is a record of one empty field: skipped.
        if (content === '') return;
        recordLine = lineNo;
        fields = [];
      }
      const n = content.length;
      for (;;) {
        if (inQuotes) {
          const q = content.indexOf('"', p);
          if (q === -1) {
            field += content.slice(p) + terminator;
            return;
          }
          field += content.slice(p, q);
          if (content.charCodeAt(q + 1) === QUOTE) {
            field += '"';
            p = q + 2;
            continue;
          }
          inQuotes = false;
          fields.push(field);
          field = '';
          p = q + 1;
          if (p === n) break;
          if (content.charCodeAt(p) !== COMMA) {
            const found = String.fromCodePoint(content.codePointAt(p)!);
            dropRecord(
              lineNo,
              `unexpected ${JSON.stringify(found)} after the closing quote of field ${fields.length}; ` +
                'a quote inside a quoted field must be doubled ("")',
            );
            return;
          }
          p++;
        }
        // At the start of a field.
        if (content.charCodeAt(p) === QUOTE) {
          inQuotes = true;
          quoteLine = lineNo;
          p++;
          continue;
        }
        const comma = content.indexOf(',', p);
        const value = content.slice(p, comma === -1 ? n : comma);
        if (value.includes('"')) {
          dropRecord(
            lineNo,
            `stray quote in unquoted field ${fields.length + 1}; quote the whole field and double the quotes inside it`,
          );
          return;
        }
        if (value.includes('\r')) {
          dropRecord(
            lineNo,
            `carriage return (CR) outside quotes in field ${fields.length + 1}; records must end with LF or CRLF`,
          );
          return;
        }
        fields.push(value);
        if (comma === -1) break;
        p = comma + 1;
      }
      const record = fields;
      fields = [];
      readRecord(record, recordLine);
    },

    end() {
      if (inQuotes) {
        dropRecord(quoteLine, `unterminated quoted field: the quote opened on line ${quoteLine} is never closed`);
      } else if (header === null) {
        sink.problem({ line: 0, message: "the file is empty: expected a header row with a 'text' column" });
      }
    },
  };
}
