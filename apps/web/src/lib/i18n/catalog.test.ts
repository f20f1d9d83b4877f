import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { REQUIRED_PLURAL_FORMS } from './plural.ts';
import { ru } from './ru.ts';
import { catalogs, translator } from './translate.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
const texts = (entry: unknown): string[] => (typeof entry === 'string' ? [entry] : Object.values(entry as Record<string, string>));

describe('message catalogs', () => {
  it('Russian has exactly the keys of English', () => {
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.entries(REQUIRED_PLURAL_FORMS))('%s gives every plural entry the forms its language needs', (locale, forms) => {
    const catalog = catalogs[locale as keyof typeof catalogs];
    for (const [key, source] of Object.entries(en)) {
      const entry = catalog[key as keyof typeof en];
      if (typeof source === 'string') {
        expect(typeof entry, key).toBe('string');
      } else {
        expect(typeof entry, key).toBe('object');
        expect(Object.keys(entry).sort(), key).toEqual(expect.arrayContaining([...forms]));
      }
    }
  });

  it('uses the same placeholders in both languages', () => {
    for (const [key, source] of Object.entries(en)) {
      const expected = new Set(texts(source).flatMap(placeholders));
      for (const text of texts(ru[key as keyof typeof ru])) {
        for (const name of placeholders(text)) expect(expected.has(name ?? ''), `${key}: {${name}} is not in English`).toBe(true);
      }
      const used = new Set(texts(ru[key as keyof typeof ru]).flatMap(placeholders));
      for (const name of expected) expect(used.has(name), `${key}: ru lacks {${name}}`).toBe(true);
    }
  });

  it('has no empty messages', () => {
    for (const [key, entry] of [...Object.entries(en), ...Object.entries(ru)]) {
      for (const text of texts(entry)) expect(text.trim(), key).not.toBe('');
    }
  });
});

describe('translator', () => {
  it('fills placeholders and formats numbers for the locale', () => {
    expect(translator('en')('projects.progressText', { submitted: 1234, required: 5000 })).toBe('1,234 of 5,000 annotations submitted');
    expect(translator('ru')('projects.progressText', { submitted: 1234, required: 5000 })).toBe('Сдано разметок: 1\u00a0234 из 5\u00a0000');
  });

  it('picks English plural forms', () => {
    const t = translator('en');
    expect(t('import.done', { count: 1 })).toBe('1 passage imported');
    expect(t('import.done', { count: 3 })).toBe('3 passages imported');
    expect(t('import.done', { count: 0 })).toBe('0 passages imported');
  });

  it('picks Russian plural forms: one, few, many', () => {
    const t = translator('ru');
    expect(t('import.done', { count: 1 })).toBe('Импортирован 1 фрагмент');
    expect(t('import.done', { count: 21 })).toBe('Импортирован 21 фрагмент');
    expect(t('import.done', { count: 3 })).toBe('Импортировано 3 фрагмента');
    expect(t('import.done', { count: 24 })).toBe('Импортировано 24 фрагмента');
    expect(t('import.done', { count: 5 })).toBe('Импортировано 5 фрагментов');
    expect(t('import.done', { count: 11 })).toBe('Импортировано 11 фрагментов');
    expect(t('import.done', { count: 0 })).toBe('Импортировано 0 фрагментов');
  });

  it('leaves an unknown placeholder visible rather than dropping text', () => {
    expect(translator('en')('passage.title', {})).toBe('Passage {id}');
  });

  it('renders user text as given (no markup interpretation happens here)', () => {
    expect(translator('en')('members.add.added', { username: '<b>x</b>' })).toBe('<b>x</b> was added to the project.');
  });
});
