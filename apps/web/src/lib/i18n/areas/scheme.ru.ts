/** The scheme area's strings in Russian: exactly the keys of ./scheme.en.ts. */
export const schemeRu = {
  'scheme.placeholder': 'Scheme',
} as const;
