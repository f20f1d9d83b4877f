import { describe, expect, it } from 'vitest';
import { parseArgMicrotext } from '../src/arg-microtext/parse-arg-microtext.ts';
import { type FormatError, parseSemanticJsonl, streamSemanticJsonl, writeSemanticJsonl, type DatasetDocument, type FormatLoss, type FormatProblem } from '../src/index.ts';
import { microtextFiles, readCorpusFile } from './microtext-corpus.ts';

/** The streaming reader (large imports) must read exactly what parseSemanticJsonl reads. */

const encoder = new TextEncoder();

function stream(text: string | Uint8Array) {
  const problems: FormatProblem[] = [];
  const losses: FormatLoss[] = [];
  const documents = [...streamSemanticJsonl({ file: 'x.jsonl', bytes: typeof text === 'string' ? encoder.encode(text) : text }, problems, losses)];
  return { documents, problems, losses };
}

/** Every English microtext with a second source, so that documents have two adjacent records. */
function corpus(): DatasetDocument[] {
  return microtextFiles('en').map((name) => {
    const { document } = parseArgMicrotext({ file: name, bytes: readCorpusFile('en', name) });
    return { ...document, annotations: [...document.annotations, { ...document.annotations[0]!, source: 'copy', category: 'reasoning' }] };
  });
}

describe('streamSemanticJsonl', () => {
  it('reads the 112 English microtexts (two sources each) exactly as parseSemanticJsonl does, with a BOM', () => {
    const text = `\uFEFF${writeSemanticJsonl(corpus()).text}`;
    const whole = parseSemanticJsonl({ file: 'x.jsonl', text });
    const streamed = stream(text);
    expect(streamed.problems).toEqual([]);
    expect(streamed.documents).toHaveLength(112);
    expect(streamed.documents).toEqual(whole.documents);
    expect(streamed.losses).toEqual(whole.losses);
  });

  it('reports the same problems, with lines, and yields only the documents without any', () => {
    const good = writeSemanticJsonl(corpus().slice(0, 3)).text.split('\n').filter(Boolean);
    // Line 2 (second record of the first document) gets a wrong offset; line 4 is not JSON.
    const broken = JSON.parse(good[1]!) as { spans: { start: number }[] };
    broken.spans[0]!.start = 10_000;
    const lines = [good[0], JSON.stringify(broken), good[2], '{"id": ', ...good.slice(3)];
    const text = `${lines.join('\n')}\n`;
    let expected: FormatProblem[] = [];
    try {
      parseSemanticJsonl({ file: 'x.jsonl', text });
    } catch (error) {
      expected = (error as FormatError).problems;
    }
    const streamed = stream(text);
    expect(streamed.problems).toEqual(expected);
    expect(streamed.problems.map((p) => p.line)).toEqual(expect.arrayContaining([2, 4]));
    expect(streamed.documents.map((d) => d.id)).toEqual(['micro_b002', 'micro_b003']);
  });

  it('refuses invalid UTF-8 on its line, and records of one passage that are not adjacent', () => {
    const [a1, a2, b1] = writeSemanticJsonl(corpus().slice(0, 2)).text.split('\n');
    const bytes = encoder.encode(`${a1}\n${b1}\n${a2}\n`);
    const mixed = stream(bytes);
    expect(mixed.problems).toEqual([{ file: 'x.jsonl', line: 3, element: 'id', message: "'micro_b001' has records on line 1 and here: a passage's records must be adjacent" }]);
    const withBadByte = new Uint8Array([...encoder.encode(`${a1}\n`), 0xff, 0x0a, ...encoder.encode(`${a2}\n`)]);
    expect(stream(withBadByte).problems).toEqual([{ file: 'x.jsonl', line: 2, message: 'not valid UTF-8' }]);
  });

  it('tells a watcher of every line read, refused, blank and last-without-newline included', () => {
    const [a1, a2] = writeSemanticJsonl(corpus().slice(0, 1)).text.split('\n');
    const bytes = new Uint8Array([...encoder.encode(`${a1}\n\n{"id": \n`), 0xff, 0x0a, ...encoder.encode(a2!)]);
    const lines: number[] = [];
    const documents = [...streamSemanticJsonl({ file: 'x.jsonl', bytes }, [], [], (line) => lines.push(line))];
    expect(lines).toEqual([1, 2, 3, 4, 5]);
    expect(documents.map((d) => d.id)).toEqual(['micro_b001']);
  });
});
