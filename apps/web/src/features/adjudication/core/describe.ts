/**
 * Short readable forms of items for lists: a span's words (shortened in the middle of long ones,
 * never inside a character), a relation as "source → target".
 */
export function excerpt(text: string, max = 48): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(flat), (part) => part.segment);
  if (chars.length <= max) return flat;
  const head = Math.ceil((max - 1) * 0.6);
  const tail = max - 1 - head;
  return `${chars.slice(0, head).join('').trimEnd()}…${chars.slice(chars.length - tail).join('').trimStart()}`;
}

/** An excerpt in the interface language's quotation marks: “English”, «русский». */
export function quoted(text: string, max?: number, locale: string = 'en'): string {
  const [open, close] = locale === 'ru' ? ['«', '»'] : ['“', '”'];
  return `${open}${excerpt(text, max)}${close}`;
}
