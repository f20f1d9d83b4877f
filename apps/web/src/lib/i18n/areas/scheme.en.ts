import type { PluralForms } from '../plural.ts';

/** The scheme area's strings (English, the source). Keys start with 'scheme.'. */
export const schemeEn = {
  'scheme.placeholder': 'Scheme',
} as const satisfies Record<string, string | PluralForms>;
