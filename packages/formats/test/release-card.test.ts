import { describe, expect, it } from 'vitest';
import type { DatasetDocument, DatasetSpan } from '../src/dataset/document.ts';
import { renderDatasetCard, type DatasetCardInput } from '../src/release/dataset-card.ts';
import { buildManifest } from '../src/release/manifest.ts';
import type { ReleaseSplit } from '../src/release/split.ts';
import { ReleaseTally } from '../src/release/tally.ts';

const T1 = 'Налоги растут, значит 😀 цены тоже.';
const T2 = 'Prices rise 📈. So wages lag.';

function span(id: string, label: string, text: string, part: string): DatasetSpan {
  const start = text.indexOf(part);
  if (start < 0) throw new Error(`'${part}' not in '${text}'`);
  return { id, label, start, end: start + part.length, note: null };
}

/** A train passage with a depth-1 chain, a test passage with a lone, uncategorised claim. */
const DOCUMENTS: [DatasetDocument, ReleaseSplit][] = [
  [
    {
      id: 'ru-1',
      text: T1,
      language: 'ru',
      meta: null,
      annotations: [
        {
          source: 'gold',
          category: 'reasoning',
          spans: [span('s1', 'premise', T1, 'Налоги растут'), span('s2', 'claim', T1, '😀 цены тоже')],
          relations: [{ id: 'r1', type: 'supports', source: 's1', target: 's2' }],
        },
      ],
    },
    'train',
  ],
  [
    {
      id: 'en-2',
      text: T2,
      language: 'en',
      meta: null,
      annotations: [{ source: 'gold', category: null, spans: [span('c', 'claim', T2, 'So wages lag')], relations: [] }],
    },
    'test',
  ],
];

function cardInput(): DatasetCardInput {
  const tally = new ReleaseTally({ chains: { conclusionLabel: 'claim' } });
  for (const [document, split] of DOCUMENTS) tally.add(document, split);
  const manifest = buildManifest({
    project: { id: 'p', name: 'Дебаты <b>bold</b> #' },
    version: 3,
    name: 'v3 | final',
    createdAt: '2025-06-07T08:09:10.000Z',
    createdBy: 'lead',
    selection: { source: 'gold', categories: ['reasoning'], labels: ['claim', 'premise'], minAgreement: 0.5, split: { seed: 's1', ratios: { train: 0.5, dev: 0, test: 0.5 } } },
    schemeVersion: 7,
    guidelines: 'g',
    counts: tally.summary(),
    files: [
      { path: 'data/train.jsonl', bytes: 812, sha256: 'a'.repeat(64), records: 1 },
      { path: 'data/test.jsonl', bytes: 640, sha256: 'b'.repeat(64), records: 1 },
    ],
    losses: 0,
  });
  return {
    manifest,
    description: 'Arguments about prices <img src=x onerror=alert(1)>.\r\n```\n# Not a heading\n\nSecond paragraph.',
    scheme: {
      spanLabels: [
        { key: 'premise', name: 'Premise', description: 'A reason; "&lt;" stays text, AT&T too.' },
        { key: 'claim', name: 'Claim | Тезис', description: 'The point <script>alert(1)</script>\nsecond line' },
      ],
      relationTypes: [{ key: 'supports', name: 'Supports', description: 'A reason for the target.', target: 'span' }],
      categories: [{ key: 'reasoning', name: 'Reasoning', description: 'Argues.' }],
    },
    agreement: [
      { name: "Category (Krippendorff's alpha)", value: 0.71234, low: 0.5, high: 0.8456, n: 40 },
      { name: 'Unitizing', value: -0.04, low: -0.2, high: 0.1 },
      { name: 'Relations | F1', value: Number.NaN, reason: 'too-few-coders', n: 2 },
      { name: 'Plain', value: Number.NaN },
    ],
    licence: 'CC BY 4.0',
    citation: 'Иванов & Smith, 2025 {draft}',
  };
}

