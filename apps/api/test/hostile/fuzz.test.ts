import { createHash } from 'node:crypto';
import { annotationSet, changeResponse, errorBody, project as projectSchema, type AnnotationSet } from '@warrant/contracts';
import { AnnotationOpError, annotationStateToContent, applyOps, createAnnotationState, type AnnotationOp, type AnnotationState, type LabelScheme } from '@warrant/domain';
import { FormatError, parseAif, parseArgMicrotext, parseBrat, parsePassages, parseSemanticJsonl, readDatasetFiles, streamSemanticJsonl, type PassageFormat } from '@warrant/formats';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../helpers/app.ts';
import { createProjectWithTeam, importTexts, next } from '../helpers/project.ts';
import { Tally } from './tally.ts';

/**
 * Issue 6, "Bad input: fuzz": seeded and time-bounded fast-check runs. The import parsers, fed
 * arbitrary bytes and near-valid files, return or throw FormatError, nothing else. The save
 * endpoint, fed random op lists, never answers 5xx; a refused change leaves the set exactly as it
 * was (version and content); an accepted one leaves it equal to the domain's applyOps model.
 */

const tally = new Tally('fuzz');
const SEED = 20_26_06;
/** Per property: a few seconds at most, whatever the machine. */
const TIME_LIMIT_MS = 1_500;
const settings = (numRuns: number) => ({ seed: SEED, numRuns, interruptAfterTimeLimit: TIME_LIMIT_MS, endOnFailure: true });

/** Mostly valid-looking input: a sample with random bytes replaced, inserted or cut away. */
function mutated(samples: string[]): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      fc.constantFrom(...samples.map((s) => Buffer.from(s, 'utf8'))),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('replace', 'insert', 'delete', 'cut')), { maxLength: 6 }),
    )
    .map(([sample, edits]) => {
      let out = Buffer.from(sample);
      for (const [at, byte, kind] of edits) {
        const i = out.length === 0 ? 0 : at % out.length;
        if (kind === 'replace' && out.length > 0) out[i] = byte;
        else if (kind === 'insert') out = Buffer.concat([out.subarray(0, i), Buffer.from([byte]), out.subarray(i)]);
        else if (kind === 'delete') out = Buffer.concat([out.subarray(0, i), out.subarray(i + 1)]);
        else out = out.subarray(0, i);
      }
      return new Uint8Array(out);
    });
}

