import type { DatasetDocument } from '../src/dataset/document.ts';

/** Cyrillic, an astral emoji, NFD `é` (e + U+0301), CRLF and a ZWJ family emoji. */
export const TEXT = 'Значит, второе. Поэтому 😀 cafe\u0301 хорош!\r\nOK 👩‍👩‍👧‍👦 = done.';

/** UTF-16 [start, end) of the n-th occurrence (0-based) of `part` in TEXT. */
export function at(part: string, nth = 0, text = TEXT): { start: number; end: number } {
  let start = -1;
  for (let k = 0; k <= nth; k += 1) start = text.indexOf(part, start + 1);
  if (start < 0) throw new Error(`'${part}' not in text`);
  return { start, end: start + part.length };
}

export function sampleDocument(): DatasetDocument {
  return {
    id: 'ru-1',
    text: TEXT,
    language: 'ru',
    meta: { language: 'ru', source: 'test', nested: { a: [1, 2] } },
    annotations: [
      {
        source: 'ann1',
        category: 'reasoning',
        spans: [
          { id: 's1', label: 'premise', ...at('второе'), note: 'нота 📝' },
          { id: 's2', label: 'conclusion', ...at('😀 cafe\u0301 хорош'), note: null },
          { id: 's3', label: 'premise', ...at('OK 👩‍👩‍👧‍👦'), note: null },
        ],
        relations: [
          { id: 'r1', type: 'supports', source: 's1', target: 's2' },
          { id: 'r2', type: 'undercuts', source: 's3', target: 'r1' },
        ],
      },
      {
        source: 'gold',
        category: null,
        spans: [{ id: 'g1', label: 'conclusion', ...at('хорош!\r\nOK'), note: null }],
        relations: [],
      },
    ],
  };
}
