import { bibtexEntry } from './bibtex.ts';
import type { ReleaseManifest } from './manifest.ts';
import { markdownCell, markdownHeading, markdownInline, markdownPlainBlock } from './markdown.ts';
import { RELEASE_SPLITS, type ReleaseSplit } from './split.ts';

/** An agreement coefficient as the report gives it; an undefined one has a NaN value and, usually, a reason. */
export interface AgreementFigure {
  name: string;
  value: number;
  /** The 95% interval's bounds, when computed. */
  low?: number;
  high?: number;
  reason?: string;
  /** How many items (passages, units) it was computed on. */
  n?: number;
}

/** What the card needs of the label scheme (the domain's LabelScheme fits it). */
export interface CardScheme {
  spanLabels: readonly { key: string; name: string; description: string }[];
  relationTypes: readonly { key: string; name: string; description: string; target?: 'span' | 'relation' }[];
  categories: readonly { key: string; name: string; description: string }[];
}

export interface DatasetCardInput {
  /** buildManifest()'s result: the card says what the manifest says. */
  manifest: ReleaseManifest;
  /** The project's description (plain text); null or '' when it has none. */
  description: string | null;
  scheme: CardScheme;
  agreement: readonly AgreementFigure[];
  /** What the agreement figures were computed over (plain text), printed above them. */
  agreementScope?: string | null;
  /** The licence as the lead stated it; null or '': "not stated". */
  licence: string | null;
  /** Text the project asks to be cited with (the BibTeX entry's note); null: none. */
  citation: string | null;
}

const BAR_WIDTH = 30;

/** A coefficient with three decimals and an ASCII minus (the card is read by programs too); never "-0.000". */
function decimal(value: number): string {
  const text = value.toFixed(3);
  return /^-0\.0+$/.test(text) ? text.slice(1) : text;
}

const percent = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : 'n/a');

