import { useRef, useState, type FormEvent } from 'react';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { isApiError, retryAfterSeconds } from '../../../lib/api-error.ts';
import { errorMessage } from '../../../lib/error-message.ts';
import type { Translate } from '../../../lib/i18n/translate.ts';
import { useT } from '../../../lib/i18n/use-t.ts';
import { useLogin } from '../api/login.ts';

function loginErrorMessage(error: unknown, t: Translate): string {
  if (isApiError(error)) {
    if (error.code === 'INVALID_CREDENTIALS') return t('login.invalidCredentials');
    if (error.code === 'FORBIDDEN') return t('login.disabled');
    if (error.code === 'RATE_LIMITED') {
      const seconds = retryAfterSeconds(error);
      if (seconds === undefined) return t('error.rateLimited');
      return seconds >= 120
        ? t('login.rateLimitedMinutes', { count: Math.ceil(seconds / 60) })
        : t('login.rateLimitedSeconds', { count: seconds });
    }
  }
  return errorMessage(error, t);
}

/** Username and password; once the session exists the login page moves on by itself. */
export function LoginForm() {
  const t = useT();
  const login = useLogin();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const passwordRef = useRef<HTMLInputElement>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    login.mutate(
      { username, password },
      {
        onError: () => {
          setPassword('');
          passwordRef.current?.focus();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      {login.isError ? <Alert tone="error">{loginErrorMessage(login.error, t)}</Alert> : null}
      <TextField
        label={t('login.username')}
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={username}
        onChange={(event) => setUsername(event.target.value)}
      />
      <TextField
        ref={passwordRef}
        label={t('login.password')}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      <Button type="submit" variant="primary" busy={login.isPending} disabled={!username.trim() || !password}>
        {login.isPending ? t('login.submitting') : t('login.submit')}
      </Button>
    </form>
  );
}
