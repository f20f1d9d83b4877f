import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { SEMANTIC_JSONL_VERSION, toGoldRecord, toSemanticRecord, type GoldRecordInput, type SemanticRecordInput } from '../src/semantic-jsonl/record.ts';
import { deriveChains } from '../src/semantic-jsonl/chains.ts';
import { writeSemanticJsonl } from '../src/semantic-jsonl/write.ts';
import { TEXT, at, sampleDocument } from './semantic-fixtures.ts';

const schema = JSON.parse(readFileSync(new URL('../src/semantic-jsonl/semantic-dataset.schema.json', import.meta.url), 'utf8')) as object;
// strictRequired is Ajv's own lint (a `required` in an if/then branch names properties defined at the top), not schema validity.
const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(schema);
const valid = (record: unknown) => {
  const ok = validate(record);
  return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
};

const passage = { externalId: 'ru-1', id: 'p-uuid', text: TEXT, textSha256: createHash('sha256').update(TEXT, 'utf8').digest('hex'), meta: { lang: 'ru' } };
const project = { id: 'proj-1', name: 'Proj', schemeVersion: 3 };

function annotatorInput(): SemanticRecordInput {
  return {
    passage,
    source: { kind: 'annotator', username: 'ann1' },
    set: { id: 'set-1', status: 'submitted', category: 'reasoning', skipReason: null, version: 4, updatedAt: '2025-01-02T03:04:05.000Z', submittedAt: '2025-01-02T03:04:05.000Z' },
    spans: [
      { id: 's3', label: 'premise', ...at('OK 👩‍👩‍👧‍👦'), note: null },
      { id: 's1', label: 'premise', ...at('второе'), note: 'нота 📝' },
      { id: 's2', label: 'conclusion', ...at('😀 cafe\u0301 хорош'), note: null },
    ],
    relations: [
      { id: 'r1', type: 'supports', source: 's1', target: 's2' },
      { id: 'r2', type: 'undercuts', source: 's3', target: 'r1' },
    ],
    project,
  };
}

function goldInput(): GoldRecordInput {
  return {
    passage,
    project,
    gold: { status: 'done', version: 2, category: 'reasoning', categorySources: ['ann1', 'ann2'], note: null, adjudicator: 'lead', updatedAt: '2025-01-03T00:00:00.000Z' },
    spans: [
      { id: 's1', label: 'premise', ...at('второе'), note: null, sources: ['ann1'], edited: false },
      { id: 's2', label: 'conclusion', ...at('😀 cafe\u0301 хорош'), note: null, sources: [], edited: true },
    ],
    relations: [{ id: 'r1', type: 'attacks', source: 's1', target: 's2', sources: ['ann2'], edited: false }],
  };
}

describe('semantic record 0.2', () => {
  it('is version 0.2 and keeps every field of 0.1 in place, with chains before provenance', () => {
    const record = toSemanticRecord(annotatorInput());
    expect(SEMANTIC_JSONL_VERSION).toBe('0.2');
    expect(Object.keys(record)).toEqual([
      'format', 'id', 'text', 'text_sha256', 'language', 'meta', 'annotator', 'status', 'category', 'skip_reason', 'spans', 'relations', 'chains', 'provenance',
    ]);
    expect(record.format).toBe('warrant-semantic/0.2');
    expect(record.language).toBe('ru');
    expect(record.spans.map((s) => s.id)).toEqual(['s1', 's2', 's3']);
    // 😀 is 2 UTF-16 units, 1 code point: everything after it shifts by one.
    expect(record.spans[1]).toEqual({ id: 's2', label: 'conclusion', start: 24, end: 37, start_utf16: 24, end_utf16: 38, text: '😀 cafe\u0301 хорош', note: null });
    expect(record.chains).toEqual([{ conclusion: 's2', depth: 2, spans: ['s1', 's3'], relations: ['r1', 'r2'] }]);
  });

  it('gold records carry chains over their own relations', () => {
    const record = toGoldRecord(goldInput());
    expect(Object.keys(record)).toEqual([
      'format', 'id', 'text', 'text_sha256', 'language', 'meta', 'annotator', 'status', 'category', 'category_sources', 'spans', 'relations', 'chains', 'provenance',
    ]);
    expect(record.chains).toEqual([{ conclusion: 's2', depth: 1, spans: ['s1'], relations: ['r1'] }]);
  });

  it('takes the conclusion label and relation types as options', () => {
    const input = { ...annotatorInput(), chainOptions: { conclusionLabel: 'premise', relationTypes: ['supports'] } };
    expect(toSemanticRecord(input).chains).toEqual([
      { conclusion: 's1', depth: 0, spans: [], relations: [] },
      { conclusion: 's3', depth: 0, spans: [], relations: [] },
    ]);
  });
});

