import { describe, expect, it } from 'vitest';
import { markdownCell, markdownHeading, markdownInline, markdownPlainBlock } from '../src/release/markdown.ts';

describe('markdownInline', () => {
  it('writes < as &lt; and an & that would start an entity as &amp;, on one line', () => {
    expect(markdownInline('<script>alert(1)</script>')).toBe('&lt;script>alert(1)&lt;/script>');
    expect(markdownInline('AT&T & co; &lt; &#60; &#x3c; &amp;')).toBe('AT&T & co; &amp;lt; &amp;#60; &amp;#x3c; &amp;amp;');
    expect(markdownInline('one\r\ntwo\rthree\nfour\u2028five\u2029six')).toBe('one two three four five six');
    expect(markdownInline('Дебаты 😀 e\u0301')).toBe('Дебаты 😀 e\u0301');
  });
});

describe('markdownCell', () => {
  it('escapes pipes so a cell cannot end early', () => {
    expect(markdownCell('a | b || c')).toBe('a \\| b \\|\\| c');
    expect(markdownCell('x\n| y | z |')).toBe('x \\| y \\| z \\|');
    expect(markdownCell('<b>|</b>')).toBe('&lt;b>\\|&lt;/b>');
  });
});

describe('markdownHeading', () => {
  it('keeps a trailing # as text, and C# as it is', () => {
    expect(markdownHeading('Debates #')).toBe('Debates \\#');
    expect(markdownHeading('Debates ## ')).toBe('Debates \\## ');
    expect(markdownHeading('#')).toBe('\\#');
    expect(markdownHeading('C#')).toBe('C#');
    expect(markdownHeading('a\nb <i>')).toBe('a b &lt;i>');
  });
});

describe('markdownPlainBlock', () => {
  it('keeps lines and paragraphs, and neutralises lines that would change the structure', () => {
    const text = ['  Intro <b>', '```js', '~~~', '# Big', '   > quoted', '---', '', '===', '* * *', '- item', 'a # b', '    code-like'].join('\r\n');
    expect(markdownPlainBlock(text)).toBe(
      ['Intro &lt;b>', '\\```js', '\\~~~', '\\# Big', '   \\> quoted', '\\---', '', '\\===', '\\* * *', '- item', 'a # b', '    code-like'].join('\n'),
    );
  });
});
