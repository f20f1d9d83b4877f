import type { LabelScheme } from '@warrant/domain';
import { textColorOn } from '../../../lib/text-color.ts';

export interface LabelLook {
  name: string;
  color: string;
  /** Text colour that reads on `color`. */
  ink: string;
  /** One to three letters drawn where a span begins. */
  tag: string;
}

const UNKNOWN_COLOR = '#8a8f96';

/** The shortest name prefixes (1 to 3 letters) that tell the labels apart. */
export function distinctTags(names: readonly string[]): string[] {
  for (let length = 1; length <= 3; length += 1) {
    const tags = names.map((name) => {
      const letters = Array.from(name.trim());
      return (letters[0]?.toUpperCase() ?? '?') + letters.slice(1, length).join('').toLowerCase();
    });
    if (new Set(tags).size === tags.length) return tags;
  }
  return names.map((_, i) => String(i + 1));
}

/** How each span label and relation type looks, by key; keys no longer in the scheme look grey. */
export function labelLooks(scheme: LabelScheme): { spans: Map<string, LabelLook>; relations: Map<string, LabelLook> } {
  const build = (items: readonly { key: string; name: string; color: string }[]) => {
    const tags = distinctTags(items.map((item) => item.name));
    return new Map(items.map((item, i) => [item.key, { name: item.name, color: item.color, ink: textColorOn(item.color), tag: tags[i] ?? '?' }]));
  };
  return { spans: build(scheme.spanLabels), relations: build(scheme.relationTypes) };
}

export function lookOf(looks: Map<string, LabelLook>, key: string): LabelLook {
  return looks.get(key) ?? { name: key, color: UNKNOWN_COLOR, ink: textColorOn(UNKNOWN_COLOR), tag: '?' };
}
