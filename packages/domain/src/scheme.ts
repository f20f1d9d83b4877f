/**
 * Label schemes: which span labels, relation types and passage categories a project uses.
 * Keys are stable identifiers stored with annotations; names, colours, hotkeys and
 * descriptions can change freely.
 */

export interface SpanLabel {
  key: string;
  name: string;
  color: string;
  hotkey: string;
  description: string;
}

export type RelationTarget = 'span' | 'relation';

export interface RelationType {
  key: string;
  name: string;
  color: string;
  hotkey: string;
  description: string;
  /** What the relation points at: another span, or (undercuts) another relation. */
  target: RelationTarget;
  /**
   * Span labels the relation may start from; absent or empty: any. Breaking this is a structural
   * warning while annotating, never a refusal.
   */
  sources?: string[];
  /** Span labels a span-target relation may point at; absent or empty: any. */
  targets?: string[];
}

export interface PassageCategory {
  key: string;
  name: string;
  hotkey: string;
  description: string;
}

export interface LabelScheme {
  spanLabels: SpanLabel[];
  relationTypes: RelationType[];
  categories: PassageCategory[];
}

export const KEY_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;
export const COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;

export const DEFAULT_SCHEME: LabelScheme = {
  spanLabels: [
    {
      key: 'premise',
      name: 'Premise',
      color: '#2f6fb0',
      hotkey: 'p',
      description: 'A statement offered as a reason or evidence for another statement.',
    },
    {
      key: 'inference',
      name: 'Inference',
      color: '#8a5a00',
      hotkey: 'i',
      description: 'An intermediate step drawn from premises and itself used to reach a conclusion.',
    },
    {
      key: 'conclusion',
      name: 'Conclusion',
      color: '#a8324a',
      hotkey: 'c',
      description: 'The claim the passage argues for.',
    },
  ],
  relationTypes: [
    {
      key: 'supports',
      name: 'Supports',
      color: '#2e7d32',
      hotkey: 's',
      description: 'The source span gives a reason to accept the target span.',
      target: 'span',
      // The conclusion is where an argument ends: it supports or attacks nothing.
      sources: ['premise', 'inference'],
    },
    {
      key: 'attacks',
      name: 'Attacks',
      color: '#c62828',
      hotkey: 'a',
      description: 'The source span gives a reason to reject the target span (a rebuttal).',
      target: 'span',
      sources: ['premise', 'inference'],
    },
    {
      key: 'undercuts',
      name: 'Undercuts',
      color: '#6a1b9a',
      hotkey: 'u',
      description: 'The source span denies that a relation holds, not its target (as in the arg-microtexts scheme).',
      target: 'relation',
      sources: ['premise', 'inference'],
    },
  ],
  categories: [
    {
      key: 'reasoning',
      name: 'Reasoning',
      hotkey: 'r',
      description: 'The passage argues: it draws conclusions from reasons.',
    },
    {
      key: 'knowledge',
      name: 'Knowledge',
      hotkey: 'k',
      description: 'The passage states facts or explains without arguing for a claim.',
    },
    {
      key: 'noise',
      name: 'Noise',
      hotkey: 'n',
      description: 'Boilerplate, fragments, or text with no usable content.',
    },
  ],
};

export interface SchemeProblem {
  path: string;
  message: string;
}

/** Checks what a zod shape cannot: unique keys and hotkeys across the whole scheme. */
export function findSchemeProblems(scheme: LabelScheme): SchemeProblem[] {
  const problems: SchemeProblem[] = [];
  const groups = [
    ['spanLabels', scheme.spanLabels],
    ['relationTypes', scheme.relationTypes],
    ['categories', scheme.categories],
  ] as const;
  const hotkeys = new Map<string, string>();
  for (const [group, items] of groups) {
    const keys = new Set<string>();
    items.forEach((item, index) => {
      const path = `${group}[${index}]`;
      if (!KEY_PATTERN.test(item.key)) {
        problems.push({ path: `${path}.key`, message: `key '${item.key}' must be lower-case letters, digits, '-' or '_', starting with a letter` });
      }
      if (keys.has(item.key)) {
        problems.push({ path: `${path}.key`, message: `key '${item.key}' is used twice in ${group}` });
      }
      keys.add(item.key);
      const hotkey = item.hotkey.toLowerCase();
      if (hotkey !== '') {
        const owner = hotkeys.get(hotkey);
        if (owner !== undefined) {
          problems.push({ path: `${path}.hotkey`, message: `hotkey '${item.hotkey}' is already used by ${owner}` });
        } else {
          hotkeys.set(hotkey, `${group} '${item.key}'`);
        }
      }
    });
  }
  const labelKeys = new Set(scheme.spanLabels.map((label) => label.key));
  scheme.relationTypes.forEach((type, index) => {
    for (const field of ['sources', 'targets'] as const) {
      for (const key of type[field] ?? []) {
        if (!labelKeys.has(key)) {
          problems.push({ path: `relationTypes[${index}].${field}`, message: `'${key}' is not a span label of this scheme` });
        }
      }
    }
    if (type.target === 'relation' && (type.targets?.length ?? 0) > 0) {
      problems.push({ path: `relationTypes[${index}].targets`, message: `'${type.key}' points at relations: it cannot list target labels` });
    }
  });
  if (scheme.spanLabels.length === 0) {
    problems.push({ path: 'spanLabels', message: 'a scheme needs at least one span label' });
  }
  return problems;
}

export interface SchemeRemovals {
  spanLabels: string[];
  relationTypes: string[];
  categories: string[];
}

/** Keys present in `before` and missing from `after`: what an update would delete. */
export function schemeRemovals(before: LabelScheme, after: LabelScheme): SchemeRemovals {
  const missing = <T extends { key: string }>(a: T[], b: T[]) => {
    const kept = new Set(b.map((item) => item.key));
    return a.map((item) => item.key).filter((key) => !kept.has(key));
  };
  return {
    spanLabels: missing(before.spanLabels, after.spanLabels),
    relationTypes: missing(before.relationTypes, after.relationTypes),
    categories: missing(before.categories, after.categories),
  };
}

/** Relation types whose target kind changed: existing relations of that type would become invalid. */
export function retargetedRelationTypes(before: LabelScheme, after: LabelScheme): string[] {
  const old = new Map(before.relationTypes.map((type) => [type.key, type.target]));
  return after.relationTypes
    .filter((type) => old.has(type.key) && old.get(type.key) !== type.target)
    .map((type) => type.key);
}