describe('the JSON Schema (src/semantic-jsonl/semantic-dataset.schema.json)', () => {
  it('accepts annotator, gold and converted records', () => {
    expect(valid(toSemanticRecord(annotatorInput()))).toEqual([]);
    expect(valid(toGoldRecord(goldInput()))).toEqual([]);
    const skipped = toSemanticRecord({ ...annotatorInput(), set: { ...annotatorInput().set, status: 'skipped', skipReason: 'noise', category: null } });
    expect(valid(skipped)).toEqual([]);
    for (const line of writeSemanticJsonl([sampleDocument()], { provenance: { converted_by: 'warrant convert', source_format: 'brat' } }).text.trimEnd().split('\n')) {
      expect(valid(JSON.parse(line))).toEqual([]);
    }
  });

  it('refuses what a consumer would trip over', () => {
    const record = toSemanticRecord(annotatorInput());
    expect(valid({ ...record, format: 'warrant-semantic/0.1' })).not.toEqual([]);
    expect(valid({ ...record, chains: undefined })).not.toEqual([]);
    expect(valid({ ...record, extra: 1 })).not.toEqual([]);
    expect(valid({ ...record, text_sha256: 'ABC' })).not.toEqual([]);
    expect(valid({ ...record, status: 'done' })).not.toEqual([]);
    expect(valid({ ...record, spans: [{ ...record.spans[0], start: -1 }] })).not.toEqual([]);
    expect(valid({ ...record, spans: [{ ...record.spans[0], sources: ['x'], edited: true }] })).not.toEqual([]);
    const gold = toGoldRecord(goldInput());
    expect(valid({ ...gold, category_sources: undefined })).not.toEqual([]);
    expect(valid({ ...gold, spans: [{ ...gold.spans[0], sources: undefined }] })).not.toEqual([]);
    expect(valid({ ...gold, skip_reason: null })).not.toEqual([]);
    expect(valid({ ...gold, status: 'submitted' })).not.toEqual([]);
  });
});

describe('deriveChains', () => {
  const span = (id: string, label = 'premise') => ({ id, label });
  const rel = (id: string, type: string, source: string, target: string) => ({ id, type, source, target });

  it('gives depth 0 and nothing below to a lone conclusion, and no chain without a conclusion', () => {
    expect(deriveChains([span('c', 'conclusion')], [])).toEqual([{ conclusion: 'c', depth: 0, spans: [], relations: [] }]);
    expect(deriveChains([span('a'), span('b')], [rel('r', 'supports', 'a', 'b')])).toEqual([]);
  });

  it('walks supports and attacks down, level by level, and leaves out what is not below', () => {
    const spans = [span('c', 'conclusion'), span('p1'), span('i', 'inference'), span('p2'), span('x'), span('other', 'conclusion')];
    const relations = [
      rel('r1', 'supports', 'i', 'c'),
      rel('r2', 'supports', 'p1', 'i'),
      rel('r3', 'attacks', 'p2', 'i'),
      rel('r4', 'supports', 'x', 'other'),
      rel('r5', 'supports', 'i', 'other'),
      rel('r6', 'same-as', 'x', 'c'),
    ];
    expect(deriveChains(spans, relations)).toEqual([
      { conclusion: 'c', depth: 2, spans: ['p1', 'i', 'p2'], relations: ['r1', 'r2', 'r3'] },
      { conclusion: 'other', depth: 2, spans: ['p1', 'i', 'p2', 'x'], relations: ['r2', 'r3', 'r4', 'r5'] },
    ]);
  });

  it('counts an undercut one level below the relation it undercuts, undercuts of undercuts too', () => {
    const spans = [span('c', 'conclusion'), span('p'), span('u'), span('v')];
    const relations = [rel('r1', 'supports', 'p', 'c'), rel('r2', 'undercuts', 'u', 'r1'), rel('r3', 'undercuts', 'v', 'r2')];
    expect(deriveChains(spans, relations)).toEqual([{ conclusion: 'c', depth: 3, spans: ['p', 'u', 'v'], relations: ['r1', 'r2', 'r3'] }]);
    // An undercut of a relation outside the chain is not in it.
    expect(deriveChains([...spans, span('q')], [rel('r9', 'supports', 'q', 'p'), rel('r8', 'undercuts', 'u', 'r9')])).toEqual([
      { conclusion: 'c', depth: 0, spans: [], relations: [] },
    ]);
  });

  it('ends on cycles, giving each span the shortest level', () => {
    const spans = [span('c', 'conclusion'), span('a'), span('b')];
    const relations = [rel('r1', 'supports', 'a', 'c'), rel('r2', 'supports', 'b', 'a'), rel('r3', 'supports', 'a', 'b'), rel('r4', 'supports', 'c', 'b')];
    expect(deriveChains(spans, relations)).toEqual([{ conclusion: 'c', depth: 2, spans: ['a', 'b'], relations: ['r1', 'r2', 'r3', 'r4'] }]);
  });

  it('ignores relations from spans that do not exist', () => {
    expect(deriveChains([span('c', 'conclusion')], [rel('r1', 'supports', 'ghost', 'c')])).toEqual([{ conclusion: 'c', depth: 0, spans: [], relations: [] }]);
  });
});

describe('the Python example of docs/semantic-dataset.md', () => {
  it('runs on an export: SHA-256 and text[start:end] hold, chains resolve', () => {
    const doc = readFileSync(new URL('../../../docs/semantic-dataset.md', import.meta.url), 'utf8');
    const example = /## Reading it in Python\n\n```python\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'warrant-semantic-'));
    const lines = [toSemanticRecord(annotatorInput()), toGoldRecord(goldInput())].map((r) => JSON.stringify(r)).join('\n');
    writeFileSync(join(dir, 'export.jsonl'), `${lines}\n${writeSemanticJsonl([sampleDocument()]).text}`);
    const out = execFileSync('python3', ['-c', example as string], { cwd: dir, encoding: 'utf8' });
    // Python's list repr escapes the ZWJs of the family emoji; the gold conclusion's CRLF is printed as is.
    const family = 'OK 👩\\u200d👩\\u200d👧\\u200d👦';
    expect(out).toBe(
      [
        `ru-1 ann1 😀 cafe\u0301 хорош 2 ['второе', '${family}']`,
        "ru-1 gold 😀 cafe\u0301 хорош 1 ['второе']",
        `ru-1 ann1 😀 cafe\u0301 хорош 2 ['второе', '${family}']`,
        'ru-1 gold хорош!\r\nOK 0 []',
        '',
      ].join('\n'),
    );
  });
});
