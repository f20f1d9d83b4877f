import { DEFAULT_SCHEME } from '@warrant/domain';
import { describe, expect, it } from 'vitest';
import { findDraftProblems } from './draft-problems.ts';
import { createDraft, draftToScheme, isDraftDirty, keyFromName, parseItemPath, schemeDraftReducer, type DraftAction, type SchemeDraft } from './scheme-draft.ts';

const run = (...actions: DraftAction[]): SchemeDraft => actions.reduce(schemeDraftReducer, createDraft(DEFAULT_SCHEME, 1));
const idOf = (draft: SchemeDraft, section: keyof SchemeDraft['items'], key: string) => {
  const item = draft.items[section].find((candidate) => candidate.key === key);
  if (!item) throw new Error(`no ${key}`);
  return item.id;
};
const base = createDraft(DEFAULT_SCHEME, 1);
const premise = idOf(base, 'spanLabels', 'premise');

describe('scheme draft', () => {
  it('starts clean and gives back the same scheme', () => {
    expect(draftToScheme(base)).toEqual(DEFAULT_SCHEME);
    expect(isDraftDirty(base)).toBe(false);
  });

  it('edits names, colours, hotkeys and descriptions, but never the key or target of a saved item', () => {
    const draft = run({ type: 'update', section: 'spanLabels', id: premise, fields: { name: 'Reason', color: '#123456', hotkey: 'r', key: 'hacked' } });
    expect(draft.items.spanLabels[0]).toMatchObject({ key: 'premise', name: 'Reason', color: '#123456', hotkey: 'r' });
    expect(isDraftDirty(draft)).toBe(true);
    const undercuts = idOf(base, 'relationTypes', 'undercuts');
    const retarget = run({ type: 'update', section: 'relationTypes', id: undercuts, fields: { target: 'span' } });
    expect(retarget.items.relationTypes[2]?.target).toBe('relation');
  });

  it('adds items with an unused colour whose key follows the name until typed', () => {
    let draft = run({ type: 'add', section: 'spanLabels' });
    const added = draft.items.spanLabels[3];
    if (!added) throw new Error('not added');
    expect(added).toMatchObject({ isNew: true, key: '', name: '' });
    expect(DEFAULT_SCHEME.spanLabels.map((label) => label.color)).not.toContain(added.color);
    draft = schemeDraftReducer(draft, { type: 'update', section: 'spanLabels', id: added.id, fields: { name: 'Main claim' } });
    expect(draft.items.spanLabels[3]?.key).toBe('main-claim');
    draft = schemeDraftReducer(draft, { type: 'update', section: 'spanLabels', id: added.id, fields: { key: 'claim' } });
    draft = schemeDraftReducer(draft, { type: 'update', section: 'spanLabels', id: added.id, fields: { name: 'Claim!' } });
    expect(draft.items.spanLabels[3]).toMatchObject({ key: 'claim', name: 'Claim!' });
    const category = schemeDraftReducer(draft, { type: 'add', section: 'categories' }).items.categories[3];
    expect(category?.color).toBe('');
  });

  it('removes saved items into a list they can be restored from, in their place', () => {
    const draft = run({ type: 'remove', section: 'spanLabels', id: premise });
    expect(draft.items.spanLabels.map((label) => label.key)).toEqual(['inference', 'conclusion']);
    expect(draft.removed.spanLabels.map((label) => label.key)).toEqual(['premise']);
    const restored = schemeDraftReducer(draft, { type: 'restore', section: 'spanLabels', key: 'premise' });
    expect(restored.items.spanLabels.map((label) => label.key)).toEqual(['premise', 'inference', 'conclusion']);
    expect(restored.removed.spanLabels).toEqual([]);
    expect(isDraftDirty(restored)).toBe(false);
  });

  it('forgets removed new items', () => {
    const added = run({ type: 'add', section: 'relationTypes' });
    const id = added.items.relationTypes[3]?.id ?? '';
    const removed = schemeDraftReducer(added, { type: 'remove', section: 'relationTypes', id });
    expect(removed.items.relationTypes).toHaveLength(3);
    expect(removed.removed.relationTypes).toEqual([]);
  });

  it('makes keys from names', () => {
    expect(keyFromName('Main claim')).toBe('main-claim');
    expect(keyFromName('  Café  au lait ')).toBe('cafe-au-lait');
    expect(keyFromName('2nd premise')).toBe('nd-premise');
    expect(keyFromName('Посылка')).toBe('');
    expect(keyFromName('x'.repeat(40))).toHaveLength(32);
  });

  it('reads item paths in both notations', () => {
    expect(parseItemPath('spanLabels[2].hotkey')).toEqual({ section: 'spanLabels', index: 2, field: 'hotkey' });
    expect(parseItemPath('categories.0.name')).toEqual({ section: 'categories', index: 0, field: 'name' });
    expect(parseItemPath('spanLabels')).toBeUndefined();
  });
});

describe('draft problems', () => {
  it('has none for the default scheme', () => {
    expect(findDraftProblems(base).count).toBe(0);
  });

  it('finds a hotkey used twice across sections, naming its owner', () => {
    const supports = idOf(base, 'relationTypes', 'supports');
    const draft = run({ type: 'update', section: 'relationTypes', id: supports, fields: { hotkey: 'p' } });
    const problems = findDraftProblems(draft);
    // Both ends of the clash are marked, each naming the other.
    expect(problems.count).toBe(2);
    expect(problems.byItem.get(supports)?.hotkey).toEqual({ code: 'hotkeyDuplicate', hotkey: 'p', ownerSection: 'spanLabels', ownerName: 'Premise' });
    expect(problems.byItem.get(premise)?.hotkey).toEqual({ code: 'hotkeyDuplicate', hotkey: 'p', ownerSection: 'relationTypes', ownerName: 'Supports' });
  });

  it('finds duplicate, malformed and missing keys, missing names, bad hotkeys', () => {
    let draft = run({ type: 'add', section: 'spanLabels' }, { type: 'add', section: 'spanLabels' }, { type: 'add', section: 'spanLabels' });
    const [a, b, c] = draft.items.spanLabels.slice(3).map((item) => item.id) as [string, string, string];
    draft = [
      { type: 'update', section: 'spanLabels', id: a, fields: { name: 'Claim', key: 'premise' } },
      { type: 'update', section: 'spanLabels', id: b, fields: { name: 'Other', key: 'Bad Key', hotkey: '!' } },
    ].reduce<SchemeDraft>((current, action) => schemeDraftReducer(current, action as DraftAction), draft);
    const problems = findDraftProblems(draft);
    expect(problems.byItem.get(a)).toEqual({ key: { code: 'keyDuplicate' } });
    expect(problems.byItem.get(premise)).toEqual({ key: { code: 'keyDuplicate' } });
    expect(problems.byItem.get(b)).toEqual({ key: { code: 'keyPattern' }, hotkey: { code: 'hotkeyPattern' } });
    expect(problems.byItem.get(c)).toEqual({ name: { code: 'nameRequired' }, key: { code: 'keyRequired' } });
    expect(problems.count).toBe(6);
  });

  it('needs a span label', () => {
    const draft = base.items.spanLabels.reduce<SchemeDraft>(
      (current, item) => schemeDraftReducer(current, { type: 'remove', section: 'spanLabels', id: item.id }),
      base,
    );
    expect(findDraftProblems(draft).bySection.spanLabels).toEqual({ code: 'needSpanLabel' });
  });
});
