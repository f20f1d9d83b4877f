import { createHash } from 'node:crypto';
import { errorBody, importRejection, importResponse, passage, passageList } from '@warrant/contracts';
import { writeAif, writeBrat, type DatasetDocument } from '@warrant/formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { multipartFiles } from '../helpers/multipart.ts';
import { createProjectWithTeam, type ProjectFixture } from '../helpers/project.ts';
import { rowCounts } from './hostile.ts';
import { Tally } from './tally.ts';

/**
 * Issue 6, "Bad input: imports": damaged files (a BOM, invalid UTF-8, a truncated last line,
 * quoted newlines, duplicate ids, an empty file, a million lines, nesting too deep) are each
 * imported exactly as written or refused whole with line-numbered errors; never half-imported.
 * Complements imports.test.ts and annotated-imports.test.ts, which hold the ordinary cases.
 */

const tally = new Tally('bad-imports');

let t: TestApp;
let f: ProjectFixture;
let n = 0;

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? utf8(p) : Buffer.from(p))));
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

async function upload(files: { filename: string; content: string | Uint8Array }[], fields: Record<string, string> = {}) {
  const { payload, headers } = multipartFiles(files, fields);
  return f.lead.request({ method: 'POST', url: `/api/projects/${f.project.id}/imports`, payload, headers });
}

async function texts(externalIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let offset = 0; ; offset += 200) {
    const list = passageList.parse((await f.lead.get(`/api/projects/${f.project.id}/passages?offset=${offset}&limit=200`)).json());
    for (const p of list.passages) {
      if (externalIds.includes(p.externalId)) out.set(p.externalId, passage.parse((await f.lead.get(`/api/passages/${p.id}`)).json()).text);
    }
    if (offset + 200 >= list.total) return out;
  }
}

/** Accepted (passages by id with their texts, or a count); refused with these lines; or refused as a request. */
type Outcome = { accept: Record<string, string> | number } | { reject: (number | undefined)[] } | { invalid: true };

/**
 * One damaged file: accepted with exactly the expected passages (by id, with their texts, or a
 * count), or refused whole with the expected line numbers and no row written anywhere.
 */
async function damaged(group: string, name: string, files: { filename: string; content: string | Uint8Array }[], fields: Record<string, string>, outcome: Outcome) {
  await tally.check(group, async () => {
    const before = rowCounts(t.app.sqlite);
    const res = await upload(files, fields);
    const context = `${name}: ${res.statusCode} ${res.body.slice(0, 400)}`;
    if ('invalid' in outcome) {
      expect(res.statusCode, context).toBe(400);
      expect(errorBody.parse(res.json()).error.code, context).toBe('VALIDATION_FAILED');
      expect(rowCounts(t.app.sqlite), `${context}: something was written`).toEqual(before);
      return;
    }
    if ('reject' in outcome) {
      expect(res.statusCode, context).toBe(400);
      const body = errorBody.parse(res.json());
      expect(body.error.code, context).toBe('IMPORT_REJECTED');
      const details = importRejection.parse(body.error.details);
      expect(details.errors.map((e) => e.line), context).toEqual(outcome.reject);
      expect(rowCounts(t.app.sqlite), `${context}: something was written`).toEqual(before);
      return;
    }
    expect(res.statusCode, context).toBe(201);
    const summary = importResponse.parse(res.json()).import;
    if (typeof outcome.accept === 'number') {
      expect(summary.passages, context).toBe(outcome.accept);
    } else {
      expect(summary.passages, context).toBe(Object.keys(outcome.accept).length);
      const stored = await texts(Object.keys(outcome.accept));
      expect(Object.fromEntries(stored), context).toEqual(outcome.accept);
    }
  });
}

const plain = (name: string, filename: string, content: string | Uint8Array, outcome: Outcome) => damaged('plain passages', name, [{ filename, content }], {}, outcome);

beforeAll(async () => {
  t = await createTestApp();
  f = await createProjectWithTeam(t.app, 'imp', 0);
});

afterAll(async () => {
  tally.report();
  await t?.close();
});

