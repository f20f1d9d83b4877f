import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { expect, test } from '../fixtures/test.ts';
import { exportProject, firstSeat, openSeat, readSet, seedPassage } from '../fixtures/editor-seed.ts';

const E_ACUTE = 'e\u0301'; // NFD: e + COMBINING ACUTE ACCENT, one grapheme, two code points
const FAMILY = '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}'; // 👩‍👩‍👧‍👦: 7 code points, 11 UTF-16 units
const DOUBLE_X = '\u{1D54F}'; // 𝕏: one code point, two UTF-16 units
const TEXT = `Поэтому caf${E_ACUTE} закрыто: ${FAMILY} семья ушла, ${DOUBLE_X} остался.`;

/** What Python prints for each exported span: text[start:end], and whether it equals span["text"]. */
const PYTHON_CHECK = String.raw`
import json, sys
out = []
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    for line in f:
        if not line.strip():
            continue
        record = json.loads(line)
        text = record["text"]
        for span in record["spans"]:
            piece = text[span["start"]:span["end"]]
            out.append({"id": span["id"], "slice": piece, "ok": piece == span["text"]})
print(json.dumps(out, ensure_ascii=True))
`;

function graphemeBoundaries(text: string): Set<number> {
  const boundaries = new Set<number>([text.length]);
  for (const { index } of new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(text)) boundaries.add(index);
  return boundaries;
}

