/** The sync area's strings in Russian: exactly the keys of ./sync.en.ts. */
export const syncRu = {
  'sync.placeholder': 'Sync',
} as const;
