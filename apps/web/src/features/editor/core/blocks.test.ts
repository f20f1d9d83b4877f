import { describe, expect, it } from 'vitest';
import { blockAt, blocksInRange, splitIntoBlocks } from './blocks.ts';

describe('splitIntoBlocks', () => {
  it('makes one block per line, keeping line breaks out of the visible text', () => {
    const text = 'First line.\r\nSecond.\n\nFourth.';
    const blocks = splitIntoBlocks(text);
    expect(blocks.map((b) => text.slice(b.start, b.textEnd))).toEqual(['First line.', 'Second.', '', 'Fourth.']);
    expect(blocks.map((b) => text.slice(b.textEnd, b.end))).toEqual(['\r\n', '\n', '\n', '']);
    // Blocks tile the whole text.
    for (let i = 1; i < blocks.length; i += 1) expect(blocks[i]?.start).toBe(blocks[i - 1]?.end);
    expect(blocks.at(-1)?.end).toBe(text.length);
  });

  it('gives a final empty line its own block, and an empty text one block', () => {
    expect(splitIntoBlocks('a\n').map((b) => [b.start, b.textEnd, b.end])).toEqual([
      [0, 1, 2],
      [2, 2, 2],
    ]);
    expect(splitIntoBlocks('')).toEqual([{ index: 0, start: 0, textEnd: 0, end: 0 }]);
  });

  it('cuts long lines after a space near the target size, never inside a character', () => {
    const word = 'Слово😀 ';
    const text = word.repeat(2000);
    const blocks = splitIntoBlocks(text, 500);
    expect(blocks.length).toBeGreaterThan(10);
    for (const b of blocks) {
      expect(b.textEnd - b.start).toBeLessThanOrEqual(750);
      if (b.start > 0) expect(text[b.start - 1]).toBe(' ');
    }
    expect(blocks.map((b) => text.slice(b.start, b.end)).join('')).toBe(text);
  });

  it('finds the block of an offset and the blocks of a range', () => {
    const text = 'aa\nbb\ncc';
    const blocks = splitIntoBlocks(text);
    expect(blockAt(blocks, 0)).toBe(0);
    expect(blockAt(blocks, 3)).toBe(1);
    expect(blockAt(blocks, text.length)).toBe(2);
    expect(blocksInRange(blocks, 1, 7)).toEqual([0, 1, 2]);
    expect(blocksInRange(blocks, 3, 5)).toEqual([1]);
  });
});