describe('plain passages: byte order marks and encodings', () => {
  it('strips one BOM from .txt, .jsonl and .csv, so a CSV header is still "id,text"', async () => {
    await plain('txt with BOM', 'bom1.txt', bytes([0xef, 0xbb, 0xbf], 'First.\n\nSecond.'), { accept: { 'bom1.txt:1': 'First.', 'bom1.txt:3': 'Second.' } });
    await plain('jsonl with BOM', 'bom2.jsonl', bytes([0xef, 0xbb, 0xbf], '{"id":"bom-j","text":"J."}\n'), { accept: { 'bom-j': 'J.' } });
    await plain('csv with BOM', 'bom3.csv', bytes([0xef, 0xbb, 0xbf], 'id,text\r\nbom-c,C.\r\n'), { accept: { 'bom-c': 'C.' } });
    const list = passageList.parse((await f.lead.get(`/api/projects/${f.project.id}/passages?limit=200`)).json());
    const c = list.passages.find((p) => p.externalId === 'bom-c')!;
    // The BOM did not become part of the first column's name (which would make "id" a meta column).
    expect(passage.parse((await f.lead.get(`/api/passages/${c.id}`)).json()).meta).toBeNull();
  });

  it('refuses a file that is only a BOM, a second BOM where JSON must start, and UTF-16', async () => {
    await plain('only a BOM', 'bom4.txt', bytes([0xef, 0xbb, 0xbf]), { reject: [0] });
    await plain('two BOMs in jsonl', 'bom5.jsonl', bytes([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], '{"text":"x"}\n'), { reject: [1] });
    // A header name is trimmed, and trim() takes U+FEFF for white space: the second BOM goes with it.
    await plain('two BOMs in csv', 'bom6.csv', bytes([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], 'text\nx\n'), { accept: { 'bom6.csv:2': 'x' } });
    await plain('UTF-16LE', 'utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Hello.\n', 'utf16le')]), { reject: [1] });
  });

  it('refuses invalid UTF-8 anywhere with the line of the bad byte, never with U+FFFD', async () => {
    await plain('0xFF in jsonl line 3', 'bad1.jsonl', bytes('{"text":"one"}\n{"text":"two"}\n{"text":"th', [0xff], 'ree"}\n'), { reject: [3] });
    await plain('overlong "/" in csv line 2', 'bad2.csv', bytes('text\n', [0xc0, 0xaf], 'x\n'), { reject: [2] });
    await plain('an encoded surrogate in txt', 'bad3.txt', bytes('Fine.\n\nNot ', [0xed, 0xa0, 0x80], ' fine.\n'), { reject: [3] });
    await plain('a cut multi-byte character at the end', 'bad4.txt', bytes('Caf', [0xc3]), { reject: [1] });
    await plain('a cut 4-byte emoji at the end of jsonl', 'bad5.jsonl', bytes('{"text":"ok"}\n{"text":"', [0xf0, 0x9f, 0x98]), { reject: [2] });
    await plain('bad byte inside a quoted CSV field on its 3rd line', 'bad6.csv', bytes('id,text\nq1,"one\ntwo\nthr', [0xfe], 'ee"\n'), { reject: [4] });
  });

  it('keeps NUL and other control characters as text (nothing normalised)', async () => {
    await plain('NUL in txt', 'nul.txt', 'a\u0000b and \u0007 bell.\n', { accept: { 'nul.txt:1': 'a\u0000b and \u0007 bell.' } });
  });
});

describe('plain passages: truncated last lines and quoted newlines', () => {
  it('takes a complete last line without a newline, and refuses half a JSON object on it', async () => {
    await plain('jsonl without final LF', 'end1.jsonl', '{"id":"e1","text":"One."}\n{"id":"e2","text":"Two."}', { accept: { e1: 'One.', e2: 'Two.' } });
    await plain('half an object', 'end2.jsonl', '{"id":"e3","text":"One."}\n{"id":"e4","te', { reject: [2] });
    await plain('cut inside an escape', 'end3.jsonl', '{"id":"e5","text":"One."}\r\n{"id":"e6","text":"\\u00', { reject: [2] });
    await plain('csv without final newline', 'end4.csv', 'id,text\r\ne7,Seven.\r\ne8,Eight.', { accept: { e7: 'Seven.', e8: 'Eight.' } });
    await plain('csv cut inside a quoted field', 'end5.csv', 'id,text\ne9,Nine.\ne10,"Ten and\nmore', { reject: [3] });
    await plain('txt without final newline', 'end6.txt', 'Last line.', { accept: { 'end6.txt:1': 'Last line.' } });
  });

  it('keeps LF and CRLF inside quoted CSV fields, and counts lines after them', async () => {
    await plain(
      'quoted newlines',
      'q1.csv',
      'id,text,source\r\nq-a,"Line one,\r\nline two ""quoted""",forum\r\nq-b,"LF\nonly",x\r\nq-c,"",x\r\n',
      // The empty text is refused with the line its record starts on, after two multi-line records.
      { reject: [6] },
    );
    await plain('quoted newlines, valid', 'q2.csv', 'id,text\r\nq-a,"Line one,\r\nline two ""quoted"""\r\nq-b,"LF\nonly"\r\n', { accept: { 'q-a': 'Line one,\r\nline two "quoted"', 'q-b': 'LF\nonly' } });
    await plain('a quote inside an unquoted field', 'q3.csv', 'id,text\nq-d,say "hi"\n', { reject: [2] });
    await plain('text after a closing quote', 'q4.csv', 'id,text\nq-e,"a"b\n', { reject: [2] });
    await plain('a quoted field of only newlines', 'q5.csv', 'id,text\nq-f,"\n\n"\n', { reject: [2] });
    await plain('a bare CR outside quotes', 'q6.csv', 'id,text\rq-g,x\n', { reject: [1] });
  });
});

