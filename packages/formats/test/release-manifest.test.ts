import { describe, expect, it } from 'vitest';
import { SEMANTIC_JSONL_VERSION } from '../src/semantic-jsonl/record.ts';
import { MANIFEST_VERSION, buildManifest, type ManifestInput } from '../src/release/manifest.ts';
import { sha256Hex } from '../src/release/sha256-hex.ts';
import { ReleaseTally } from '../src/release/tally.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = '0123456789abcdef'.repeat(4);

function counts() {
  const tally = new ReleaseTally();
  tally.add(
    {
      id: 'ru-1',
      text: 'Потому что 😀. Значит, да.',
      language: 'ru',
      meta: null,
      annotations: [
        {
          source: 'gold',
          category: 'reasoning',
          spans: [
            { id: 's1', label: 'premise', start: 0, end: 13, note: null },
            { id: 's2', label: 'conclusion', start: 15, end: 25, note: null },
          ],
          relations: [{ id: 'r1', type: 'supports', source: 's1', target: 's2' }],
        },
      ],
    },
    'dev',
  );
  return tally.summary();
}

function input(): ManifestInput {
  return {
    project: { id: 'proj-1', name: 'Дебаты 🗣' },
    version: 2,
    name: 'spring-2025',
    createdAt: '2025-03-04T05:06:07.000Z',
    createdBy: 'lead',
    selection: { source: 'gold', categories: ['reasoning'], labels: null, minAgreement: 0.6, split: { seed: 'warrant', ratios: { train: 0.7, dev: 0.2, test: 0.1 } } },
    schemeVersion: 4,
    guidelines: 'Правила 📝\nШаг 1.',
    counts: counts(),
    files: [
      { path: 'train.jsonl', bytes: 0, sha256: A, records: 0 },
      { path: 'dev.jsonl', bytes: 1234, sha256: B, records: 1 },
      { path: 'semantic-dataset.schema.json', bytes: 9000, sha256: C, records: 0 },
      { path: 'README.md', bytes: 77, sha256: A, records: 0 },
      { path: 'test.jsonl', bytes: 0, sha256: A, records: 0 },
    ],
    losses: 3,
  };
}

