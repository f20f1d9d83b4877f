/** The editor area's strings in Russian: exactly the keys of ./editor.en.ts. */
export const editorRu = {
  'editor.placeholder': 'Editor',
} as const;
