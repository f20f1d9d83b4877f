import { describe, expect, it } from 'vitest';
import { FormatError, type FormatProblem } from '../src/dataset/document.ts';
import { parseBrat, type BratInput } from '../src/brat/parse-brat.ts';

/** The problems parseBrat throws, or a failure when it does not throw a FormatError. */
function problemsOf(input: BratInput): FormatProblem[] {
  try {
    parseBrat(input);
  } catch (error) {
    if (error instanceof FormatError) return error.problems;
    throw error;
  }
  throw new Error('parseBrat accepted the input');
}

const lines = (...rows: string[]): string => rows.map((row) => `${row}\n`).join('');

describe('parseBrat: offsets', () => {
  // docs/offsets.md's worked example, plus a ZWJ family emoji and more Cyrillic.
  const txt = 'Поэтому 😀 cafe\u0301\r\nOK 👩‍👩‍👧‍👦 да';
  const ann = lines(
    'T1\tClaim 0 7\tПоэтому',
    'T2\tPremise 8 9\t😀',
    'T3\tPremise 10 15\tcafe\u0301',
    'T4\tClaim 17 19\tOK',
    'T5\tPremise 20 27\t👩‍👩‍👧‍👦',
    'T6\tClaim 28 30\tда',
    'T7\tPremise 13 19\te\u0301  OK',
    'R1\tsupport Arg1:T2 Arg2:T1\t',
    'R2\tsupport Arg1:T5 Arg2:T4',
    '#1\tAnnotatorNotes T3\tNFD é',
  );

  it('converts code points to UTF-16 across Cyrillic, emoji, combining marks and CRLF', () => {
    const { document, losses } = parseBrat({ file: 'ru/p1.ann', txt, ann });
    expect(losses).toEqual([]);
    expect(document).toEqual({
      id: 'p1',
      text: txt,
      language: null,
      meta: null,
      annotations: [
        {
          source: 'brat',
          category: null,
          spans: [
            { id: 'T1', label: 'Claim', start: 0, end: 7, note: null },
            { id: 'T2', label: 'Premise', start: 8, end: 10, note: null },
            { id: 'T3', label: 'Premise', start: 11, end: 16, note: 'NFD é' },
            { id: 'T4', label: 'Claim', start: 18, end: 20, note: null },
            { id: 'T5', label: 'Premise', start: 21, end: 32, note: null },
            { id: 'T6', label: 'Claim', start: 33, end: 35, note: null },
            { id: 'T7', label: 'Premise', start: 14, end: 20, note: null },
          ],
          relations: [
            { id: 'R1', type: 'support', source: 'T2', target: 'T1' },
            { id: 'R2', type: 'support', source: 'T5', target: 'T4' },
          ],
        },
      ],
    });
    const spans = document.annotations[0]?.spans ?? [];
    expect(spans.map((s) => txt.slice(s.start, s.end))).toEqual(['Поэтому', '😀', 'cafe\u0301', 'OK', '👩‍👩‍👧‍👦', 'да', 'e\u0301\r\nOK']);
  });

  it('counts a CRLF in the .txt as two characters, and reads a .ann with CRLF line ends the same', () => {
    const crlf = parseBrat({ file: 'p1.ann', txt, ann: ann.replace(/\n/g, '\r\n') });
    expect(crlf).toEqual(parseBrat({ file: 'p1.ann', txt, ann }));
    // With the CRLF turned into LF, OK starts one code point earlier: brat's 17 19 no longer matches.
    const problems = problemsOf({ file: 'p1.ann', txt: txt.replace('\r\n', '\n'), ann: 'T1\tClaim 17 19\tOK\n' });
    expect(problems).toEqual([
      { file: 'p1.ann', line: 1, message: 'T1: the text "OK" differs from the text at 17 19: "K "' },
    ]);
  });

  it('refuses UTF-16 offsets written where brat expects code points (brat #1115) with the line to fix', () => {
    expect(problemsOf({ file: 'p1.ann', txt, ann: lines('T1\tClaim 0 7\tПоэтому', 'T2\tPremise 11 16\tcafe\u0301') })).toEqual([
      { file: 'p1.ann', line: 2, message: 'T2: the text "cafe\u0301" differs from the text at 11 16: "afe\u0301\\r"' },
    ]);
  });

  it('names the document after the file and uses the given source', () => {
    const { document } = parseBrat({ file: 'corpus\\essays\\essay01.txt', txt: 'abc', ann: 'T1\tX 0 3\tabc\n', source: 'alice' });
    expect(document.id).toBe('essay01');
    expect(document.annotations.map((a) => a.source)).toEqual(['alice']);
    expect(parseBrat({ file: 'doc.v2', txt: 'abc', ann: '' }).document).toMatchObject({ id: 'doc', annotations: [{ spans: [], relations: [] }] });
  });
});

