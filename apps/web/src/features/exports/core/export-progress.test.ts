import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../../lib/format-bytes.ts';
import { translator } from '../../../lib/i18n/translate.ts';
import { PENDING_LIMIT_MS, barValues, isFinished, newProgressToken, pendingOrUnavailable } from './export-progress.ts';

describe('newProgressToken', () => {
  it('is a UUID without its dashes, which the server’s token pattern accepts', () => {
    expect(newProgressToken(() => '3f2a9c1e-0b7d-4e21-9a55-5c1d2e3f4a5b')).toBe('3f2a9c1e0b7d4e219a555c1d2e3f4a5b');
    expect(newProgressToken()).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(newProgressToken()).not.toBe(newProgressToken());
  });

  it('refuses a token the server would not take', () => {
    expect(() => newProgressToken(() => 'a b')).toThrow();
  });
});

describe('following a download', () => {
  it('waits for a download that has not started, then gives up on it', () => {
    expect(pendingOrUnavailable(1000, 1000 + PENDING_LIMIT_MS)).toEqual({ state: 'pending', passages: 0, total: 0, bytes: 0 });
    expect(pendingOrUnavailable(1000, 1001 + PENDING_LIMIT_MS)).toEqual({ state: 'unavailable' });
  });

  it('stops asking once done, failed or unavailable', () => {
    expect(isFinished(undefined)).toBe(false);
    expect(isFinished({ state: 'pending', passages: 0, total: 0, bytes: 0 })).toBe(false);
    expect(isFinished({ state: 'running', passages: 5, total: 10, bytes: 100 })).toBe(false);
    expect(isFinished({ state: 'done', passages: 10, total: 10, bytes: 100 })).toBe(true);
    expect(isFinished({ state: 'failed', passages: 5, total: 10, bytes: 100 })).toBe(true);
    expect(isFinished({ state: 'unavailable' })).toBe(true);
  });

  it('fills the bar by passages read, and fully once done (even for an empty project)', () => {
    expect(barValues({ state: 'running', passages: 12_345, total: 100_000, bytes: 1 })).toEqual({ value: 12_345, max: 100_000 });
    expect(barValues({ state: 'done', passages: 0, total: 0, bytes: 0 })).toEqual({ value: 1, max: 1 });
    expect(barValues({ state: 'pending', passages: 0, total: 0, bytes: 0 })).toEqual({ value: 0, max: 1 });
  });
});

describe('the progress line', () => {
  it('counts passages and bytes the way each language writes them', () => {
    const size = (locale: 'en' | 'ru') => formatBytes(3.4 * 1024 * 1024, locale);
    expect(translator('en')('export.progress.running', { passages: 12_345, count: 100_000, size: size('en') })).toBe(
      '12,345 of 100,000 passages · 3.4 MB written',
    );
    expect(translator('ru')('export.progress.running', { passages: 12_345, count: 100_000, size: size('ru') })).toBe(
      '12\u00a0345 из 100\u00a0000 фрагментов · записано 3,4 МБ',
    );
    expect(translator('en')('export.progress.done', { count: 1, size: size('en') })).toBe('Done: 1 passage, 3.4 MB.');
  });
});
