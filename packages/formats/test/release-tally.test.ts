import { describe, expect, it } from 'vitest';
import type { DatasetDocument, DatasetSpan } from '../src/dataset/document.ts';
import { ReleaseTally } from '../src/release/tally.ts';

function span(id: string, label: string, text: string, part: string): DatasetSpan {
  const start = text.indexOf(part);
  if (start < 0) throw new Error(`'${part}' not in '${text}'`);
  return { id, label, start, end: start + part.length, note: null };
}

const RU = 'Значит, второе. Поэтому 😀 café хорош!';
const FAMILY = '👩‍👩‍👧‍👦 Семья — это всё. Therefore 🎉!';
const DE = 'Ä ß 𝔘: erstens, zweitens. Also 🍺.';

/** Train: an annotator with an undercut (depth 2) and gold (depth 1). */
const ru: DatasetDocument = {
  id: 'ru-1',
  text: RU,
  language: 'ru',
  meta: null,
  annotations: [
    {
      source: 'ann1',
      category: 'reasoning',
      spans: [span('s1', 'premise', RU, 'второе'), span('s2', 'conclusion', RU, '😀 café хорош'), span('s3', 'premise', RU, 'Значит')],
      relations: [
        { id: 'r1', type: 'supports', source: 's1', target: 's2' },
        { id: 'r2', type: 'undercuts', source: 's3', target: 'r1' },
      ],
    },
    {
      source: 'gold',
      category: 'reasoning',
      spans: [span('g1', 'premise', RU, 'второе'), span('g2', 'conclusion', RU, '😀 café хорош')],
      relations: [{ id: 'gr1', type: 'supports', source: 'g1', target: 'g2' }],
    },
  ],
};

/** Dev: no category, a label named `__proto__`, and a relation type that is not part of chains. */
const family: DatasetDocument = {
  id: 'emoji-2',
  text: FAMILY,
  language: null,
  meta: { source: 'test' },
  annotations: [
    {
      source: 'ann2',
      category: null,
      spans: [span('a', 'conclusion', FAMILY, 'Семья'), span('b', '__proto__', FAMILY, '👩‍👩‍👧‍👦')],
      relations: [{ id: 'x', type: 'same-as', source: 'b', target: 'a' }],
    },
    { source: 'ann1', category: 'knowledge', spans: [span('p', 'premise', FAMILY, 'Therefore 🎉')], relations: [] },
  ],
};

/** Test: two conclusions, one attacked (depth 1), one alone (depth 0). */
const de: DatasetDocument = {
  id: 'de-3',
  text: DE,
  language: 'de',
  meta: null,
  annotations: [
    {
      source: 'ann3',
      category: 'reasoning',
      spans: [span('c1', 'conclusion', DE, 'Ä ß 𝔘'), span('c2', 'conclusion', DE, 'Also 🍺'), span('p1', 'premise', DE, 'zweitens')],
      relations: [{ id: 'a1', type: 'attacks', source: 'p1', target: 'c2' }],
    },
  ],
};

const EXPECTED =
  '{"passages":3,"records":5,"spans":11,"relations":5,"chains":5,' +
  '"splits":{' +
  '"train":{"passages":1,"records":2,"spans":5,"relations":3,"labels":{"conclusion":2,"premise":3}},' +
  '"dev":{"passages":1,"records":2,"spans":3,"relations":1,"labels":{"__proto__":1,"conclusion":1,"premise":1}},' +
  '"test":{"passages":1,"records":1,"spans":3,"relations":1,"labels":{"conclusion":2,"premise":1}}},' +
  '"labels":{"__proto__":1,"conclusion":5,"premise":5},' +
  '"relation_types":{"attacks":1,"same-as":1,"supports":2,"undercuts":1},' +
  '"categories":{"knowledge":1,"reasoning":3},"uncategorised":1,' +
  '"sources":{"ann1":2,"ann2":1,"ann3":1,"gold":1},' +
  '"chain_depths":{"0":2,"1":2,"2":1}}';

describe('ReleaseTally', () => {
  it('counts passages, records, labels, types, categories, sources and chain depths exactly', () => {
    const tally = new ReleaseTally();
    tally.add(ru, 'train');
    tally.add(family, 'dev');
    tally.add(de, 'test');
    expect(JSON.stringify(tally.summary())).toBe(EXPECTED);
  });

  it('gives the same JSON, key for key, whatever order the documents come in', () => {
    const tally = new ReleaseTally();
    tally.add(de, 'test');
    tally.add({ ...family, annotations: [...family.annotations].reverse() }, 'dev');
    tally.add(ru, 'train');
    expect(JSON.stringify(tally.summary())).toBe(EXPECTED);
  });

  it('keeps a label called __proto__ as data, and the summary survives a JSON round trip', () => {
    const tally = new ReleaseTally();
    tally.add(family, 'dev');
    const summary = tally.summary();
    expect(Object.getPrototypeOf(summary.labels)).toBe(Object.prototype);
    expect(Object.keys(summary.labels)).toEqual(['__proto__', 'conclusion', 'premise']);
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it('does not count a document without annotations: it has no record', () => {
    const tally = new ReleaseTally();
    tally.add({ id: 'empty', text: 'Пусто 🫙', language: null, meta: null, annotations: [] }, 'train');
    expect(tally.summary()).toEqual({
      passages: 0,
      records: 0,
      spans: 0,
      relations: 0,
      chains: 0,
      splits: {
        train: { passages: 0, records: 0, spans: 0, relations: 0, labels: {} },
        dev: { passages: 0, records: 0, spans: 0, relations: 0, labels: {} },
        test: { passages: 0, records: 0, spans: 0, relations: 0, labels: {} },
      },
      labels: {},
      relation_types: {},
      categories: {},
      uncategorised: 0,
      sources: {},
      chain_depths: {},
    });
  });

  it('keeps counting after a summary, which is a snapshot', () => {
    const tally = new ReleaseTally();
    tally.add(ru, 'train');
    const first = tally.summary();
    tally.add(ru, 'dev');
    expect(first.records).toBe(2);
    expect(tally.summary().records).toBe(4);
    expect(tally.summary().splits.dev).toEqual({ passages: 1, records: 2, spans: 5, relations: 3, labels: { conclusion: 2, premise: 3 } });
    expect(tally.summary().chain_depths).toEqual({ 1: 2, 2: 2 });
  });

  it('derives chains with the given options', () => {
    const tally = new ReleaseTally({ chains: { conclusionLabel: 'premise', relationTypes: ['undercuts'] } });
    tally.add(ru, 'train');
    // Premises s1, s3 and g1 each head a chain (by default: {1: 1, 2: 1}); all are flat: supports is no chain type here, so r1 never joins and r2's undercut of it has nothing to hang on.
    expect(tally.summary().chain_depths).toEqual({ 0: 3 });
    expect(tally.summary().chains).toBe(3);
  });

  it('refuses an unknown split', () => {
    expect(() => new ReleaseTally().add(ru, 'validation' as 'dev')).toThrow(new RangeError("unknown split 'validation': expected train, dev or test"));
  });
});
