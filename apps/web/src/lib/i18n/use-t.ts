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
