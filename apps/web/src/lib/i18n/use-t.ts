import type { Locale } from '@warrant/contracts';
import { useLocaleStore } from './locale-store.ts';
import { numberFormat, translator, type Translate } from './translate.ts';

/** The translator for the current interface language. */
export function useT(): Translate {
  return translator(useLocaleStore((state) => state.locale));
}

/** Formats a figure for the current interface language. */
export function useFormatNumber(): (value: number) => string {
  const format = numberFormat(useLocaleStore((state) => state.locale));
  return (value) => format.format(value);
}

/** The interface language, for formatting coefficients and dates. */
export function useLocale(): Locale {
  return useLocaleStore((state) => state.locale);
}
