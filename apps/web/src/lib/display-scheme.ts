import { DEFAULT_SCHEME, type LabelScheme } from '@warrant/domain';
import type { MessageKey } from './i18n/en.ts';
import type { Translate } from './i18n/translate.ts';

const DEFAULT_NAMES = new Map<string, string>(
  [...DEFAULT_SCHEME.spanLabels, ...DEFAULT_SCHEME.relationTypes, ...DEFAULT_SCHEME.categories].map((item) => [item.key, item.name]),
);

/**
 * The scheme as shown: names the lead never changed from the default scheme's are the
 * interface's own words, so they appear in the annotator's language; names a lead wrote are
 * shown as written. Validation always uses the stored scheme.
 */
export function displayScheme(scheme: LabelScheme, t: Translate): LabelScheme {
  const name = <T extends { key: string; name: string }>(item: T): T =>
    DEFAULT_NAMES.get(item.key) === item.name ? { ...item, name: t(`editor.default.${item.key}` as MessageKey) } : item;
  return {
    spanLabels: scheme.spanLabels.map(name),
    relationTypes: scheme.relationTypes.map(name),
    categories: scheme.categories.map(name),
  };
}