describe('plain passages: ids, empty files, nesting', () => {
  it('refuses duplicate ids with the line of each repeat, including 1 and "1"', async () => {
    await plain('csv duplicates', 'dup1.csv', 'id,text\nd1,A.\nd2,B.\nd1,C.\nd1,D.\n', { reject: [4, 5] });
    await plain('number and string', 'dup2.jsonl', '{"id":1,"text":"A."}\n{"id":"1","text":"B."}\n', { reject: [2] });
    await plain('ids that only look alike are different', 'dup3.jsonl', '{"id":"caf\u00e9","text":"NFC."}\n{"id":"cafe\u0301","text":"NFD."}\n{"id":"A","text":"Upper."}\n{"id":"a","text":"Lower."}\n', {
      accept: { 'caf\u00e9': 'NFC.', 'cafe\u0301': 'NFD.', A: 'Upper.', a: 'Lower.' },
    });
    await plain('prototype names are ids like any other', 'dup4.jsonl', '{"id":"__proto__","text":"P."}\n{"id":"constructor","text":"C."}\n{"id":"hasOwnProperty","text":"H."}\n', {
      // fromEntries: an own key "__proto__", not a prototype.
      accept: Object.fromEntries([['__proto__', 'P.'], ['constructor', 'C.'], ['hasOwnProperty', 'H.']]),
    });
  });

  it('refuses empty files of every format with line 0', async () => {
    for (const [name, content] of [['empty.txt', ''], ['empty.jsonl', ''], ['blank.jsonl', '\n \n\t\n'], ['header-only.csv', 'id,text\n'], ['empty.csv', ''], ['crlf.txt', '\r\n\r\n']] as const) {
      await plain(name, name, content, { reject: [0] });
    }
  });

  it('refuses meta nested deeper than the store can hold, with its line', async () => {
    const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    await plain('meta 64 levels deep', 'meta1.jsonl', `{"id":"m-ok","text":"Fine.","meta":${deep(64)}}\n`, { accept: { 'm-ok': 'Fine.' } });
    await plain('meta 65 levels deep', 'meta2.jsonl', `{"id":"m1","text":"Fine."}\n{"id":"m2","text":"Deep.","meta":${deep(65)}}\n`, { reject: [2] });
    await plain('meta 10,000 levels deep', 'meta3.jsonl', `{"id":"m3","text":"Deep.","meta":${deep(10_000)}}\n`, { reject: [1] });
    await plain('meta 10,000 arrays deep', 'meta4.jsonl', `{"id":"m4","text":"Deep.","meta":{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}}\n`, { reject: [1] });
  });
});