describe('parseBrat: what the model cannot hold', () => {
  const txt = 'The policy, critics say, is wrong. Taxes rise.';

  it('imports a discontinuous span as its covering extent and reports it', () => {
    const { document, losses } = parseBrat({ file: 'd.ann', txt, ann: 'T1\tClaim 0 10;25 33\tThe policy is wrong\n' });
    expect(document.annotations[0]?.spans).toEqual([{ id: 'T1', label: 'Claim', start: 0, end: 33, note: null }]);
    expect(losses).toEqual([
      {
        document: 'd',
        source: 'brat',
        item: 'T1',
        reason: 'discontinuous span (0 10;25 33) imported as its covering extent 0 33: the text between its fragments is now inside the span',
      },
    ]);
    // brat joins fragment texts with one space; anything else is a mismatch.
    expect(problemsOf({ file: 'd.ann', txt, ann: 'T1\tClaim 0 10;25 33\tThe policyis wrong\n' })).toHaveLength(1);
  });

  it('reports events, attributes, normalizations, equivalences, comments and notes it cannot attach, one loss per item', () => {
    const ann = lines(
      'T1\tClaim 0 10\tThe policy', // 1
      'T2\tPremise 35 40\tTaxes', // 2
      'T3\tRise 41 45\trise', // 3
      'E1\tRise:T3 Theme:T2', // 4
      'R1\tsupport Arg1:T2 Arg2:T1\t', // 5
      'R2\tcause From:T2 To:T1', // 6
      'R3\tcause Arg1:E1 Arg2:T1', // 7
      'A1\tNegated T1', // 8
      'A2\tConfidence E1 High', // 9
      'M1\tSpeculation E1', // 10
      'N1\tReference T2 Wikipedia:123\tTax', // 11
      '*\tEquiv T1 T2', // 12
      '#1\tAnnotatorNotes T1\tcentral claim', // 13
      '#2\tAnnotatorNotes T1\tsecond thoughts', // 14
      '#3\tAnnotatorNotes R1\tweak', // 15
      '#4\tAnnotatorNotes E1\tcheck', // 16
      '# a free comment', // 17
    );
    const { document, losses } = parseBrat({ file: 'd.ann', txt, ann, source: 'gold' });
    expect(document.annotations[0]?.spans.map((s) => [s.id, s.note])).toEqual([
      ['T1', 'central claim'],
      ['T2', null],
      ['T3', null],
    ]);
    expect(document.annotations[0]?.relations).toEqual([
      { id: 'R1', type: 'support', source: 'T2', target: 'T1' },
      { id: 'R2', type: 'cause', source: 'T2', target: 'T1' },
    ]);
    expect(losses.map(({ item, reason }) => [item, reason])).toEqual([
      ['E1', 'event Rise (trigger T3, Theme:T2) has no place in the model; its trigger T3 is kept as a span'],
      ['R2', 'argument roles From/To read as source/target; they are written back as Arg1/Arg2'],
      ['R3', 'relation cause links an event (Arg1:E1 Arg2:T1); events are not imported'],
      ['A1', 'attribute Negated on T1 has no place in the model'],
      ['A2', 'attribute Confidence = High on E1 has no place in the model'],
      ['M1', 'attribute Speculation on E1 has no place in the model'],
      ['N1', 'normalization Reference of T2 to Wikipedia:123 has no place in the model'],
      ['line 12', 'equivalence Equiv of T1 T2 has no place in the model'],
      ['#2', 'a second note on T1; only the first is kept: "second thoughts"'],
      ['#3', 'AnnotatorNotes on R1 (a relation annotation) has no place in the model: "weak"'],
      ['#4', 'AnnotatorNotes on E1 (an event annotation) has no place in the model: "check"'],
      ['line 17', 'comment line has no place in the model: "# a free comment"'],
    ]);
    expect(losses.every((loss) => loss.document === 'd' && loss.source === 'gold')).toBe(true);
  });

  it('keeps tabs inside a text field and skips blank lines', () => {
    const { document } = parseBrat({ file: 't.ann', txt: 'a\tb c', ann: '\nT1\tX 0 3\ta\tb\n   \n' });
    expect(document.annotations[0]?.spans).toEqual([{ id: 'T1', label: 'X', start: 0, end: 3, note: null }]);
  });
});