/** The whole card for cardInput(), line by line: hostile names and definitions escaped, numbers with an ASCII minus. */
const GOLDEN = [
  '# Дебаты &lt;b>bold&lt;/b> #: release 3',
  '',
  'Release 3 ("v3 | final"), cut on 2025-06-07T08:09:10.000Z by lead with Warrant.',
  'Format `warrant-semantic-jsonl` 0.2 (record schema: semantic-dataset.schema.json); annotation guidelines version 7.',
  'Checksums and counts are in `manifest.json`.',
  '',
  '## Description',
  '',
  'Arguments about prices &lt;img src=x onerror=alert(1)>.',
  '\\```',
  '\\# Not a heading',
  '',
  'Second paragraph.',
  '',
  '## Contents',
  '',
  '- Records: gold (adjudicated) only',
  '- Categories: reasoning',
  '- Span labels: claim, premise',
  '- Minimum passage agreement: 0.500',
  '- Passages: 2; records: 2; spans: 3; relations: 1; chains: 2',
  '- Items the format could not carry: 0',
  '',
  '## Splits',
  '',
  'Each passage, with all its records, is in one split, chosen by the SHA-256 of the passage id with the seed "s1".',
  '',
  '| Split | Ratio | Passages | Records | Spans | Relations |',
  '|---|---:|---:|---:|---:|---:|',
  '| train | 50.0% | 1 | 1 | 2 | 1 |',
  '| dev | 0.0% | 0 | 0 | 0 | 0 |',
  '| test | 50.0% | 1 | 1 | 1 | 0 |',
  '| total | 100.0% | 2 | 2 | 3 | 1 |',
  '',
  '## Loading',
  '',
  'One JSON record per line, per passage and annotation source (`warrant-semantic` format). With the standard library:',
  '',
  '```python',
  'import json',
  '',
  'with open("data/train.jsonl", encoding="utf-8") as f:',
  '    train = [json.loads(line) for line in f if line.strip()]',
  '```',
  '',
  'With Hugging Face `datasets`:',
  '',
  '```python',
  'from datasets import load_dataset',
  '',
  'dataset = load_dataset("json", data_files={"train": "data/train.jsonl", "test": "data/test.jsonl"})',
  '```',
  '',
  'Span offsets `start`/`end` count code points, as Python does: `record["text"][span["start"]:span["end"]] == span["text"]`.',
  '',
  '## Files',
  '',
  '| File | Records | Bytes | SHA-256 |',
  '|---|---:|---:|---|',
  '| data/test.jsonl | 1 | 640 | `bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb` |',
  '| data/train.jsonl | 1 | 812 | `aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa` |',
  '',
  '## Label scheme',
  '',
  '### Span labels',
  '',
  '| Key | Name | Definition |',
  '|---|---|---|',
  '| premise | Premise | A reason; "&amp;lt;" stays text, AT&T too. |',
  '| claim | Claim \\| Тезис | The point &lt;script>alert(1)&lt;/script> second line |',
  '',
  '### Relation types',
  '',
  '| Key | Name | Points at | Definition |',
  '|---|---|---|---|',
  '| supports | Supports | a span | A reason for the target. |',
  '',
  '### Passage categories',
  '',
  '| Key | Name | Definition |',
  '|---|---|---|',
  '| reasoning | Reasoning | Argues. |',
  '',
  '## Agreement',
  '',
  '| Measure | Value | 95% interval | n |',
  '|---|---:|---|---:|',
  '| Category (Krippendorff\'s alpha) | 0.712 | [0.500, 0.846] | 40 |',
  '| Unitizing | -0.040 | [-0.200, 0.100] |  |',
  '| Relations \\| F1 | undefined (too-few-coders) | n/a | 2 |',
  '| Plain | undefined | n/a |  |',
  '',
  '## Statistics',
  '',
  '### Categories',
  '',
  '| Category | Records | Share |',
  '|---|---:|---:|',
  '| reasoning | 1 | 50.0% |',
  '| (none) | 1 | 50.0% |',
  '',
  '### Span labels',
  '',
  '| Label | Train | Dev | Test | Total |',
  '|---|---:|---:|---:|---:|',
  '| premise | 1 | 0 | 0 | 1 |',
  '| claim | 1 | 0 | 1 | 2 |',
  '',
  '### Relation types',
  '',
  '| Type | Relations |',
  '|---|---:|',
  '| supports | 1 |',
  '',
  '### Annotation sources',
  '',
  '| Source | Records |',
  '|---|---:|',
  '| gold | 2 |',
  '',
  '### Chain depth',
  '',
  'Chains per depth: for each conclusion, how many steps its deepest supporting or attacking span is below it.',
  '',
  '| Depth | Chains |',
  '|---:|---:|',
  '| 0 | 1 |',
  '| 1 | 1 |',
  '',
  '```text',
  '0 | ############################## 1',
  '1 | ############################## 1',
  '```',
  '',
  '## Licence',
  '',
  'CC BY 4.0',
  '',
  '## Citation',
  '',
  '```bibtex',
  '@misc{b_bold_b_2025_v3,',
  '  title = {{Дебаты <b>bold</b> \\#: dataset release 3 (v3 | final)}},',
  '  year = {2025},',
  '  version = {3},',
  '  howpublished = {Warrant dataset release},',
  '  note = {Иванов \\& Smith, 2025 \\{draft\\}},',
  '}',
  '```',
  '',
].join('\n');