describe('buildManifest', () => {
  it('builds the exact manifest.json object, files sorted by path', () => {
    const manifest = buildManifest(input());
    const expected = {
      manifest_version: 1,
      release: { project: { id: 'proj-1', name: 'Дебаты 🗣' }, version: 2, name: 'spring-2025', created_at: '2025-03-04T05:06:07.000Z', created_by: 'lead' },
      selection: { source: 'gold', categories: ['reasoning'], labels: null, min_agreement: 0.6, split: { seed: 'warrant', ratios: { train: 0.7, dev: 0.2, test: 0.1 } } },
      format: { name: 'warrant-semantic-jsonl', version: '0.2', schema: 'semantic-dataset.schema.json' },
      guidelines: { version: 4, sha256: 'fdcb8e6b67cb76afef2c84e95141f7d73557f44c74ff9d86a8c9093b6416d438' },
      counts: {
        passages: 1,
        records: 1,
        spans: 2,
        relations: 1,
        chains: 1,
        splits: {
          train: { passages: 0, records: 0, spans: 0, relations: 0, labels: {} },
          dev: { passages: 1, records: 1, spans: 2, relations: 1, labels: { conclusion: 1, premise: 1 } },
          test: { passages: 0, records: 0, spans: 0, relations: 0, labels: {} },
        },
        labels: { conclusion: 1, premise: 1 },
        relation_types: { supports: 1 },
        categories: { reasoning: 1 },
        uncategorised: 0,
        sources: { gold: 1 },
        chain_depths: { 1: 1 },
      },
      files: [
        { path: 'README.md', bytes: 77, sha256: A, records: 0 },
        { path: 'dev.jsonl', bytes: 1234, sha256: B, records: 1 },
        { path: 'semantic-dataset.schema.json', bytes: 9000, sha256: C, records: 0 },
        { path: 'test.jsonl', bytes: 0, sha256: A, records: 0 },
        { path: 'train.jsonl', bytes: 0, sha256: A, records: 0 },
      ],
      losses: 3,
    };
    expect(manifest).toStrictEqual(expected);
    // Same keys in the same order: the file is byte-for-byte reproducible.
    expect(JSON.stringify(manifest)).toBe(JSON.stringify(expected));
    expect(MANIFEST_VERSION).toBe(1);
    expect(manifest.format.version).toBe(SEMANTIC_JSONL_VERSION);
  });

  it('records the defaults it used, so the manifest alone rebuilds the splits', () => {
    const base = input();
    const manifest = buildManifest({ ...base, selection: { source: 'all' }, guidelines: null, schemaFile: 'schema/record.json' });
    expect(manifest.selection).toStrictEqual({ source: 'all', categories: null, labels: null, min_agreement: null, split: { seed: '', ratios: { train: 0.8, dev: 0.1, test: 0.1 } } });
    expect(manifest.guidelines).toStrictEqual({ version: 4, sha256: null });
    expect(manifest.format.schema).toBe('schema/record.json');
  });

  it('copies what it is given: changing the input afterwards does not change the manifest', () => {
    const base = input();
    const categories = ['reasoning'];
    const manifest = buildManifest({ ...base, selection: { ...base.selection, categories } });
    categories.push('noise');
    (base.files[0] as { records: number }).records = 99;
    expect(manifest.selection.categories).toEqual(['reasoning']);
    expect(manifest.files.find((f) => f.path === 'train.jsonl')?.records).toBe(0);
  });

  it('hashes the guidelines text as UTF-8', () => {
    expect(buildManifest({ ...input(), guidelines: '' }).guidelines.sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('refuses malformed input with a reason', () => {
    const base = input();
    const file = { path: 'x.jsonl', bytes: 1, sha256: A, records: 1 };
    expect(() => buildManifest({ ...base, version: 0 })).toThrow(new RangeError('release version must be a positive integer, not 0'));
    expect(() => buildManifest({ ...base, version: 1.5 })).toThrow('release version must be a positive integer, not 1.5');
    expect(() => buildManifest({ ...base, schemeVersion: -1 })).toThrow('scheme version must be a non-negative integer, not -1');
    expect(() => buildManifest({ ...base, createdAt: 'yesterday' })).toThrow("created_at 'yesterday' is not a date");
    expect(() => buildManifest({ ...base, losses: -2 })).toThrow('losses must be a non-negative integer, not -2');
    expect(() => buildManifest({ ...base, selection: { source: 'some' as 'all' } })).toThrow("selection source must be 'gold' or 'all', not 'some'");
    expect(() => buildManifest({ ...base, selection: { source: 'all', minAgreement: Number.NaN } })).toThrow('minimum agreement must be a finite number, not NaN');
    expect(() => buildManifest({ ...base, selection: { source: 'all', split: { ratios: { train: 0.5, dev: 0.5, test: 0.5 } } } })).toThrow('split ratios must add up to 1, not 1.5');
    expect(() => buildManifest({ ...base, files: [file, { ...file }] })).toThrow("file 'x.jsonl' is listed twice");
    expect(() => buildManifest({ ...base, files: [{ ...file, sha256: A.toUpperCase() }] })).toThrow("file 'x.jsonl': sha256 must be 64 lower-case hex digits");
    expect(() => buildManifest({ ...base, files: [{ ...file, bytes: -1 }] })).toThrow("file 'x.jsonl': bytes must be a non-negative integer, not -1");
    expect(() => buildManifest({ ...base, files: [{ ...file, records: 0.5 }] })).toThrow("file 'x.jsonl': records must be a non-negative integer, not 0.5");
    for (const path of ['', '/etc/passwd', '../x.jsonl', 'data/../x', 'data//x', './x', 'data\\x.jsonl']) {
      expect(() => buildManifest({ ...base, files: [{ ...file, path }] })).toThrow(`file path '${path}' must be relative and '/'-separated, with no empty, '.' or '..' segment`);
    }
    expect(() => buildManifest({ ...base, schemaFile: '../schema.json' })).toThrow("file path '../schema.json'");
    expect(() => buildManifest({ ...base, files: [{ ...file, path: 'data/train.jsonl' }] })).not.toThrow();
  });
});

describe('sha256Hex', () => {
  it('hashes strings as UTF-8 and bytes as they are', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new Uint8Array([0x61, 0x62, 0x63]))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('Правила 📝\nШаг 1.')).toBe('fdcb8e6b67cb76afef2c84e95141f7d73557f44c74ff9d86a8c9093b6416d438');
    expect(sha256Hex(new TextEncoder().encode('Правила 📝\nШаг 1.'))).toBe('fdcb8e6b67cb76afef2c84e95141f7d73557f44c74ff9d86a8c9093b6416d438');
  });
});
