import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { krippendorffAlpha } from '@warrant/agreement';
import { parseSemanticJsonl, writeSemanticJsonl, type DatasetDocument } from '@warrant/formats';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, run } from '../src/index.ts';

const corpora = fileURLToPath(new URL('../../../../shared/corpora/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'warrant-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function warrant(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('the warrant command', () => {
  it('answers a wrong command line with exit code 2 and the usage', async () => {
    for (const args of [[], ['frobnicate'], ['convert', 'a', 'b'], ['convert', '--from', 'brat', '--to', 'pdf', 'a', 'b'], ['convert', '--from', 'docx', '--to', 'csv', 'a', 'b'], ['agreement'], ['convert', '--bogus', 'x']]) {
      const result = await warrant(...args);
      expect(result.code, args.join(' ')).toBe(EXIT.usage);
      expect(result.stdout + result.stderr).toContain('Usage:');
    }
    expect((await warrant('help')).code).toBe(EXIT.ok);
  });

  it('answers a missing input with exit code 1, naming it', async () => {
    const result = await warrant('convert', '--from', 'brat', '--to', 'csv', join(dir, 'nothing-here.ann'), join(dir, 'out.csv'));
    expect(result.code).toBe(EXIT.badInput);
    expect(result.stderr).toContain('nothing-here');
  });

  it('converts the English microtexts to semantic JSONL, brat and back, keeping spans and relations', async () => {
    const jsonl = join(dir, 'micro-en.jsonl');
    const first = await warrant('convert', '--from', 'arg-microtext', '--to', 'semantic-jsonl', join(corpora, 'arg-microtexts/corpus/en'), jsonl);
    expect(first.code, first.stderr).toBe(EXIT.ok);
    expect(first.stderr).toContain('converted 112 document(s)');
    const { documents } = parseSemanticJsonl({ file: jsonl, text: readFileSync(jsonl, 'utf8') });
    expect(documents).toHaveLength(112);
    expect(documents.reduce((n, d) => n + (d.annotations[0]?.spans.length ?? 0), 0)).toBe(576);
    // exa and add edges are the microtext losses, listed beside the output.
    expect(JSON.parse(readFileSync(`${jsonl}.losses.json`, 'utf8'))).toHaveLength(30);

    const brat = join(dir, 'micro-brat');
    const second = await warrant('convert', '--from', 'semantic-jsonl', '--to', 'brat', jsonl, brat);
    expect(second.code, second.stderr).toBe(EXIT.ok);
    expect(readdirSync(brat).filter((f) => f.endsWith('.ann'))).toHaveLength(112);
    expect(readFileSync(join(brat, 'annotation.conf'), 'utf8')).toContain('[relations]');

    const back = join(dir, 'micro-back.jsonl');
    const third = await warrant('convert', '--from', 'brat', '--to', 'semantic-jsonl', '--source', 'arg-microtext', brat, back);
    expect(third.code, third.stderr).toBe(EXIT.ok);
    const again = parseSemanticJsonl({ file: back, text: readFileSync(back, 'utf8') }).documents;
    const shape = (ds: DatasetDocument[]) =>
      ds
        .map((d) => ({
          id: d.id,
          text: d.text,
          spans: (d.annotations[0]?.spans ?? []).map((s) => `${s.start}:${s.end}:${s.label}`).sort(),
          // brat renumbers ids, and cannot carry undercuts (relations aimed at relations): compare span-to-span relations by their ends.
          relations: (() => {
            const a = d.annotations[0];
            const at = new Map((a?.spans ?? []).map((s) => [s.id, `${s.start}:${s.end}`]));
            return (a?.relations ?? []).filter((r) => at.has(r.target)).map((r) => `${r.type}:${at.get(r.source)}>${at.get(r.target)}`).sort();
          })(),
        }))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(shape(again)).toEqual(shape(documents));
    // What brat could not carry is said, item by item: the 64 undercuts (and each document's language or metadata).
    expect(third.stderr).toMatch(/converted 112 document\(s\)/);
    expect(second.stderr.match(/^lost: .*never a relation$/gm)?.length).toBe(64);
  });

  it('refuses a folder with a bad file whole, names the file, and writes nothing', async () => {
    const out = join(dir, 'ru.jsonl');
    const result = await warrant('convert', '--from', 'arg-microtext', '--to', 'semantic-jsonl', join(corpora, 'argmicro-ru/translated_part1_human'), out);
    expect(result.code).toBe(EXIT.badInput);
    expect(result.stderr).toContain('micro_b002.xml');
    expect(existsSync(out)).toBe(false);
  });

  it('prints the agreement report of a semantic JSONL file as JSON', async () => {
    const documents: DatasetDocument[] = ['d1', 'd2', 'd3'].map((id, i) => ({
      id,
      text: 'Все люди смертны. Сократ — человек. 😀 Значит, Сократ смертен.',
      language: 'ru',
      meta: null,
      annotations: ['anna', 'boris'].map((source) => ({
        source,
        category: source === 'boris' && i === 2 ? 'knowledge' : 'reasoning',
        spans: [
          { id: 's1', label: 'premise', start: 0, end: 16, note: null },
          { id: 's2', label: 'conclusion', start: source === 'anna' ? 47 : 39, end: 61, note: null },
        ],
        relations: [{ id: 'r1', type: 'supports', source: 's1', target: 's2' }],
      })),
    }));
    const file = join(dir, 'two.jsonl');
    writeFileSync(file, writeSemanticJsonl(documents).text);
    const result = await warrant('agreement', file);
    expect(result.code, result.stderr).toBe(EXIT.ok);
    const report = JSON.parse(result.stdout) as { passages: number; category: { alpha: { value: number } }; spans: { exact: { f1: number } } };
    expect(report.passages).toBe(3);
    const cats = ['anna', 'boris'].map((s) => documents.map((d) => d.annotations.find((a) => a.source === s)?.category ?? null));
    expect(report.category.alpha.value).toBeCloseTo(krippendorffAlpha(cats, 'nominal'), 12);
    // The premises match; the conclusions differ in their start.
    expect(report.spans.exact.f1).toBeCloseTo(0.5, 12);

    // A draft (as a studio export carries them) is not compared: with boris's sets drafts, nothing is.
    const drafts = documents.map((d) => ({ ...d, annotations: d.annotations.map((a) => (a.source === 'boris' ? { ...a, status: 'draft' } : { ...a, status: 'submitted' })) }));
    writeFileSync(file, writeSemanticJsonl(drafts).text);
    const none = await warrant('agreement', file);
    expect(JSON.parse(none.stdout)).toMatchObject({ passages: 0, category: { alpha: { value: null } } });
  });
});

describe('convert never touches what the user has', () => {
  const input = () => join(dir, 'safe-in.jsonl');

  it('refuses a non-empty output folder, a folder where a file goes, and an output holding the input', async () => {
    writeFileSync(input(), writeSemanticJsonl([{ id: 'x', text: 'Short text.', language: null, meta: null, annotations: [{ source: 'a', category: null, spans: [], relations: [] }] }]).text);
    const folder = join(dir, 'mine');
    mkdirSync(folder);
    writeFileSync(join(folder, 'precious.txt'), 'keep me');
    const cases = [
      ['--to', 'brat', input(), folder],
      ['--to', 'csv', input(), folder],
      ['--to', 'aif', input(), dir],
    ];
    for (const [, to, from, out] of cases) {
      const result = await warrant('convert', '--from', 'semantic-jsonl', '--to', to as string, from as string, out as string);
      expect(result.code, `${to} -> ${out}`).toBe(EXIT.usage);
    }
    expect(readFileSync(join(folder, 'precious.txt'), 'utf8')).toBe('keep me');
    expect(existsSync(input())).toBe(true);
  });

  it('replaces an output file, fills an empty folder, and keeps documents whose names collide apart', async () => {
    const twins: DatasetDocument[] = ['a b', 'a_b'].map((id) => ({ id, text: `Text of ${id}.`, language: null, meta: null, annotations: [{ source: 'a', category: null, spans: [{ id: 's1', label: 'premise', start: 0, end: 4, note: null }], relations: [] }] }));
    writeFileSync(input(), writeSemanticJsonl(twins).text);
    const file = join(dir, 'replace-me.csv');
    writeFileSync(file, 'old');
    expect((await warrant('convert', '--from', 'semantic-jsonl', '--to', 'csv', input(), file)).code).toBe(EXIT.ok);
    expect(readFileSync(file, 'utf8')).toContain('Text');
    const empty = join(dir, 'empty-out');
    mkdirSync(empty);
    expect((await warrant('convert', '--from', 'semantic-jsonl', '--to', 'brat', input(), `${empty}/`)).code).toBe(EXIT.ok);
    expect(readdirSync(empty).filter((f) => f.endsWith('.ann')).sort()).toEqual(['a_b-2.ann', 'a_b.ann']);
    expect(existsSync(`${empty}.losses.json`)).toBe(true);
  });
});