function table(header: string[], align: ('l' | 'r')[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Keys in the scheme's order, then keys only the counts know, sorted. */
function orderedKeys(scheme: readonly { key: string }[], counted: Iterable<string>): string[] {
  const keys = scheme.map((item) => item.key);
  const known = new Set(keys);
  return [...keys, ...[...counted].filter((key) => !known.has(key)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))];
}

/** The bundle's data file of a split: `<split>.jsonl`, at the top or in a folder. */
function splitFile(manifest: ReleaseManifest, split: ReleaseSplit): string | undefined {
  return manifest.files.find((file) => file.path === `${split}.jsonl` || file.path.endsWith(`/${split}.jsonl`))?.path;
}

function loading(manifest: ReleaseManifest): string {
  type SplitPath = [ReleaseSplit, string];
  const found = RELEASE_SPLITS.flatMap((split): SplitPath[] => {
    const path = splitFile(manifest, split);
    return path === undefined ? [] : [[split, path]];
  });
  // Without data files in the manifest, the conventional names.
  const files = found.length > 0 ? found : RELEASE_SPLITS.map((split): SplitPath => [split, `${split}.jsonl`]);
  const [firstSplit, firstPath] = files.find(([split]) => split === 'train') ?? files[0]!;
  // JSON string literals are Python string literals too.
  const dataFiles = files.map(([split, path]) => `${JSON.stringify(split)}: ${JSON.stringify(path)}`).join(', ');
  return [
    '## Loading',
    '',
    'One JSON record per line, per passage and annotation source (`warrant-semantic` format). With the standard library:',
    '',
    '```python',
    'import json',
    '',
    `with open(${JSON.stringify(firstPath)}, encoding="utf-8") as f:`,
    `    ${firstSplit} = [json.loads(line) for line in f if line.strip()]`,
    '```',
    '',
    'With Hugging Face `datasets`:',
    '',
    '```python',
    'from datasets import load_dataset',
    '',
    `dataset = load_dataset("json", data_files={${dataFiles}})`,
    '```',
    '',
    'Span offsets `start`/`end` count code points, as Python does: `record["text"][span["start"]:span["end"]] == span["text"]`.',
  ].join('\n');
}

function schemeSection(scheme: CardScheme): string {
  const parts = ['## Label scheme', ''];
  parts.push('### Span labels', '');
  parts.push(
    scheme.spanLabels.length > 0
      ? table(['Key', 'Name', 'Definition'], ['l', 'l', 'l'], scheme.spanLabels.map((l) => [markdownCell(l.key), markdownCell(l.name), markdownCell(l.description)]))
      : 'None.',
  );
  parts.push('', '### Relation types', '');
  parts.push(
    scheme.relationTypes.length > 0
      ? table(
          ['Key', 'Name', 'Points at', 'Definition'],
          ['l', 'l', 'l', 'l'],
          scheme.relationTypes.map((t) => [markdownCell(t.key), markdownCell(t.name), t.target === undefined ? '' : `a ${t.target}`, markdownCell(t.description)]),
        )
      : 'None.',
  );
  parts.push('', '### Passage categories', '');
  parts.push(
    scheme.categories.length > 0
      ? table(['Key', 'Name', 'Definition'], ['l', 'l', 'l'], scheme.categories.map((c) => [markdownCell(c.key), markdownCell(c.name), markdownCell(c.description)]))
      : 'None.',
  );
  return parts.join('\n');
}

function agreementSection(figures: readonly AgreementFigure[], scope: string | null | undefined): string {
  if (figures.length === 0) return '## Agreement\n\nNo agreement figures were given for this release.';
  const intro = scope ? [markdownPlainBlock(scope), ''] : [];
  const rows = figures.map((figure) => {
    const value = Number.isFinite(figure.value) ? decimal(figure.value) : figure.reason ? `undefined (${markdownCell(figure.reason)})` : 'undefined';
    const interval =
      Number.isFinite(figure.value) && figure.low !== undefined && figure.high !== undefined && Number.isFinite(figure.low) && Number.isFinite(figure.high)
        ? `[${decimal(figure.low)}, ${decimal(figure.high)}]`
        : 'n/a';
    const n = figure.n !== undefined && Number.isFinite(figure.n) ? String(figure.n) : '';
    return [markdownCell(figure.name), value, interval, n];
  });
  return ['## Agreement', '', ...intro, table(['Measure', 'Value', '95% interval', 'n'], ['l', 'r', 'l', 'r'], rows)].join('\n');
}

function chainDepths(depths: Record<string, number>): string {
  const entries = Object.entries(depths).map(([depth, count]) => [Number(depth), count] as const);
  if (entries.length === 0) return 'No chains: no record has a conclusion.';
  const maxDepth = Math.max(...entries.map(([depth]) => depth));
  const byDepth = new Map(entries);
  // Every depth from 0, so the gaps show.
  const rows = Array.from({ length: maxDepth + 1 }, (_, depth) => [depth, byDepth.get(depth) ?? 0] as const);
  const max = Math.max(...rows.map(([, count]) => count));
  const width = String(maxDepth).length;
  const bars = rows.map(([depth, count]) => {
    const bar = '#'.repeat(count === 0 ? 0 : Math.max(1, Math.round((count / max) * BAR_WIDTH)));
    return `${String(depth).padStart(width)} | ${bar.padEnd(BAR_WIDTH)} ${count}`;
  });
  return [
    table(['Depth', 'Chains'], ['r', 'r'], rows.map(([depth, count]) => [String(depth), String(count)])),
    '',
    '```text',
    ...bars,
    '```',
  ].join('\n');
}

function statistics(manifest: ReleaseManifest, scheme: CardScheme): string {
  const { counts } = manifest;
  const parts = ['## Statistics', '', '### Categories', ''];
  const categoryRows = orderedKeys(scheme.categories, Object.keys(counts.categories)).map((key) => {
    const n = counts.categories[key] ?? 0;
    return [markdownCell(key), String(n), percent(n, counts.records)];
  });
  categoryRows.push(['(none)', String(counts.uncategorised), percent(counts.uncategorised, counts.records)]);
  parts.push(table(['Category', 'Records', 'Share'], ['l', 'r', 'r'], categoryRows));

  parts.push('', '### Span labels', '');
  const labelRows = orderedKeys(scheme.spanLabels, Object.keys(counts.labels)).map((key) => [
    markdownCell(key),
    ...RELEASE_SPLITS.map((split) => String(counts.splits[split].labels[key] ?? 0)),
    String(counts.labels[key] ?? 0),
  ]);
  parts.push(table(['Label', 'Train', 'Dev', 'Test', 'Total'], ['l', 'r', 'r', 'r', 'r'], labelRows));

  parts.push('', '### Relation types', '');
  const relationRows = orderedKeys(scheme.relationTypes, Object.keys(counts.relation_types)).map((key) => [markdownCell(key), String(counts.relation_types[key] ?? 0)]);
  parts.push(table(['Type', 'Relations'], ['l', 'r'], relationRows));

  parts.push('', '### Annotation sources', '');
  const sourceRows = Object.entries(counts.sources).map(([source, n]) => [markdownCell(source), String(n)]);
  parts.push(sourceRows.length > 0 ? table(['Source', 'Records'], ['l', 'r'], sourceRows) : 'None.');

  parts.push('', '### Chain depth', '', 'Chains per depth: for each conclusion, how many steps its deepest supporting or attacking span is below it.', '');
  parts.push(chainDepths(counts.chain_depths));
  return parts.join('\n');
}

function contents(manifest: ReleaseManifest): string {
  const { selection, counts } = manifest;
  const list = (keys: string[] | null) => (keys === null ? 'all' : keys.length === 0 ? 'none' : keys.map(markdownInline).join(', '));
  return [
    '## Contents',
    '',
    `- Records: ${selection.source === 'gold' ? 'gold (adjudicated) only' : 'every annotator, and gold'}`,
    `- Categories: ${list(selection.categories)}`,
    `- Span labels: ${list(selection.labels)}`,
    `- Minimum passage agreement: ${selection.min_agreement === null ? 'none' : decimal(selection.min_agreement)}`,
    `- Passages: ${counts.passages}; records: ${counts.records}; spans: ${counts.spans}; relations: ${counts.relations}; chains: ${counts.chains}`,
    `- Items the format could not carry: ${manifest.losses}`,
  ].join('\n');
}

function splits(manifest: ReleaseManifest): string {
  const { counts } = manifest;
  const { ratios, seed } = manifest.selection.split;
  return [
    '## Splits',
    '',
    `Each passage, with all its records, is in one split, chosen by the SHA-256 of the passage id with the seed ${seed === '' ? '(empty)' : `"${markdownInline(seed)}"`}.`,
    '',
    table(
      ['Split', 'Ratio', 'Passages', 'Records', 'Spans', 'Relations'],
      ['l', 'r', 'r', 'r', 'r', 'r'],
      [
        ...RELEASE_SPLITS.map((split) => {
          const c = counts.splits[split];
          return [split, percent(ratios[split], 1), String(c.passages), String(c.records), String(c.spans), String(c.relations)];
        }),
        ['total', percent(ratios.train + ratios.dev + ratios.test, 1), String(counts.passages), String(counts.records), String(counts.spans), String(counts.relations)],
      ],
    ),
  ].join('\n');
}

/**
 * The release's README.md: a dataset card in the Hugging Face spirit, in Markdown. Every piece of
 * user-given text is escaped for where it goes (markdown.ts, bibtex.ts); numbers use ASCII digits
 * and `-`, so the card can be read by programs as well as people.
 */
export function renderDatasetCard(input: DatasetCardInput): string {
  const { manifest } = input;
  const { release, format, guidelines } = manifest;
  const year = new Date(release.created_at).getUTCFullYear();
  const description = input.description?.trim() ? markdownPlainBlock(input.description) : 'No description was given.';
  const licence = input.licence?.trim() ? markdownPlainBlock(input.licence) : 'Not stated.';
  const files = table(
    ['File', 'Records', 'Bytes', 'SHA-256'],
    ['l', 'r', 'r', 'l'],
    manifest.files.map((file) => [markdownCell(file.path), String(file.records), String(file.bytes), `\`${file.sha256}\``]),
  );
  const sections = [
    `# ${markdownHeading(`${release.project.name}: release ${release.version}`)}`,
    [
      `Release ${release.version}${release.name !== '' ? ` ("${markdownInline(release.name)}")` : ''}, cut on ${markdownInline(release.created_at)} by ${markdownInline(release.created_by)} with Warrant.`,
      `Format \`${format.name}\` ${markdownInline(format.version)} (record schema: ${markdownInline(format.schema)}); annotation guidelines version ${guidelines.version}.`,
      'Checksums and counts are in `manifest.json`.',
    ].join('\n'),
    `## Description\n\n${description}`,
    contents(manifest),
    splits(manifest),
    loading(manifest),
    `## Files\n\n${manifest.files.length > 0 ? files : 'None.'}`,
    schemeSection(input.scheme),
    agreementSection(input.agreement, input.agreementScope),
    statistics(manifest, input.scheme),
    `## Licence\n\n${licence}`,
    [
      '## Citation',
      '',
      '```bibtex',
      bibtexEntry({ project: release.project.name, version: release.version, name: release.name, year, citation: input.citation }),
      '```',
    ].join('\n'),
  ];
  return `${sections.join('\n\n')}\n`;
}
