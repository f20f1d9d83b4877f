/**
 * User-given text (project names, descriptions, label definitions) placed in a Markdown file.
 * The studio shows that text as plain text, so the card must too: no HTML gets through (`<` is
 * written `&lt;`, and an `&` that would start an entity `&amp;`), table cells stay in their row
 * and column, and no line can open a code block or a heading that swallows the rest of the card.
 * Other Markdown (emphasis, links) is left as written: it cannot escape the place it is put in.
 */

const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g;

/** Escapes what would be read as HTML: `<`, and `&` when it starts an entity or character reference. */
function escapeHtml(text: string): string {
  return text.replace(/&(?=#?[0-9A-Za-z]+;)/g, '&amp;').replace(/</g, '&lt;');
}

/** One line of running text: line breaks become spaces. */
export function markdownInline(text: string): string {
  return escapeHtml(text.replace(LINE_BREAK, ' '));
}

/** A GFM table cell: one line, with `|` escaped so it cannot end the cell. */
export function markdownCell(text: string): string {
  return markdownInline(text).replace(/\|/g, '\\|');
}

/** The text of an ATX heading: one line, and a trailing `#` run kept as text (it would be dropped as a closing sequence). */
export function markdownHeading(text: string): string {
  return markdownInline(text).replace(/(^|[ \t])(#+[ \t]*)$/, '$1\\$2');
}

/**
 * Plain text of several lines (a description, a licence): line breaks kept (paragraphs stay
 * paragraphs), and a line that would open a code fence, a heading, a block quote, or be a
 * thematic break or setext underline gets its first mark escaped.
 */
export function markdownPlainBlock(text: string): string {
  return text
    .trim()
    .split(LINE_BREAK)
    .map((line) => {
      const escaped = escapeHtml(line);
      if (/^ {0,3}(#|>|```|~~~)/.test(escaped) || /^ {0,3}([-=*_+])[ \t]*(\1[ \t]*)*$/.test(escaped)) {
        return escaped.replace(/^( {0,3})/, '$1\\');
      }
      return escaped;
    })
    .join('\n');
}
