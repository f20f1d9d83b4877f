import type { PluralForms } from '../plural.ts';

/** The editor area's strings (English, the source). Keys start with 'editor.'. */
export const editorEn = {
  'editor.placeholder': 'Editor',
} as const satisfies Record<string, string | PluralForms>;
