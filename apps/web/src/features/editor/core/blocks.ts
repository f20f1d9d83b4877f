/**
 * The passage cut into blocks, the unit of rendering: one block per line, and long lines cut at
 * a space near `target` UTF-16 units. Only blocks near the viewport are rendered. A block's text
 * excludes its line break (`textEnd`), which the block boundary stands for on screen.
 */
export interface Block {
  index: number;
  /** First offset of the block (UTF-16, inclusive). */
  start: number;
  /** End of the block's visible text, before its line break. */
  textEnd: number;
  /** End including the line break (`\n`, `\r\n` or `\r`), which is where the next block starts. */
  end: number;
}

export const DEFAULT_BLOCK_TARGET = 1000;

function isBreakable(code: number): boolean {
  // A space or tab: cutting after it never splits a grapheme or a surrogate pair.
  return code === 0x20 || code === 0x09;
}

export function splitIntoBlocks(text: string, target = DEFAULT_BLOCK_TARGET): Block[] {
  const blocks: Block[] = [];
  const push = (start: number, textEnd: number, end: number) => {
    blocks.push({ index: blocks.length, start, textEnd, end });
  };
  let lineStart = 0;
  const length = text.length;
  while (lineStart <= length) {
    let lineEnd = lineStart;
    while (lineEnd < length) {
      const c = text.charCodeAt(lineEnd);
      if (c === 0x0a || c === 0x0d) break;
      lineEnd += 1;
    }
    let breakEnd = lineEnd;
    if (lineEnd < length) {
      breakEnd = text.charCodeAt(lineEnd) === 0x0d && text.charCodeAt(lineEnd + 1) === 0x0a ? lineEnd + 2 : lineEnd + 1;
    }
    // Cut a long line at spaces near the target size.
    let pieceStart = lineStart;
    while (lineEnd - pieceStart > target * 1.5) {
      let cut = -1;
      for (let i = pieceStart + target; i < Math.min(lineEnd, pieceStart + target * 1.5); i += 1) {
        if (isBreakable(text.charCodeAt(i))) {
          cut = i + 1;
          break;
        }
      }
      if (cut === -1) {
        for (let i = pieceStart + target; i > pieceStart + target / 2; i -= 1) {
          if (isBreakable(text.charCodeAt(i))) {
            cut = i + 1;
            break;
          }
        }
      }
      if (cut === -1) break; // No space at all: keep the long piece whole.
      push(pieceStart, cut, cut);
      pieceStart = cut;
    }
    push(pieceStart, lineEnd, breakEnd);
    if (lineEnd >= length) break;
    lineStart = breakEnd;
  }
  return blocks;
}

/** The index of the block containing `offset` (the last block for `text.length`). */
export function blockAt(blocks: readonly Block[], offset: number): number {
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((blocks[mid]?.start ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Indices of the blocks that [start, end) touches. */
export function blocksInRange(blocks: readonly Block[], start: number, end: number): number[] {
  const first = blockAt(blocks, start);
  const last = blockAt(blocks, Math.max(start, end - 1));
  const out: number[] = [];
  for (let i = first; i <= last; i += 1) out.push(i);
  return out;
}
