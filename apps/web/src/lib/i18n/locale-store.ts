import { locale as localeSchema, type Locale } from '@warrant/contracts';
import { create } from 'zustand';

const STORAGE_KEY = 'warrant.locale';

/** Before login: the last choice on this browser, else the browser's language. */
function initialLocale(): Locale {
  try {
    const stored = localeSchema.safeParse(globalThis.localStorage?.getItem(STORAGE_KEY));
    if (stored.success) return stored.data;
  } catch {
    // Storage can be blocked; the browser's language is a fine default.
  }
  const languages = globalThis.navigator?.languages ?? [];
  return languages.some((language) => language.toLowerCase().startsWith('ru')) ? 'ru' : 'en';
}

interface LocaleState {
  locale: Locale;
  setLocale: (locale: Locale) => void;
}

/** The interface language: UI state. The account's saved `locale` is applied to it after login. */
export const useLocaleStore = create<LocaleState>()((set) => ({
  locale: initialLocale(),
  setLocale: (locale) => {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, locale);
    } catch {
      // Not remembered on this browser; the account still keeps it.
    }
    set({ locale });
  },
}));