describe('parseBrat: malformed input', () => {
  const txt = 'Claims need reasons.';

  it.each([
    ['offsets past the end', 'T1\tClaim 12 40\treasons', 'T1: offsets 12 40 are past the end of the text (20 code points)'],
    ['reversed offsets', 'T1\tClaim 5 2\tx', 'T1: offsets 5 2: the end must be greater than the start'],
    ['empty span', 'T1\tClaim 5 5\t', 'T1: offsets 5 5: the end must be greater than the start'],
    ['offsets that are not numbers', 'T1\tClaim a b\tx', "T1: offsets 'a b' are not 'START END' pairs separated by ';'"],
    ['negative offsets', 'T1\tClaim -1 3\tCla', "T1: offsets '-1 3' are not 'START END' pairs separated by ';'"],
    ['a text mismatch', 'T1\tClaim 0 6\tClaimz', 'T1: the text "Claimz" differs from the text at 0 6: "Claims"'],
    ['a missing text field', 'T1\tClaim 0 6', 'T1: the text field (after a second tab) is missing'],
    ['a T line without offsets', 'T1\tClaim\tClaims', "T1: expected 'Label START END' after the id"],
    ['a garbage line', 'this is not brat', 'not a brat annotation line: it must start with T, R, E, A, M, N, * or #'],
    ['an id with spaces instead of tabs', 'T1 Claim 0 6 Claims', "no tab after the id: expected 'TID<TAB>...'"],
    ['a relation with one argument', 'R1\tsupport Arg1:T1\t', "R1: expected 'Type Arg1:ID Arg2:ID'"],
    ['a relation with text after it', 'R1\tsupport Arg1:T1 Arg2:T1\tnote', "R1: unexpected text after the relation's arguments"],
  ])('refuses %s, naming the file and line', (_name, row, message) => {
    expect(problemsOf({ file: 'essays/e1.txt', txt, ann: `T9\tClaim 0 6\tClaims\n${row}\n` })).toEqual([
      { file: 'essays/e1.ann', line: 2, message },
    ]);
  });

  it.each([
    ['an unknown T in a relation', 'R1\tsupport Arg1:T9 Arg2:T5\t', 'R1: Arg2 T5 is not defined in this file'],
    ['a relation to a relation', 'R1\tsupport Arg1:T9 Arg2:R7\t', 'R1: Arg2 R7 is a relation annotation; expected text-bound or event'],
    ['an attribute on nothing', 'A1\tNegated T5', 'A1: target T5 is not defined in this file'],
    ['an event whose trigger is a relation', 'E1\tRise:R7', 'E1: trigger R7 is a relation annotation; expected text-bound'],
    ['a note on nothing', '#1\tAnnotatorNotes T5\thm', '#1: note target T5 is not defined in this file'],
    ['an equivalence with an unknown member', '*\tEquiv T9 T5', '*: member T5 is not defined in this file'],
    ['a duplicate id', 'T9\tClaim 7 11\tneed', 'T9 is already defined on line 1'],
  ])('refuses %s, naming the file and line', (_name, row, message) => {
    const ann = `T9\tClaim 0 6\tClaims\nR7\tsupport Arg1:T9 Arg2:T9\n\n${row}\n`;
    expect(problemsOf({ file: 'e1.ann', txt, ann })).toEqual([{ file: 'e1.ann', line: 4, message }]);
  });

  it('reports every problem of a file at once, in line order, and imports nothing', () => {
    const ann = lines(
      'T1\tClaim 0 6\tClaims',
      'R1\tsupport Arg1:T1 Arg2:T9\t',
      'T2\tClaim 12 40\treasons',
      'garbage',
      'T3\tClaim 7 11\tneeds',
    );
    let thrown: unknown;
    try {
      parseBrat({ file: 'e1.ann', txt, ann });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FormatError);
    const error = thrown as FormatError;
    expect(error.problems.map((p) => [p.file, p.line])).toEqual([
      ['e1.ann', 2],
      ['e1.ann', 3],
      ['e1.ann', 4],
      ['e1.ann', 5],
    ]);
    expect(error.message).toBe('4 problems, the first at e1.ann:2: R1: Arg2 T9 is not defined in this file');
  });
});
