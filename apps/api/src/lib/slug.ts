/** A name as the start of a download's file name: ASCII letters, digits and dashes, at most 60. */
export function slug(name: string, fallback: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .toLowerCase()
    .slice(0, 60);
  return ascii || fallback;
}
