import type { PluralForms } from '../plural.ts';

/** The sync area's strings (English, the source). Keys start with 'sync.'. */
export const syncEn = {
  'sync.placeholder': 'Sync',
} as const satisfies Record<string, string | PluralForms>;
