/**
 * Plain text: passages separated by one or more blank lines. A passage keeps its lines and
 * the line breaks between them exactly as written (CRLF stays CRLF, spaces are not trimmed);
 * only the break after its last line belongs to the separator.
 */
import type { LineReader, PassageSink } from './parse-passages.ts';

// Empty or only spaces and tabs. The CR of a CRLF is already gone; the optional \r is for a
// last line with no LF, whose CR is content.
const SEPARATOR_LINE = /^[ \t]*\r?$/;
const NON_BLANK = /\S/;

export function createTxtReader(sink: PassageSink): LineReader {
  let text: string | null = null;
  let startLine = 0;
  let pendingBreak = '';

  const close = (): void => {
    if (text === null) return;
    // A passage of only NBSP or other Unicode spaces is not a separator, yet has nothing to annotate.
    if (NON_BLANK.test(text)) {
      sink.accept({ line: startLine, externalId: null, text, meta: null });
    } else {
      sink.problem({ line: startLine, message: 'the passage is empty or whitespace-only' });
    }
    text = null;
  };

  return {
    line(content, terminator, lineNo) {
      if (SEPARATOR_LINE.test(content)) {
        close();
        return;
      }
      if (text === null) {
        text = content;
        startLine = lineNo;
      } else {
        text += pendingBreak + content;
      }
      pendingBreak = terminator;
    },
    end: close,
  };
}
