/**
 * JSON Lines: one object per line, `{"text": string, "id"?: string | number, "meta"?: object}`.
 * Blank lines are skipped. Each line is checked completely, so one line can yield several
 * problems (a misspelt "Text" is both an unknown field and a missing `text`).
 */
import { MAX_JSON_DEPTH, nestedDeeperThan } from './json-depth.ts';
import type { ImportProblem, LineReader, PassageSink } from './parse-passages.ts';

const ALLOWED_FIELDS = ['text', 'id', 'meta'];
const ALLOWED = new Set(ALLOWED_FIELDS);
// JSON whitespace only: a line of NBSP is not blank, it is invalid JSON.
const BLANK_LINE = /^[ \t\r]*$/;
const NON_BLANK = /\S/;
// With the u flag a surrogate pair is one code point, so this matches unpaired halves only.
// JSON.parse accepts "\ud800"; such a string cannot be stored as UTF-8 or addressed by code point.
const LONE_SURROGATE = /[\ud800-\udfff]/u;

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return typeof value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function createJsonlReader(sink: PassageSink): LineReader {
  return {
    line(content, _terminator, line) {
      if (BLANK_LINE.test(content)) return;
      let value: unknown;
      try {
        value = JSON.parse(content);
      } catch (error) {
        sink.problem({ line, message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` });
        return;
      }
      if (!isPlainObject(value)) {
        sink.problem({ line, message: `expected a JSON object with a "text" field, got ${kind(value)}` });
        return;
      }

      let valid = true;
      const fail = (problem: Omit<ImportProblem, 'line'>): void => {
        valid = false;
        sink.problem({ line, ...problem });
      };

      for (const key of Object.keys(value)) {
        if (!ALLOWED.has(key)) {
          fail({ field: key, message: `unknown field '${key}' (allowed fields: ${ALLOWED_FIELDS.join(', ')})` });
        }
      }

      let text: string | null = null;
      const rawText = value['text'];
      if (!Object.hasOwn(value, 'text')) {
        fail({ field: 'text', message: "missing required field 'text'" });
      } else if (typeof rawText !== 'string') {
        fail({ field: 'text', message: `'text' must be a string, got ${kind(rawText)}` });
      } else if (!NON_BLANK.test(rawText)) {
        fail({ field: 'text', message: "'text' is empty or whitespace-only" });
      } else if (LONE_SURROGATE.test(rawText)) {
        fail({ field: 'text', message: "'text' contains an unpaired surrogate escape (\\ud800-\\udfff)" });
      } else {
        text = rawText;
      }

      let externalId: string | null = null;
      if (Object.hasOwn(value, 'id')) {
        const id = value['id'];
        if (typeof id === 'number') {
          // A float or a huge number would not come back as the digits that were written.
          if (Number.isSafeInteger(id)) {
            externalId = String(id);
          } else {
            const message = `a numeric 'id' must be an integer up to 2^53 - 1, got ${id}; write other ids as strings`;
            fail({ field: 'id', message });
          }
        } else if (typeof id === 'string') {
          if (!NON_BLANK.test(id)) {
            fail({ field: 'id', message: "'id' is empty or whitespace-only" });
          } else if (LONE_SURROGATE.test(id)) {
            fail({ field: 'id', message: "'id' contains an unpaired surrogate escape (\\ud800-\\udfff)" });
          } else {
            externalId = id;
          }
        } else {
          fail({ field: 'id', message: `'id' must be a string or a number, got ${kind(id)}` });
        }
      }
      // Claimed even when the record has other problems, so every duplicate is reported.
      if (externalId !== null && !sink.claimId(externalId, line)) valid = false;

      const meta = value['meta'];
      if (Object.hasOwn(value, 'meta') && !isPlainObject(meta)) {
        fail({ field: 'meta', message: `'meta' must be a JSON object, got ${kind(meta)}` });
      } else if (isPlainObject(meta) && nestedDeeperThan(meta, MAX_JSON_DEPTH)) {
        fail({ field: 'meta', message: `'meta' nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep` });
      }

      if (valid && text !== null) {
        sink.accept({
          line,
          externalId,
          text,
          meta: isPlainObject(meta) ? meta : null,
        });
      }
    },
    end() {},
  };
}
