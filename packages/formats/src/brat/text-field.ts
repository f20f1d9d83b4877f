/**
 * The text field at the end of a T line holds the span's text. brat joins the fragments of a
 * discontinuous span with one space (brat's DISCONT_SEP). A .ann line cannot hold a line break,
 * so a span that crosses one (an LF, or both characters of a CRLF) is written with a space for
 * each CR and LF: the offsets still say exactly which characters the span covers, and the field
 * keeps its length in code points.
 */
export function toTextField(text: string): string {
  return text.replace(/[\r\n]/g, ' ');
}

/** The text of a T line's fragments (UTF-16 ranges of `text`), joined as brat joins them. */
export function joinFragments(text: string, fragments: readonly (readonly [number, number])[]): string {
  return fragments.map(([start, end]) => text.slice(start, end)).join(' ');
}
