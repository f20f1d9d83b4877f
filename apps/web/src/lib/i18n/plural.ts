/** Plural forms by CLDR category; `other` is always there (English needs one/other, Russian one/few/many/other). */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** The categories a language's catalog must give for every plural entry. */
export const REQUIRED_PLURAL_FORMS = {
  en: ['one', 'other'],
  ru: ['one', 'few', 'many', 'other'],
} as const satisfies Record<string, readonly Intl.LDMLPluralRule[]>;

const rules = new Map<string, Intl.PluralRules>();

export function pluralForm(locale: string, forms: PluralForms, count: number): string {
  let rule = rules.get(locale);
  if (!rule) {
    rule = new Intl.PluralRules(locale);
    rules.set(locale, rule);
  }
  return forms[rule.select(count)] ?? forms.other;
}
