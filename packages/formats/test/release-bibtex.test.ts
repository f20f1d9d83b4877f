import { describe, expect, it } from 'vitest';
import { bibtexEntry, bibtexSlug, bibtexValue } from '../src/release/bibtex.ts';

describe('bibtexValue', () => {
  it('escapes TeX specials so braces stay balanced, on one line', () => {
    expect(bibtexValue('50% of $x & y_1 #2 ~ ^ \\ {a} }{')).toBe('50\\% of \\$x \\& y\\_1 \\#2 \\textasciitilde{} \\textasciicircum{} \\textbackslash{} \\{a\\} \\}\\{');
    expect(bibtexValue('  Иванов,\r\n\tSmith \u2028 😀  ')).toBe('Иванов, Smith 😀');
  });
});

describe('bibtexSlug', () => {
  it('keeps ASCII letters and digits, drops accents, joins with _', () => {
    expect(bibtexSlug('Café Debates 2025!')).toBe('cafe_debates_2025');
    expect(bibtexSlug('Дебаты 😀')).toBe('');
    expect(bibtexSlug('x'.repeat(50))).toBe('x'.repeat(40));
    expect(bibtexSlug(`${'a'.repeat(39)} b`)).toBe('a'.repeat(39));
  });
});

describe('bibtexEntry', () => {
  it('builds a @misc entry from project, year, version, name and citation text', () => {
    expect(bibtexEntry({ project: 'Café {Debates}', version: 2, name: 'spring_2025', year: 2025, citation: 'Smith & Иванов (2025)' })).toBe(
      [
        '@misc{cafe_debates_2025_v2,',
        '  title = {{Café \\{Debates\\}: dataset release 2 (spring\\_2025)}},',
        '  year = {2025},',
        '  version = {2},',
        '  howpublished = {Warrant dataset release},',
        '  note = {Smith \\& Иванов (2025)},',
        '}',
      ].join('\n'),
    );
  });

  it('falls back to a warrant key, and leaves out an empty name, a name equal to the version and a missing citation', () => {
    const entry = (name: string) => bibtexEntry({ project: 'Дебаты', version: 3, name, year: 2024, citation: null });
    const expected = ['@misc{warrant_2024_v3,', '  title = {{Дебаты: dataset release 3}},', '  year = {2024},', '  version = {3},', '  howpublished = {Warrant dataset release},', '}'].join('\n');
    expect(entry('')).toBe(expected);
    expect(entry('3')).toBe(expected);
  });
});
