import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes.ts';

describe('formatBytes', () => {
  it('writes small sizes in bytes, as words', () => {
    expect(formatBytes(0, 'en')).toBe('0 bytes');
    expect(formatBytes(812, 'en')).toBe('812 bytes');
    expect(formatBytes(812, 'ru')).toBe('812 байт');
  });

  it('steps by 1024 with one decimal, in the locale’s own way', () => {
    expect(formatBytes(1024, 'en')).toBe('1 kB');
    expect(formatBytes(3.5 * 1024 * 1024, 'en')).toBe('3.5 MB');
    expect(formatBytes(3.5 * 1024 * 1024, 'ru')).toBe('3,5 МБ');
    expect(formatBytes(2 * 1024 ** 3, 'en')).toBe('2 GB');
  });
});
