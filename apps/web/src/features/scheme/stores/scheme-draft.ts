import type { LabelScheme, RelationTarget } from '@warrant/domain';

/**
 * The lead's unsaved edits to a label scheme: UI state, seeded from the project's scheme (server
 * state stays in the query cache) and replaced by the saved scheme once the server accepts it.
 * Items carry a local id so React keys and edits survive renames; `isNew` items may still choose
 * their key and (relation types) their target, which are fixed once annotations can use them.
 */

export const SCHEME_SECTIONS = ['spanLabels', 'relationTypes', 'categories'] as const;
export type SchemeSection = (typeof SCHEME_SECTIONS)[number];

export interface DraftItem {
  id: string;
  isNew: boolean;
  /** For a new item: whether the lead typed a key (otherwise it follows the name). */
  keyEdited: boolean;
  key: string;
  name: string;
  /** Unused for categories. */
  color: string;
  hotkey: string;
  description: string;
  /** Relation types only. */
  target: RelationTarget;
  /** Relation types only: the span labels it may start from / point at; null is any. */
  sources: string[] | null;
  targets: string[] | null;
}

export type DraftFields = Pick<DraftItem, 'key' | 'name' | 'color' | 'hotkey' | 'description' | 'target' | 'sources' | 'targets'>;

export interface SchemeDraft {
  /** The scheme the edits started from, and its version: to tell whether anything changed. */
  base: LabelScheme;
  baseVersion: number;
  items: Record<SchemeSection, DraftItem[]>;
  /** Saved items the lead deleted, so a deletion the server refuses can be undone. */
  removed: Record<SchemeSection, DraftItem[]>;
  nextId: number;
}

export type DraftAction =
  | { type: 'reset'; scheme: LabelScheme; version: number }
  | { type: 'update'; section: SchemeSection; id: string; fields: Partial<DraftFields> }
  | { type: 'add'; section: SchemeSection }
  | { type: 'remove'; section: SchemeSection; id: string }
  | { type: 'restore'; section: SchemeSection; key: string };

// Distinct, mid-dark colours that take white text; a new item gets the first one not yet used.
const PALETTE = ['#2f6fb0', '#a8324a', '#2e7d32', '#8a5a00', '#6a1b9a', '#00796b', '#c2185b', '#5d4037', '#455a64', '#ef6c00'];
const FALLBACK_COLOR = '#607d8b';

function fromScheme(scheme: LabelScheme): Pick<SchemeDraft, 'items' | 'nextId'> {
  let nextId = 0;
  const wrap = (item: {
    key: string;
    name: string;
    hotkey: string;
    description: string;
    color?: string;
    target?: RelationTarget;
    sources?: string[];
    targets?: string[];
  }): DraftItem => ({
    id: `item-${(nextId += 1)}`,
    isNew: false,
    keyEdited: true,
    key: item.key,
    name: item.name,
    color: item.color ?? '',
    hotkey: item.hotkey,
    description: item.description,
    target: item.target ?? 'span',
    sources: item.sources?.length ? [...item.sources] : null,
    targets: item.targets?.length ? [...item.targets] : null,
  });
  return {
    items: {
      spanLabels: scheme.spanLabels.map(wrap),
      relationTypes: scheme.relationTypes.map(wrap),
      categories: scheme.categories.map(wrap),
    },
    nextId,
  };
}

export function createDraft(scheme: LabelScheme, version: number): SchemeDraft {
  return { base: scheme, baseVersion: version, removed: { spanLabels: [], relationTypes: [], categories: [] }, ...fromScheme(scheme) };
}

/** A key from a name, for a new item whose key the lead has not typed: "Main claim" -> "main-claim". */
export function keyFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return slug.slice(0, 32).replace(/-+$/, '');
}

function usedColors(draft: SchemeDraft): Set<string> {
  return new Set([...draft.items.spanLabels, ...draft.items.relationTypes].map((item) => item.color.toLowerCase()));
}

function withItems(draft: SchemeDraft, section: SchemeSection, items: DraftItem[]): SchemeDraft {
  return { ...draft, items: { ...draft.items, [section]: items } };
}

