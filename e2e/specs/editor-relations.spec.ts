import type { AnnotationSet } from '@warrant/contracts';
import { expect, test } from '../fixtures/test.ts';
import { firstSeat, openSeat, readSet, seedPassage, sendOps, spanOver } from '../fixtures/editor-seed.ts';

// One line, so every arc runs above the text and none lies over a span that is clicked.
const TEXT = 'Taxes fund schools. Schools train workers. Taxes hurt firms. Firms move.';
const A = 'Taxes fund schools';
const B = 'Schools train workers';
const C = 'Taxes hurt firms';
const D = 'Firms move';

const span = (id: string, label: string, text: string) => spanOver(TEXT, id, label, text);

/** The server's relations as "source type target", with span texts (or the relation aimed at). */
function relationsAsText(set: AnnotationSet): string[] {
  const textOf = new Map(set.spans.map((s) => [s.id, TEXT.slice(s.start, s.end)]));
  const byId = new Map(set.relations.map((r) => [r.id, r]));
  const describe = (id: string): string => {
    const relation = byId.get(id);
    if (relation) return `(${describe(relation.source)} ${relation.type} ${describe(relation.target)})`;
    return textOf.get(id) ?? `missing:${id}`;
  };
  return set.relations.map((r) => describe(r.id).slice(1, -1)).sort();
}

