import { locale as localeSchema } from '@warrant/contracts';
import { SelectField } from '../../../components/ui/select-field.tsx';
import { errorMessage } from '../../../lib/error-message.ts';
import { useLocaleStore } from '../../../lib/i18n/locale-store.ts';
import { LOCALES } from '../../../lib/i18n/translate.ts';
import { useT } from '../../../lib/i18n/use-t.ts';
import { useSession } from '../api/session.ts';
import { useUpdateMe } from '../api/update-me.ts';

/** Switches the interface language at once and, when signed in, saves it to the account. */
export function LanguageSwitch() {
  const t = useT();
  const locale = useLocaleStore((state) => state.locale);
  const setLocale = useLocaleStore((state) => state.setLocale);
  const { data: session } = useSession();
  const updateMe = useUpdateMe();

  const change = (value: string) => {
    const parsed = localeSchema.safeParse(value);
    if (!parsed.success) return;
    setLocale(parsed.data);
    if (session) updateMe.mutate({ locale: parsed.data });
  };

  return (
    <div className="language-switch">
      <SelectField
        inline
        label={t('header.language')}
        value={locale}
        onChange={(event) => change(event.target.value)}
        options={LOCALES.map((value) => ({ value, label: t(`locale.${value}`) }))}
      />
      {updateMe.isError ? (
        <p role="alert" className="field__error">
          {t('header.languageSaveFailed', { message: errorMessage(updateMe.error, t) })}
        </p>
      ) : null}
    </div>
  );
}