describe('renderDatasetCard', () => {
  it('renders the exact card', () => {
    expect(renderDatasetCard(cardInput())).toBe(GOLDEN);
  });

  it('keeps every table row to its header\'s columns, and lets no tag through outside code', () => {
    const card = renderDatasetCard(cardInput());
    let inCode = false;
    let columns = 0;
    for (const line of card.split('\n')) {
      if (line.startsWith('```')) inCode = !inCode;
      if (inCode) continue;
      expect(line).not.toMatch(/<[a-z/]/i);
      const cells = line.replace(/\\\|/g, '').split('|').length - 2;
      if (!line.startsWith('|')) columns = 0;
      else if (columns === 0) columns = cells;
      else expect(cells, line).toBe(columns);
    }
    expect(inCode).toBe(false);
  });

  it('says what is missing instead of leaving sections out', () => {
    const input = cardInput();
    const empty = new ReleaseTally().summary();
    const card = renderDatasetCard({
      ...input,
      manifest: { ...input.manifest, release: { ...input.manifest.release, name: '' }, counts: empty, files: [] },
      description: '  ',
      scheme: { spanLabels: [], relationTypes: [], categories: [] },
      agreement: [],
      licence: null,
      citation: null,
    });
    expect(card).toContain('Release 3, cut on 2025-06-07T08:09:10.000Z by lead with Warrant.\n');
    expect(card).toContain('## Description\n\nNo description was given.\n\n## Contents');
    expect(card).toContain('## Files\n\nNone.\n\n## Label scheme\n\n### Span labels\n\nNone.\n\n### Relation types\n\nNone.\n\n### Passage categories\n\nNone.\n');
    expect(card).toContain('## Agreement\n\nNo agreement figures were given for this release.\n');
    expect(card).toContain('| (none) | 0 | n/a |\n');
    expect(card).toContain('### Annotation sources\n\nNone.\n');
    expect(card).toContain('No chains: no record has a conclusion.\n\n## Licence\n\nNot stated.\n');
    // Without data files, the snippet names the conventional ones.
    expect(card).toContain('data_files={"train": "train.jsonl", "dev": "dev.jsonl", "test": "test.jsonl"}');
    expect(card).toContain('@misc{b_bold_b_2025_v3,\n  title = {{Дебаты <b>bold</b> \\#: dataset release 3}},\n  year = {2025},\n  version = {3},\n  howpublished = {Warrant dataset release},\n}\n```\n');
  });

  it('draws the chain-depth histogram to scale, with the gaps', () => {
    const input = cardInput();
    const counts = { ...input.manifest.counts, chain_depths: { 0: 10, 1: 5, 3: 1 } };
    const card = renderDatasetCard({ ...input, manifest: { ...input.manifest, counts } });
    const table = ['| Depth | Chains |', '|---:|---:|', '| 0 | 10 |', '| 1 | 5 |', '| 2 | 0 |', '| 3 | 1 |'].join('\n');
    const bars = ['```text', `0 | ${'#'.repeat(30)} 10`, `1 | ${'#'.repeat(15)}${' '.repeat(15)} 5`, `2 | ${' '.repeat(30)} 0`, `3 | ${'#'.repeat(3)}${' '.repeat(27)} 1`, '```'].join('\n');
    expect(card).toContain(`${table}\n\n${bars}\n`);
  });

  it('gives a tiny count a visible bar and pads depths to one width', () => {
    const input = cardInput();
    const counts = { ...input.manifest.counts, chain_depths: { 0: 1000, 10: 1 } };
    const card = renderDatasetCard({ ...input, manifest: { ...input.manifest, counts } });
    expect(card).toContain(` 0 | ${'#'.repeat(30)} 1000\n 1 | ${' '.repeat(30)} 0\n`);
    expect(card).toContain(`10 | #${' '.repeat(29)} 1\n\`\`\``);
  });

  it('writes an undefined figure as undefined, never NaN, and never "-0.000"', () => {
    const input = cardInput();
    const card = renderDatasetCard({
      ...input,
      agreement: [
        { name: 'Tiny', value: -0.0001, low: -0.0004, high: 0.0004, n: 3 },
        { name: 'Half', value: 0.5, low: Number.NaN, high: Number.NaN },
        { name: 'Inf', value: Number.POSITIVE_INFINITY, reason: 'nothing-to-compare' },
      ],
    });
    expect(card).toContain('| Tiny | 0.000 | [0.000, 0.000] | 3 |\n| Half | 0.500 | n/a |  |\n| Inf | undefined (nothing-to-compare) | n/a |  |\n');
    expect(card).not.toContain('NaN');
  });
});