describe('plain passages: a million lines', () => {
  const MILLION = 1_000_000;

  it('refuses a 1,000,000-line JSONL file with a bad line every 10,000 and its last line cut: the first 100 lines, and the count of all', async () => {
    const lines = Array.from({ length: MILLION }, (_, i) => ((i + 1) % 10_000 === 0 ? '{"text":' : `{"text":"p${i}"}`));
    lines[MILLION - 1] = '{"text":"the last one is cu';
    await tally.check('plain passages', async () => {
      const before = rowCounts(t.app.sqlite);
      const res = await upload([{ filename: 'million.jsonl', content: lines.join('\n') }]);
      expect(res.statusCode).toBe(400);
      const details = importRejection.parse(errorBody.parse(res.json()).error.details);
      // Line 1,000,000 is both a multiple of 10,000 and the cut line: 100 bad lines in all.
      expect(details.errorCount).toBe(100);
      expect(details.errors.map((e) => e.line)).toEqual(Array.from({ length: 100 }, (_, i) => (i + 1) * 10_000));
      expect(details.errors.at(-1)?.message).toMatch(/invalid JSON/);
      expect(rowCounts(t.app.sqlite)).toEqual(before);
    });
  });

  it('imports a 1,000,000-line .txt file of 1,000 passages exactly', async () => {
    const passageLines = Array.from({ length: 999 }, (_, i) => `Line ${i + 1} of the passage.`);
    const block = passageLines.join('\n');
    // 1,000 blocks of 999 lines, each followed by a blank line: 1,000,000 lines.
    const content = `${Array.from({ length: 1000 }, () => block).join('\n\n')}\n\n`;
    expect(content.split('\n').length - 1).toBe(MILLION);
    await plain('1M lines, 1000 passages', 'million.txt', content, { accept: 1000 });
    const stored = await texts(['million.txt:1', `million.txt:${999_001}`]);
    expect(stored.get('million.txt:1')).toBe(block);
    expect(stored.get(`million.txt:${999_001}`)).toBe(block);
  });

  it('imports a CSV record whose quoted text spans 1,000,000 lines as one passage', async () => {
    const text = Array.from({ length: MILLION }, (_, i) => `l${i}`).join('\r\n');
    await plain('1M lines in one quoted field', 'million.csv', `id,text\r\nhuge,"${text}"\r\nafter,x\r\n`, { accept: { after: 'x', huge: text } });
  });
});