/** Anything at all: raw bytes, Unicode text (lone surrogates included), JSON, or a mutated sample. */
function input(samples: string[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 200 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
    fc.json({ maxDepth: 4 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
    mutated(samples),
  );
}

const decode = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

/** Returns, or throws FormatError: anything else (a TypeError, a RangeError) is a bug. */
function formatErrorOrValue(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (error) {
    if (error instanceof FormatError) return true;
    throw error;
  }
}

const SEMANTIC = `{"format":"warrant-semantic/0.2","id":"d1","text":"Cats purr.","text_sha256":"${createHash('sha256').update('Cats purr.').digest('hex')}","annotator":"a","status":"submitted","category":null,"spans":[{"id":"s1","label":"premise","start":0,"end":4,"start_utf16":0,"end_utf16":4,"text":"Cats"}],"relations":[]}\n`;
const BRAT_ANN = 'T1\tpremise 0 4\tCats\nT2\tclaim 5 9\tpurr\nR1\tsupports Arg1:T1 Arg2:T2\n#1\tAnnotatorNotes T1\tnote\nA1\tNegated T1\nE1\tclaim:T2\n';
const AIF = '{"nodes":[{"nodeID":"1","type":"I","text":"Cats purr."},{"nodeID":"2","type":"RA","text":"Default Inference"},{"nodeID":"3","type":"I","text":"So what."}],"edges":[{"edgeID":"e1","fromID":"1","toID":"2"},{"edgeID":"e2","fromID":"2","toID":"3"}],"locutions":[]}';
const MICROTEXT = `<?xml version='1.0' encoding='UTF-8'?>\n<arggraph id="t1">\n<edu id="e1"><![CDATA[Fines work.]]></edu>\n<edu id="e2"><![CDATA[So raise them.]]></edu>\n<adu id="a1" type="pro"/>\n<adu id="a2" type="opp"/>\n<edge id="c1" src="e1" trg="a1" type="seg"/>\n<edge id="c2" src="e2" trg="a2" type="seg"/>\n<edge id="c3" src="a1" trg="a2" type="reb"/>\n</arggraph>\n`;

describe('import parsers on arbitrary input', () => {
  it('parsePassages resolves with passages or problems for any bytes in any chunking, in txt, jsonl and csv', async () => {
    const samples = ['First.\r\n\r\nSecond.\n', '{"id":"a","text":"x","meta":{"k":[1,2]}}\n{"text":"y"}', 'id,text,src\r\n1,"a\r\nb ""q""",x\n2,b,y\n'];
    await fc.assert(
      fc.asyncProperty(input(samples), fc.constantFrom<PassageFormat>('txt', 'jsonl', 'csv'), fc.integer({ min: 1, max: 64 }), async (bytes, format, chunk) => {
        await tally.check('parsePassages', async () => {
          async function* chunks() {
            for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
          }
          const result = await parsePassages(chunks(), format);
          expect(result.bytes).toBe(bytes.length);
          // All or nothing is the caller's rule: with no errors, every passage has text.
          if (result.errors.length === 0) for (const p of result.passages) expect(p.text.trim()).not.toBe('');
          else expect(result.errorCount).toBeGreaterThanOrEqual(result.errors.length);
        });
      }),
      settings(250),
    );
  });

  it('parseSemanticJsonl and streamSemanticJsonl return or throw FormatError', () => {
    fc.assert(
      fc.property(input([SEMANTIC, `${SEMANTIC}${SEMANTIC.replace('"a"', '"b"')}`]), (bytes) => {
        tally.check('semantic-jsonl', () => {
          expect(formatErrorOrValue(() => parseSemanticJsonl({ file: 'f.jsonl', text: decode(bytes) }))).toBe(true);
          const problems: unknown[] = [];
          expect(() => [...streamSemanticJsonl({ file: 'f.jsonl', bytes }, problems as never[], [])]).not.toThrow();
        });
      }),
      settings(250),
    );
  });

  it('parseBrat returns or throws FormatError, whatever the .txt and .ann', () => {
    fc.assert(
      fc.property(input(['Cats purr.\r\n']), input([BRAT_ANN]), (txt, ann) => {
        tally.check('brat', () => {
          expect(formatErrorOrValue(() => parseBrat({ file: 'd.ann', txt: decode(txt), ann: decode(ann) }))).toBe(true);
        });
      }),
      settings(250),
    );
  });

  it('parseAif returns or throws FormatError', () => {
    fc.assert(
      fc.property(input([AIF]), (bytes) => {
        tally.check('aif', () => {
          expect(formatErrorOrValue(() => parseAif({ file: 'a.json', json: decode(bytes) }))).toBe(true);
        });
      }),
      settings(250),
    );
  });

  it('parseArgMicrotext returns or throws FormatError', () => {
    fc.assert(
      fc.property(input([MICROTEXT]), fc.constantFrom(undefined, 'en', 'de', 'ru' as const), (bytes, language) => {
        tally.check('arg-microtext', () => {
          expect(formatErrorOrValue(() => parseArgMicrotext({ file: 't.xml', bytes, ...(language ? { language } : {}) }))).toBe(true);
        });
      }),
      settings(250),
    );
  });

  it('readDatasetFiles returns or throws FormatError for any set of named files', () => {
    const name = fc.constantFrom('a.ann', 'a.txt', 'b.ann', 'x.json', 'y.xml', 'z.jsonl', '../up.ann', 'annotation.conf', '', '.txt');
    fc.assert(
      fc.property(fc.constantFrom('semantic-jsonl', 'brat', 'aif', 'arg-microtext' as const), fc.array(fc.record({ name, bytes: input([BRAT_ANN, AIF, MICROTEXT, SEMANTIC]) }), { maxLength: 4 }), (format, files) => {
        tally.check('dataset files', () => {
          expect(formatErrorOrValue(() => readDatasetFiles(format, files, { stripBom: true }))).toBe(true);
        });
      }),
      settings(200),
    );
  });
});

describe('the save endpoint on random op lists', () => {
  // An emoji (a surrogate pair at 5-6) and CRLF: offsets that split either are tempting.
  const TEXT = 'Cats 😀 purr.\r\nDogs bark, so cats win.';
  let t: TestApp;
  let a: Client;
  let setId: string;
  let scheme: LabelScheme;

  beforeAll(async () => {
    t = await createTestApp();
    const f = await createProjectWithTeam(t.app, 'fuzz', 1);
    a = f.annotators[0]!;
    scheme = projectSchema.parse((await f.lead.get(`/api/projects/${f.project.id}`)).json()).scheme;
    await importTexts(f.lead, f.project.id, [{ id: 'fz', text: TEXT }]);
    setId = (await next(a, f.project.id))!.setId;
  });
  afterAll(async () => t?.close());

  async function read(): Promise<AnnotationSet> {
    const res = await a.get(`/api/annotation-sets/${setId}`);
    expect(res.statusCode).toBe(200);
    return annotationSet.parse(res.json());
  }
  const content = (set: AnnotationSet) => ({ spans: set.spans, relations: set.relations, category: set.category, status: set.status, skipReason: set.skipReason });

  function opArbitrary(): fc.Arbitrary<AnnotationOp> {
    const id = fc.constantFrom('a', 'b', 'c', 'r1', 'r2', '__proto__', 'constructor');
    // Mostly a valid range (so changes get accepted and state builds up), sometimes anything.
    const valid = fc.tuple(fc.integer({ min: 0, max: TEXT.length }), fc.integer({ min: 0, max: TEXT.length })).filter(([x, y]) => x !== y).map(([x, y]) => [Math.min(x, y), Math.max(x, y)] as const);
    const wild = fc.oneof(fc.integer({ min: -1, max: TEXT.length + 1 }), fc.constantFrom(6, 0.5, 2 ** 53, 1e308, -0));
    const range = fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: fc.tuple(wild, wild) });
    const pick = <T,>(good: T[], bad: T) => fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: fc.constant(bad) });
    const label = pick(scheme.spanLabels.map((l) => l.key), 'bogus');
    const type = pick(scheme.relationTypes.map((r) => r.key), 'bogus');
    const note = fc.option(fc.string({ maxLength: 6 }), { nil: null });
    return fc.oneof(
      { weight: 4, arbitrary: fc.record({ id, label, range, note }).map(({ range: [start, end], ...span }) => ({ op: 'addSpan' as const, span: { ...span, start, end } })) },
      fc.record({ op: fc.constant('updateSpan' as const), id, label, range, note }, { requiredKeys: ['op', 'id'] }).map(({ range: r, ...op }) => (r ? { ...op, start: r[0], end: r[1] } : op)),
      fc.record({ op: fc.constant('deleteSpan' as const), id }),
      { weight: 3, arbitrary: fc.record({ op: fc.constant('addRelation' as const), relation: fc.record({ id, type, source: id, target: id }) }) },
      fc.record({ op: fc.constant('updateRelation' as const), id, type }),
      fc.record({ op: fc.constant('deleteRelation' as const), id }),
      fc.record({ op: fc.constant('setCategory' as const), category: fc.option(pick(scheme.categories.map((c) => c.key), 'bogus'), { nil: null }) }),
      fc.record({ op: fc.constant('setStatus' as const), status: fc.constantFrom('draft', 'submitted', 'skipped' as const), reason: fc.option(fc.constantFrom('', '  ', 'too long to read'), { nil: null }) }, { requiredKeys: ['op', 'status'] }),
    ) as fc.Arbitrary<AnnotationOp>;
  }

  it('answers 200 or 400 only; refusals change nothing; acceptances match the domain model', async () => {
    let seq = 0;
    const outcomes = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(opArbitrary(), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }), async (changes) => {
        for (const ops of changes) {
          await tally.check('save endpoint', async () => {
            const before = await read();
            // What the server receives: the JSON of the ops (undefined fields dropped, -0 as 0).
            const sent = JSON.parse(JSON.stringify(ops)) as AnnotationOp[];
            const model: AnnotationState = createAnnotationState(before);
            let refusal: AnnotationOpError | null = null;
            try {
              applyOps(model, sent, { text: TEXT, scheme });
            } catch (error) {
              if (!(error instanceof AnnotationOpError)) throw error;
              refusal = error;
            }
            seq += 1;
            const res = await a.post(`/api/annotation-sets/${setId}/changes`, { changeId: `fz${seq}`, baseVersion: before.version, ops: sent });
            const context = `${JSON.stringify(sent)} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
            expect([200, 400], context).toContain(res.statusCode);
            outcomes[res.statusCode === 200 ? 'accepted' : 'refused'] += 1;
            const after = await read();
            if (res.statusCode === 400) {
              const { error } = errorBody.parse(res.json());
              expect(refusal, `${context}: the model accepted what the server refused`).not.toBeNull();
              expect({ code: error.code, message: error.message }, context).toEqual({ code: refusal!.code, message: refusal!.message });
              expect(after, `${context}: a refused change wrote something`).toEqual(before);
              return;
            }
            expect(refusal?.message ?? null, `${context}: the server accepted what the model refused`).toBeNull();
            expect(changeResponse.parse(res.json()).version).toBe(before.version + 1);
            expect(after.version).toBe(before.version + 1);
            expect(content(after), context).toEqual(annotationStateToContent(model));
          });
        }
      }),
      { ...settings(60), interruptAfterTimeLimit: 4_000 },
    );
    console.log(`save endpoint fuzz: ${outcomes.accepted} changes accepted, ${outcomes.refused} refused`);
    // Both paths were exercised, or the run proved little.
    expect(outcomes.accepted).toBeGreaterThan(10);
    expect(outcomes.refused).toBeGreaterThan(10);
  });
});

afterAll(() => {
  tally.report();
});
