import type { Locale } from '@warrant/contracts';
import { en, type MessageKey, type PluralKey } from './en.ts';
import { pluralForm, type PluralForms } from './plural.ts';
import { ru } from './ru.ts';

export const LOCALES = ['en', 'ru'] as const satisfies readonly Locale[];

export const catalogs: Record<Locale, Record<MessageKey, string | PluralForms>> = { en, ru };

export type MessageParams = Record<string, string | number>;
type Args<K extends MessageKey> = K extends PluralKey ? [params: MessageParams & { count: number }] : [params?: MessageParams];
export type Translate = <K extends MessageKey>(key: K, ...args: Args<K>) => string;

const PLACEHOLDER = /\{(\w+)\}/g;

function fill(template: string, params: MessageParams | undefined, numbers: Intl.NumberFormat): string {
  if (!params) return template;
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? numbers.format(value) : value;
  });
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();

/** Figures the way the locale writes them (1,234 / 1 234). */
export function numberFormat(locale: Locale): Intl.NumberFormat {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale);
    numberFormats.set(locale, format);
  }
  return format;
}

function build(locale: Locale): Translate {
  const catalog = catalogs[locale];
  const numbers = numberFormat(locale);
  return (key, ...args) => {
    const params: MessageParams | undefined = args[0];
    const entry = catalog[key];
    if (typeof entry === 'string') return fill(entry, params, numbers);
    const count = typeof params?.count === 'number' ? params.count : 0;
    return fill(pluralForm(locale, entry, count), params, numbers);
  };
}

const translators = new Map<Locale, Translate>();

/** The translator for a locale; the same function every time, so it is safe in dependency lists. */
export function translator(locale: Locale): Translate {
  let t = translators.get(locale);
  if (!t) {
    t = build(locale);
    translators.set(locale, t);
  }
  return t;
}