test('spans around combining marks, a ZWJ family and an astral letter export with offsets Python slices correctly, and never cut a grapheme', async ({
  page,
  admin,
  lead,
  createPerson,
  apiAs,
  signIn,
}, testInfo) => {
  // The fixture's own arithmetic, so a mistake here cannot pass for the app's.
  expect(FAMILY.length).toBe(11);
  expect(Array.from(FAMILY)).toHaveLength(7);
  expect(TEXT.normalize('NFC')).not.toBe(TEXT);

  const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT, externalId: 'юникод-1' });
  const seat = firstSeat(seed);
  await admin.addMember(seed.project.id, lead.username, 'lead');
  const editor = await openSeat(page, signIn, seed.project.id, seat);
  expect(await editor.renderedText()).toBe(TEXT);

  // 1. Mouse, snapping to words: from "Поэ" to "caf" takes both words, with the accent of é.
  await editor.selectText('Поэ', 'caf');
  await editor.labelWith('Premise');
  // 2. Mouse with Alt, exactly the accented e (two code points, one grapheme).
  const eAt = TEXT.indexOf(E_ACUTE);
  await editor.dragOffsets(eAt, eAt + E_ACUTE.length, { exact: true });
  await editor.labelWith('Inference');
  // 3. Mouse with Alt, part of a Cyrillic word: no snapping.
  await editor.selectText('закры', 'закры', { exact: true });
  await editor.labelWith('Conclusion');
  // 4. Mouse with Alt over the family alone.
  await editor.selectText(FAMILY, FAMILY, { exact: true });
  await editor.labelWith('Conclusion');
  await expect
    .poll(() => editor.spanTexts())
    .toEqual([
      { label: 'Premise', text: `Поэтому caf${E_ACUTE}` },
      { label: 'Inference', text: E_ACUTE },
      { label: 'Conclusion', text: 'закры' },
      { label: 'Conclusion', text: FAMILY },
    ]);

  // 5. Keyboard: Shift+Left from just after the family takes all of it in one step.
  const familyAt = TEXT.indexOf(FAMILY);
  await editor.press('Escape');
  await editor.clickAtOffset(familyAt + FAMILY.length); // the space after it
  await editor.press('Shift+ArrowLeft');
  await expect.poll(() => editor.selectedText()).toBe(FAMILY);
  await editor.press('Escape');
  // 6. Keyboard: from before the family, one grapheme right and one word more.
  await editor.clickAtOffset(familyAt);
  await editor.press('Escape'); // the click selected the family's span; keep only the caret
  await editor.press('Shift+ArrowRight');
  await expect.poll(() => editor.selectedText()).toBe(FAMILY);
  await editor.press('Control+Shift+ArrowRight');
  await expect.poll(() => editor.selectedText()).toBe(`${FAMILY} семья`);
  await editor.press('i');
  // 7. Keyboard: the astral letter alone, then it and the next word (adjoining spans share no unit).
  const xAt = TEXT.indexOf(DOUBLE_X);
  await editor.clickAtOffset(xAt);
  await editor.press('Escape');
  await editor.press('Shift+ArrowRight');
  await expect.poll(() => editor.selectedText()).toBe(DOUBLE_X);
  await editor.press('p');
  await editor.press('Escape');
  await editor.clickAtOffset(xAt + DOUBLE_X.length + 1); // "о" of остался
  await editor.press('Escape');
  await editor.press('Control+Shift+ArrowRight');
  await editor.press('c');

  const expected = [
    { label: 'Premise', text: `Поэтому caf${E_ACUTE}` },
    { label: 'Inference', text: E_ACUTE },
    { label: 'Conclusion', text: 'закры' },
    { label: 'Conclusion', text: FAMILY },
    { label: 'Inference', text: `${FAMILY} семья` },
    { label: 'Premise', text: DOUBLE_X },
    { label: 'Conclusion', text: 'остался' },
  ];
  await expect.poll(() => editor.spanTexts()).toEqual(expected);
  await editor.waitSaved();
  const saved = await readSet(seat.api, seat.setId);
  expect(saved.spans).toHaveLength(expected.length);

  // The lead's export.
  const leadApi = await apiAs(lead);
  const { raw, records } = await exportProject(leadApi, seed.project.id);
  expect(records).toHaveLength(1);
  const record = records[0];
  if (!record) throw new Error('no exported record');
  expect(record.text).toBe(TEXT);
  expect(record.annotator).toBe(seat.person.username);
  expect(record.spans.map((s) => s.text).sort()).toEqual(expected.map((s) => s.text).sort());

  const boundaries = graphemeBoundaries(TEXT);
  const familyEnd = familyAt + FAMILY.length;
  for (const span of record.spans) {
    // Python semantics, computed in Node: code points, not UTF-16 units.
    expect(Array.from(record.text).slice(span.start, span.end).join(''), `code points [${span.start}, ${span.end})`).toBe(span.text);
    expect(record.text.slice(span.start_utf16, span.end_utf16), `UTF-16 [${span.start_utf16}, ${span.end_utf16})`).toBe(span.text);
    expect(boundaries.has(span.start_utf16) && boundaries.has(span.end_utf16), `«${span.text}» starts and ends on grapheme boundaries`).toBe(true);
    const touchesFamily = span.start_utf16 < familyEnd && span.end_utf16 > familyAt;
    if (touchesFamily) expect(span.start_utf16 <= familyAt && span.end_utf16 >= familyEnd, `«${span.text}» takes the whole family`).toBe(true);
  }
  // The astral letters before a span shift its code-point offsets: the export must not reuse UTF-16 ones.
  const afterX = record.spans.find((s) => s.text === 'остался');
  expect(afterX && afterX.start_utf16 - afterX.start).toBe(FAMILY.length - Array.from(FAMILY).length + 1);

  // And Python itself, on the exported file.
  const file = testInfo.outputPath('export.jsonl');
  writeFileSync(file, raw, 'utf8');
  const script = testInfo.outputPath('check.py');
  writeFileSync(script, PYTHON_CHECK, 'utf8');
  const python = JSON.parse(execFileSync('python3', [script, file], { encoding: 'utf8' })) as { id: string; slice: string; ok: boolean }[];
  expect(python).toHaveLength(expected.length);
  expect(python.filter((row) => !row.ok)).toEqual([]);
  expect(python.map((row) => row.slice).sort()).toEqual(expected.map((s) => s.text).sort());
});