describe('annotated imports with the same damage', () => {
  const TEXT = 'Cats purr. Dogs bark.';
  const doc = (id: string, text = TEXT): DatasetDocument => ({
    id,
    text,
    language: 'en',
    meta: null,
    annotations: [{ source: 'ann', category: null, status: 'submitted', spans: [{ id: 's1', label: 'premise', start: 0, end: 10, note: null }], relations: [] }],
  });
  const record = (id: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      format: 'warrant-semantic/0.2',
      id,
      text: TEXT,
      text_sha256: sha(TEXT),
      annotator: 'ann',
      status: 'submitted',
      category: null,
      spans: [{ id: 's1', label: 'premise', start: 0, end: 10, start_utf16: 0, end_utf16: 10, text: 'Cats purr.' }],
      relations: [],
      ...extra,
    });
  const as = () => ({ mode: 'annotator', annotator: `imported-${(n += 1)}` });
  const semantic = (name: string, content: string | Uint8Array, outcome: Outcome) =>
    damaged('annotated: semantic-jsonl', name, [{ filename: `${name.replace(/\W+/g, '-')}.jsonl`, content }], { format: 'semantic-jsonl', ...as() }, outcome);

  it('semantic JSONL: BOM, CRLF and no final newline are read; invalid UTF-8, a cut last line, split or repeated records, deep meta and an empty file are refused whole', async () => {
    await semantic('sj BOM', bytes([0xef, 0xbb, 0xbf], `${record('sj-1')}\n`), { accept: { 'sj-1': TEXT } });
    await semantic('sj CRLF, no final newline', `${record('sj-2')}\r\n${record('sj-3')}`, { accept: { 'sj-2': TEXT, 'sj-3': TEXT } });
    await semantic('sj invalid UTF-8', bytes(`${record('sj-4')}\n`, [0xff], `${record('sj-5')}\n`), { reject: [2] });
    await semantic('sj cut last line', `${record('sj-6')}\n${record('sj-7').slice(0, 40)}`, { reject: [2] });
    await semantic('sj records of one passage apart', `${record('sj-8')}\n${record('sj-9')}\n${record('sj-8', { annotator: 'other' })}\n`, { reject: [3] });
    await semantic('sj the same annotator twice', `${record('sj-10')}\n${record('sj-10')}\n`, { reject: [2] });
    await semantic('sj deep meta', `${record('sj-11', { meta: JSON.parse(`${'{"a":'.repeat(100)}1${'}'.repeat(100)}`) })}\n`, { reject: [1] });
    await semantic('sj 10,000 levels', `${record('sj-12')}\n${record('sj-13').replace('"relations":[]', `"relations":${'['.repeat(10_000)}${']'.repeat(10_000)}`)}\n`, { reject: [2] });
    await semantic('sj empty', '', { invalid: true });
  });

  it('brat: a BOM and CRLF are read; invalid UTF-8, a cut last line, duplicate ids and missing halves are refused whole', async () => {
    const written = writeBrat(doc('br'), 'ann');
    const brat = (name: string, txt: string | Uint8Array | null, ann: string | Uint8Array | null, outcome: Outcome) =>
      damaged('annotated: brat', name, [
        ...(txt === null ? [] : [{ filename: `${name}.txt`, content: txt }]),
        ...(ann === null ? [] : [{ filename: `${name}.ann`, content: ann }]),
      ], { format: 'brat', ...as() }, outcome);
    await brat('br-ok', written.txt, written.ann, { accept: { 'br-ok': TEXT } });
    await brat('br-bom-ann', written.txt, bytes([0xef, 0xbb, 0xbf], written.ann), { accept: { 'br-bom-ann': TEXT } });
    await brat('br-crlf', written.txt, written.ann.replace(/\n/g, '\r\n'), { accept: { 'br-crlf': TEXT } });
    await brat('br-bad-txt', bytes('Cats purr. Dogs ', [0xff], 'ark.'), written.ann, { reject: [1] });
    await brat('br-bad-ann', written.txt, bytes(written.ann, 'T2\tpremise 11 15\t', [0xc3]), { reject: [2] });
    await brat('br-cut', written.txt, `${written.ann}T2\tpremise 11`, { reject: [2] });
    await brat('br-dup', written.txt, `${written.ann}${written.ann}`, { reject: [2] });
    await brat('br-no-ann', written.txt, null, { reject: [undefined] });
    await brat('br-no-txt', null, written.ann, { reject: [undefined] });
    await brat('br-empty', '', '', { reject: [undefined] });
  });

  it('AIF: invalid UTF-8, cut JSON, deep nesting and an empty file are refused whole', async () => {
    const json = writeAif(doc('aif-ok'), 'ann').json;
    const aif = (name: string, content: string | Uint8Array, outcome: Outcome) => damaged('annotated: aif', name, [{ filename: `${name}.json`, content }], { format: 'aif', ...as() }, outcome);
    await aif('aif-ok', json, { accept: 1 });
    await aif('aif-bad-utf8', bytes(json.slice(0, 20), [0xff], json.slice(20)), { reject: [json.slice(0, 20).split('\n').length] });
    await aif('aif-cut', json.slice(0, Math.floor(json.length / 2)), { reject: [json.slice(0, Math.floor(json.length / 2)).split('\n').length] });
    // Deep nesting in a field AIF does not use is read past; the graph is imported.
    await aif('aif-deep', writeAif(doc('aif-deep'), 'ann').json.replace(/^\{/, `{"deep":${'['.repeat(10_000)}${']'.repeat(10_000)},`), { accept: 1 });
    await aif('aif-empty', '', { reject: [1] });
  });

  it('arg-microtext: a BOM is read; invalid UTF-8, cut XML, an entity bomb, deep nesting and an empty file are refused whole', async () => {
    const graph = (id: string, body = '<edu id="e1"><![CDATA[Fines work.]]></edu>\n<edu id="e2"><![CDATA[So raise them.]]></edu>\n<adu id="a1" type="pro"/>\n<adu id="a2" type="pro"/>\n<edge id="c1" src="e1" trg="a1" type="seg"/>\n<edge id="c2" src="e2" trg="a2" type="seg"/>\n<edge id="c3" src="a1" trg="a2" type="sup"/>') =>
      `<?xml version='1.0' encoding='UTF-8'?>\n<arggraph id="${id}">\n${body}\n</arggraph>\n`;
    const xml = (name: string, content: string | Uint8Array, outcome: Outcome) => damaged('annotated: arg-microtext', name, [{ filename: `${name}.xml`, content }], { format: 'arg-microtext', ...as() }, outcome);
    await xml('mt-ok', graph('mt-ok'), { accept: { 'mt-ok': 'Fines work. So raise them.' } });
    await xml('mt-bom', bytes([0xef, 0xbb, 0xbf], graph('mt-bom')), { accept: { 'mt-bom': 'Fines work. So raise them.' } });
    await xml('mt-bad-utf8', bytes(graph('mt-bad').slice(0, 60), [0xff], graph('mt-bad').slice(60)), { reject: [2] });
    await xml('mt-cut', graph('mt-cut').slice(0, 120), { reject: [graph('mt-cut').slice(0, 120).split('\n').length] });
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n<arggraph id="bomb"><edu id="e1">&lol2;</edu></arggraph>\n`;
    await xml('mt-entity-bomb', bomb, { reject: [2] });
    await xml('mt-deep', graph('mt-deep', `${'<x>'.repeat(20_000)}${'</x>'.repeat(20_000)}`), { reject: [undefined] });
    await xml('mt-dup', graph('mt-dup').replace('id="e2"', 'id="e1"'), { reject: [4] });
    await xml('mt-empty', '', { reject: [1] });
  });
});
