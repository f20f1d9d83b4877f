import { useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { useT } from '../../../lib/i18n/use-t.ts';

export interface GeneratedPasswordProps {
  username: string;
  password: string;
  onDismiss: () => void;
}

/** The one and only showing of a new account's password: the server keeps only its hash. */
export function GeneratedPassword({ username, password, onDismiss }: GeneratedPasswordProps) {
  const t = useT();
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');

  const copyPassword = () => {
    if (!navigator.clipboard) {
      setCopy('failed');
      return;
    }
    navigator.clipboard.writeText(password).then(
      () => setCopy('copied'),
      () => setCopy('failed'),
    );
  };

  return (
    <section className="panel secret form" aria-labelledby="generated-password-title">
      <h3 id="generated-password-title">{t('members.password.title', { username })}</h3>
      <p>
        <strong>{t('members.password.once', { username })}</strong>
      </p>
      <TextField
        label={t('members.password.label')}
        className="secret__value"
        readOnly
        value={password}
        spellCheck={false}
        autoComplete="off"
        onFocus={(event) => event.currentTarget.select()}
      />
      <div className="actions">
        <Button variant="primary" onClick={copyPassword}>
          {t('members.password.copy')}
        </Button>
        <Button variant="quiet" onClick={onDismiss}>
          {t('members.password.dismiss')}
        </Button>
      </div>
      <p role="status" className={copy === 'failed' ? 'field__error' : 'muted'}>
        {copy === 'copied' ? t('members.password.copied') : copy === 'failed' ? t('members.password.copyFailed') : null}
      </p>
    </section>
  );
}
