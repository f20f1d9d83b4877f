import { createReleaseBody } from '@warrant/contracts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RELEASE_FORM, parseRatio, releaseBody, shortHash, toggleKey, type ReleaseForm } from './release-form.ts';

const form = (change: Partial<ReleaseForm> = {}): ReleaseForm => ({ ...DEFAULT_RELEASE_FORM, name: 'Pilot', ...change });

describe('parseRatio', () => {
  it('reads shares written with a point or a comma', () => {
    expect(parseRatio('0.8')).toBe(0.8);
    expect(parseRatio(' 0,25 ')).toBe(0.25);
    expect(parseRatio('.5')).toBe(0.5);
    expect(parseRatio('1')).toBe(1);
    expect(parseRatio('0')).toBe(0);
  });

  it('refuses what is not a share between 0 and 1', () => {
    for (const text of ['', '1.2', '-0.1', 'abc', '0.5.1', '1e-1', 'NaN']) expect(parseRatio(text), text).toBeNull();
  });
});

describe('releaseBody', () => {
  it('maps the default form to a body the contract accepts, with the default 0.8/0.1/0.1 splits', () => {
    const result = releaseBody(form());
    expect(result).toEqual({
      ok: true,
      body: {
        name: 'Pilot',
        description: '',
        source: 'gold',
        categories: [],
        labels: [],
        minAgreement: null,
        splits: { train: 0.8, dev: 0.1, test: 0.1 },
        splitSeed: '',
        licence: '',
        citation: '',
      },
    });
    if (result.ok) expect(createReleaseBody.safeParse(result.body).success).toBe(true);
  });

  it('carries every choice, trimmed, with comma decimals read', () => {
    const result = releaseBody(
      form({
        name: '  Release one ',
        description: '# Card\n',
        source: 'all',
        categories: ['reasoning'],
        labels: ['premise', 'conclusion'],
        minAgreement: '0,6',
        splits: { train: '0,7', dev: '0.2', test: '0.1' },
        splitSeed: ' seed-1 ',
        licence: 'CC BY 4.0',
        citation: '@misc{x}',
      }),
    );
    expect(result).toMatchObject({
      ok: true,
      body: {
        name: 'Release one',
        description: '# Card',
        source: 'all',
        categories: ['reasoning'],
        labels: ['premise', 'conclusion'],
        minAgreement: 0.6,
        splits: { train: 0.7, dev: 0.2, test: 0.1 },
        splitSeed: 'seed-1',
        licence: 'CC BY 4.0',
      },
    });
  });

  it('needs a name', () => {
    expect(releaseBody(form({ name: '   ' }))).toEqual({ ok: false, errors: { name: 'nameRequired' } });
    expect(releaseBody(form({ name: 'x'.repeat(101) }))).toEqual({ ok: false, errors: { name: 'nameTooLong' } });
  });

  it('says which share is not a number, and when they do not add up to 1', () => {
    expect(releaseBody(form({ splits: { train: '0.8', dev: 'a', test: '0.1' } }))).toEqual({ ok: false, errors: { dev: 'ratio' } });
    expect(releaseBody(form({ splits: { train: '0.8', dev: '0.2', test: '0.1' } }))).toEqual({ ok: false, errors: { splits: 'splitsSum' } });
    expect(releaseBody(form({ minAgreement: '1.5' }))).toEqual({ ok: false, errors: { minAgreement: 'ratio' } });
  });

  it('defers the limits it does not repeat to the contract', () => {
    expect(releaseBody(form({ licence: 'x'.repeat(201) }))).toEqual({ ok: false, errors: { form: 'invalid' } });
  });
});

describe('toggleKey', () => {
  it('keeps the scheme order whatever the order of ticking', () => {
    const order = ['premise', 'inference', 'conclusion'];
    expect(toggleKey(toggleKey([], order, 'conclusion', true), order, 'premise', true)).toEqual(['premise', 'conclusion']);
    expect(toggleKey(['premise', 'conclusion'], order, 'premise', false)).toEqual(['conclusion']);
  });
});

describe('shortHash', () => {
  it('keeps the start and the end of a long hash', () => {
    expect(shortHash('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef')).toBe('01234567…cdef');
    expect(shortHash('abc')).toBe('abc');
  });
});
