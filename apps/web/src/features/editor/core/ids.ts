/** Client-chosen ids for spans and relations: short, random, within the API's id pattern. */
export function newClientId(prefix: 's' | 'r'): string {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const byte of bytes) out += (byte % 36).toString(36);
  return `${prefix}${out}`;
}