test.describe('relations in the editor', () => {
  test('supports by keyboard, attacks by mouse, an undercut on an arc; drawn, in the graph, warned about; deleting a span takes its relations along', async ({
    page,
    admin,
    createPerson,
    apiAs,
    signIn,
  }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT });
    const seat = firstSeat(seed);
    await sendOps(seat.api, seat.setId, [span('sA', 'premise', A), span('sB', 'conclusion', B), span('sC', 'premise', C), span('sD', 'premise', D)]);
    const editor = await openSeat(page, signIn, seed.project.id, seat);
    await expect.poll(() => editor.spans()).toHaveLength(4);
    expect(await editor.relations()).toEqual([]);

    // Nothing linked yet: every span is reported as unrelated.
    await editor.tab(/^Warnings/).click();
    await expect(editor.tab(/^Warnings/)).toHaveText('Warnings (4)');
    await expect(editor.warnings.filter({ hasText: `Not related to anything: «${D}»` })).toHaveCount(1);
    await editor.tab('Selection').click();

    // Supports, by keyboard: Tab to the source, s, Tab to the target, Enter.
    await editor.tabToSpan(A);
    await editor.press('s');
    await expect(editor.sidePanel).toContainText('New relation: Supports');
    await editor.tabToLinkTarget(B);
    await editor.press('Enter');
    await expect(page.getByRole('region', { name: 'Selected relation' })).toContainText(`«${A}» Supports «${B}»`);
    await expect.poll(() => editor.relations()).toHaveLength(1);

    // Attacks, by mouse: click the source, the button in the panel, then the target.
    await editor.clickSpan(C);
    await editor.selectedSpan.getByRole('button', { name: /^Link: Attacks/ }).click();
    await expect(editor.sidePanel).toContainText('New relation: Attacks');
    await editor.clickText(B);
    await expect.poll(() => editor.relations()).toHaveLength(2);
    await expect(page.getByRole('region', { name: 'Selected relation' })).toContainText(`«${C}» Attacks «${B}»`);

    // The target's panel lists both.
    await editor.clickSpan(B);
    await expect(editor.spanRelations).toHaveText([`«${A}» Supports «${B}»×`, `«${C}» Attacks «${B}»×`]);

    // An undercut: from D, u, then a click on the Supports arc.
    await editor.waitSaved();
    const supports = (await readSet(seat.api, seat.setId)).relations.find((r) => r.type === 'supports');
    if (!supports) throw new Error('the supports relation was not saved');
    await editor.clickSpan(D);
    await editor.press('u');
    await expect(editor.sidePanel).toContainText('New relation: Undercuts');
    await editor.clickArc(supports.id);
    await expect.poll(() => editor.relations()).toHaveLength(3);

    await editor.waitSaved();
    const linked = await readSet(seat.api, seat.setId);
    expect(relationsAsText(linked)).toEqual(
      [`${A} supports ${B}`, `${C} attacks ${B}`, `${D} undercuts (${A} supports ${B})`].sort(),
    );
    // Every relation on the server is drawn, and nothing else is.
    expect(await editor.relations()).toEqual(linked.relations.map((r) => r.id).sort());

    // The structure: four nodes, and four edges (the undercut Supports is drawn in two halves).
    await editor.tab('Structure').click();
    await expect(editor.graph).toBeVisible();
    for (const [label, text] of [
      ['Premise', A],
      ['Conclusion', B],
      ['Premise', C],
      ['Premise', D],
    ] as const) {
      await expect(editor.graphNode(label, text)).toBeVisible();
    }
    await expect(editor.graphEdges).toHaveCount(4);

    // Everything is connected now.
    await expect(editor.tab(/^Warnings/)).toHaveText('Warnings (0)');

    // Deleting A removes Supports, and with it the undercut aimed at Supports.
    await editor.tab('Selection').click();
    await editor.clickSpan(A);
    await editor.selectedSpan.getByRole('button', { name: 'Delete span' }).click();
    await expect.poll(() => editor.spanTexts()).toEqual([
      { label: 'Conclusion', text: B },
      { label: 'Premise', text: C },
      { label: 'Premise', text: D },
    ]);
    const attacks = linked.relations.find((r) => r.type === 'attacks');
    await expect.poll(() => editor.relations()).toEqual([attacks?.id]);
    await editor.tab('Structure').click();
    await expect(editor.graphNode('Premise', A)).toHaveCount(0);
    await expect(editor.graphNode('Premise', D)).toHaveCount(0);
    await expect(editor.graphEdges).toHaveCount(1);
    await editor.tab(/^Warnings/).click();
    await expect(editor.warnings).toHaveText([`Not related to anything: «${D}»`]);

    await editor.waitSaved();
    const after = await readSet(seat.api, seat.setId);
    expect(relationsAsText(after)).toEqual([`${C} attacks ${B}`]);
    expect(after.spans.map((s) => s.id).sort()).toEqual(['sB', 'sC', 'sD']);

    await page.reload();
    await editor.waitReady();
    await expect.poll(() => editor.relations()).toEqual([attacks?.id]);
  });

  test('an undercut chosen with Tab and Enter: the candidate arc is shown, and Enter links to it', async ({ page, admin, createPerson, apiAs, signIn }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT });
    const seat = firstSeat(seed);
    await sendOps(seat.api, seat.setId, [
      span('sA', 'premise', A),
      span('sB', 'conclusion', B),
      span('sC', 'premise', C),
      span('sD', 'premise', D),
      { op: 'addRelation', relation: { id: 'rAB', type: 'supports', source: 'sA', target: 'sB' } },
      { op: 'addRelation', relation: { id: 'rCB', type: 'attacks', source: 'sC', target: 'sB' } },
    ]);
    const editor = await openSeat(page, signIn, seed.project.id, seat);
    await expect.poll(() => editor.relations()).toEqual(['rAB', 'rCB']);

    // Several conclusions are warned about.
    await editor.tabToSpan(C);
    await editor.press('c');
    await editor.tab(/^Warnings/).click();
    await expect(editor.warnings.filter({ hasText: '2 conclusions are marked: usually a passage has one.' })).toHaveCount(1);
    await editor.press('p');
    await expect(editor.warnings.filter({ hasText: 'conclusions are marked' })).toHaveCount(0);

    await editor.tabToSpan(D);
    await editor.press('u');
    await editor.tab('Selection').click();
    await expect(editor.sidePanel).toContainText('New relation: Undercuts');
    // Tab and Enter choose the target while the text has focus (on the tab they move between tabs).
    await page.getByRole('document', { name: 'Passage text' }).focus();

    /** How each arc is drawn: the candidate must look different from the rest. */
    const looks = () =>
      page.locator('.relation-layer g.arc').evaluateAll((arcs) =>
        arcs.map((arc) => {
          const line = arc.querySelector('.arc__line');
          return `${arc.getAttribute('class')}|${line ? getComputedStyle(line).strokeWidth : ''}|${line?.getAttribute('stroke-width')}`;
        }),
      );
    // Which relation Enter would undercut must be visible before pressing it: exactly one arc stands out.
    const initial = await looks();
    expect.soft(new Set(initial).size, `while choosing an undercut target, one arc is highlighted (arcs: ${initial.join(', ')})`).toBe(2);
    await editor.press('Tab');
    const afterTab = await looks();
    expect.soft(afterTab, 'Tab moves the highlight to the other arc').not.toEqual(initial);

    // Whichever it is, Enter links to the candidate; the server gets an undercut aimed at a relation.
    await editor.press('Enter');
    await expect.poll(() => editor.relations()).toHaveLength(3);
    await editor.waitSaved();
    const set = await readSet(seat.api, seat.setId);
    const undercut = set.relations.find((r) => r.type === 'undercuts');
    expect(undercut?.source).toBe('sD');
    expect(['rAB', 'rCB']).toContain(undercut?.target);
    expect(relationsAsText(set)).toContain(`${D} undercuts (${undercut?.target === 'rAB' ? `${A} supports ${B}` : `${C} attacks ${B}`})`);
  });
  test('Delete on a span removes its relations and the undercut aimed at them; Ctrl+Z brings all of them back', async ({
    page,
    admin,
    createPerson,
    apiAs,
    signIn,
  }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT });
    const seat = firstSeat(seed);
    await sendOps(seat.api, seat.setId, [
      span('sA', 'premise', A),
      span('sB', 'conclusion', B),
      span('sC', 'premise', C),
      span('sD', 'premise', D),
      { op: 'addRelation', relation: { id: 'rAB', type: 'supports', source: 'sA', target: 'sB' } },
      { op: 'addRelation', relation: { id: 'rCB', type: 'attacks', source: 'sC', target: 'sB' } },
      { op: 'addRelation', relation: { id: 'rD', type: 'undercuts', source: 'sD', target: 'rAB' } },
    ]);
    const editor = await openSeat(page, signIn, seed.project.id, seat);
    await expect.poll(() => editor.relations()).toEqual(['rAB', 'rCB', 'rD']);
    const all = relationsAsText(await readSet(seat.api, seat.setId));

    await editor.tabToSpan(B);
    await editor.press('Delete');
    await expect.poll(() => editor.spans()).toHaveLength(3);
    await expect.poll(() => editor.relations()).toEqual([]);
    await editor.waitSaved();
    const deleted = await readSet(seat.api, seat.setId);
    expect(deleted.relations).toEqual([]);
    expect(deleted.spans.map((s) => s.id).sort()).toEqual(['sA', 'sC', 'sD']);

    await editor.press('Control+z');
    await expect.poll(() => editor.relations()).toEqual(['rAB', 'rCB', 'rD']);
    await expect.poll(async () => (await editor.spans()).map((s) => s.text)).toEqual([A, B, C, D]);
    await editor.waitSaved();
    expect(relationsAsText(await readSet(seat.api, seat.setId))).toEqual(all);

    await editor.press('Control+Shift+Z');
    await expect.poll(() => editor.relations()).toEqual([]);
    await editor.waitSaved();
    expect((await readSet(seat.api, seat.setId)).relations).toEqual([]);
  });
});
