import { errorMessage } from '../lib/error-message.ts';
import { useT } from '../lib/i18n/use-t.ts';
import { Alert } from './ui/alert.tsx';
import { Button } from './ui/button.tsx';

/** A failed load, said in words, with a way to try again. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry: () => unknown }) {
  const t = useT();
  return (
    <Alert tone="error">
      <p>{errorMessage(error, t)}</p>
      <Button onClick={() => void onRetry()}>{t('app.retry')}</Button>
    </Alert>
  );
}
