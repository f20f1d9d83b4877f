import { KEY_PATTERN, findSchemeProblems } from '@warrant/domain';
import { draftToScheme, parseItemPath, type DraftItem, type SchemeDraft, type SchemeSection } from './scheme-draft.ts';

const HOTKEY_PATTERN = /^[a-z0-9]?$/;
const SECTIONS = ['spanLabels', 'relationTypes', 'categories'] as const satisfies readonly SchemeSection[];
export const NAME_MAX = 60;

/** A problem with one field of the draft, as a code the screen puts into words in the user's language. */
export type DraftProblem =
  | { code: 'nameRequired' }
  | { code: 'nameTooLong' }
  | { code: 'keyRequired' }
  | { code: 'keyPattern' }
  | { code: 'keyDuplicate' }
  | { code: 'hotkeyPattern' }
  | { code: 'hotkeyDuplicate'; hotkey: string; ownerSection: SchemeSection; ownerName: string }
  | { code: 'needSpanLabel' };

export type DraftField = 'name' | 'key' | 'hotkey';

export interface DraftProblems {
  /** By item id, then field. */
  byItem: Map<string, Partial<Record<DraftField, DraftProblem>>>;
  /** Problems of a whole section (no span label at all). */
  bySection: Partial<Record<SchemeSection, DraftProblem>>;
  count: number;
}

function itemAt(draft: SchemeDraft, section: SchemeSection, index: number): DraftItem | undefined {
  return draft.items[section][index];
}

/**
 * Everything that would make the server refuse the draft: the shape rules of the contract (names,
 * key pattern, one-character hotkeys) and, through findSchemeProblems, the rules across the whole
 * scheme (keys unique in a section, hotkeys unique everywhere). Live, on every edit.
 */
export function findDraftProblems(draft: SchemeDraft): DraftProblems {
  const byItem = new Map<string, Partial<Record<DraftField, DraftProblem>>>();
  const bySection: DraftProblems['bySection'] = {};
  let count = 0;
  const add = (item: DraftItem, field: DraftField, problem: DraftProblem) => {
    const fields = byItem.get(item.id) ?? {};
    if (fields[field]) return;
    fields[field] = problem;
    byItem.set(item.id, fields);
    count += 1;
  };

  for (const section of SECTIONS) {
    for (const item of draft.items[section]) {
      const name = item.name.trim();
      if (name === '') add(item, 'name', { code: 'nameRequired' });
      else if (name.length > NAME_MAX) add(item, 'name', { code: 'nameTooLong' });
      if (item.key === '') add(item, 'key', { code: 'keyRequired' });
      else if (!KEY_PATTERN.test(item.key)) add(item, 'key', { code: 'keyPattern' });
      if (!HOTKEY_PATTERN.test(item.hotkey)) add(item, 'hotkey', { code: 'hotkeyPattern' });
    }
  }

  const scheme = draftToScheme(draft);
  for (const problem of findSchemeProblems(scheme)) {
    if (problem.path === 'spanLabels') {
      bySection.spanLabels = { code: 'needSpanLabel' };
      count += 1;
      continue;
    }
    const place = parseItemPath(problem.path);
    const item = place && itemAt(draft, place.section, place.index);
    if (!place || !item) continue;
    // The domain reports the later of two clashing items; the lead may just have edited the
    // earlier one, so every item in the clash is marked, each naming another.
    if (place.field === 'key' && KEY_PATTERN.test(item.key)) {
      for (const holder of draft.items[place.section].filter((candidate) => candidate.key === item.key)) {
        add(holder, 'key', { code: 'keyDuplicate' });
      }
    }
    if (place.field === 'hotkey') {
      const hotkey = item.hotkey.toLowerCase();
      const holders = SECTIONS.flatMap((section) =>
        draft.items[section].filter((candidate) => candidate.hotkey.toLowerCase() === hotkey).map((holder) => ({ section, item: holder })),
      );
      for (const holder of holders) {
        const other = holders.find((candidate) => candidate.item !== holder.item);
        if (!other) continue;
        add(holder.item, 'hotkey', {
          code: 'hotkeyDuplicate',
          hotkey,
          ownerSection: other.section,
          ownerName: other.item.name.trim() || other.item.key,
        });
      }
    }
  }
  return { byItem, bySection, count };
}