export function schemeDraftReducer(draft: SchemeDraft, action: DraftAction): SchemeDraft {
  switch (action.type) {
    case 'reset':
      return createDraft(action.scheme, action.version);
    case 'update': {
      const items = draft.items[action.section].map((item) => {
        if (item.id !== action.id) return item;
        // Keys and targets of saved items are what annotations refer to: never changed here.
        const fields = item.isNew ? { ...action.fields } : { ...action.fields, key: item.key, target: item.target };
        const next = { ...item, ...fields };
        if (item.isNew && action.fields.key !== undefined) next.keyEdited = action.fields.key !== '';
        if (item.isNew && !next.keyEdited && action.fields.name !== undefined) next.key = keyFromName(action.fields.name);
        return next;
      });
      return withItems(draft, action.section, items);
    }
    case 'add': {
      const used = usedColors(draft);
      const item: DraftItem = {
        id: `item-${draft.nextId + 1}`,
        isNew: true,
        keyEdited: false,
        key: '',
        name: '',
        color: action.section === 'categories' ? '' : (PALETTE.find((color) => !used.has(color)) ?? FALLBACK_COLOR),
        hotkey: '',
        description: '',
        target: 'span',
        sources: null,
        targets: null,
      };
      return { ...withItems(draft, action.section, [...draft.items[action.section], item]), nextId: draft.nextId + 1 };
    }
    case 'remove': {
      const item = draft.items[action.section].find((candidate) => candidate.id === action.id);
      if (!item) return draft;
      const next = withItems(
        draft,
        action.section,
        draft.items[action.section].filter((candidate) => candidate.id !== action.id),
      );
      if (item.isNew) return next;
      return { ...next, removed: { ...draft.removed, [action.section]: [...draft.removed[action.section], item] } };
    }
    case 'restore': {
      const item = draft.removed[action.section].find((candidate) => candidate.key === action.key);
      if (!item) return draft;
      // Back where it was among the saved items.
      const order = draft.base[action.section].map((saved) => saved.key);
      const position = order.indexOf(item.key);
      const items = [...draft.items[action.section]];
      const before = items.findIndex((candidate) => candidate.isNew || order.indexOf(candidate.key) > position);
      items.splice(before === -1 ? items.length : before, 0, item);
      return {
        ...withItems(draft, action.section, items),
        removed: { ...draft.removed, [action.section]: draft.removed[action.section].filter((candidate) => candidate !== item) },
      };
    }
  }
}

/** The scheme the draft describes, as the API takes it (names trimmed). */
export function draftToScheme(draft: SchemeDraft): LabelScheme {
  const common = (item: DraftItem) => ({ key: item.key, name: item.name.trim(), hotkey: item.hotkey, description: item.description });
  // Label lists keep only labels still in the scheme (a deleted label leaves them by itself).
  const labels = new Set(draft.items.spanLabels.map((item) => item.key));
  const list = (keys: string[] | null) => {
    const kept = keys?.filter((key) => labels.has(key));
    return kept && kept.length > 0 ? kept : undefined;
  };
  return {
    spanLabels: draft.items.spanLabels.map((item) => ({ ...common(item), color: item.color })),
    relationTypes: draft.items.relationTypes.map((item) => {
      const sources = list(item.sources);
      const targets = item.target === 'span' ? list(item.targets) : undefined;
      return { ...common(item), color: item.color, target: item.target, ...(sources ? { sources } : {}), ...(targets ? { targets } : {}) };
    }),
    categories: draft.items.categories.map(common),
  };
}

/** Whether saving would change anything (same fields, same order). */
export function isDraftDirty(draft: SchemeDraft): boolean {
  return JSON.stringify(draftToScheme(draft)) !== JSON.stringify(draftToScheme(createDraft(draft.base, draft.baseVersion)));
}

/** The draft item at a path such as `spanLabels[2].hotkey`, with its section and field. */
export function parseItemPath(path: string): { section: SchemeSection; index: number; field: string | undefined } | undefined {
  const match = /^(spanLabels|relationTypes|categories)(?:\[(\d+)\]|\.(\d+))(?:\.(\w+))?$/.exec(path);
  if (!match) return undefined;
  return { section: match[1] as SchemeSection, index: Number(match[2] ?? match[3]), field: match[4] };
}
