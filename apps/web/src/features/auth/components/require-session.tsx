import { Navigate, Outlet, useLocation } from 'react-router';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Loading } from '../../../components/ui/loading.tsx';
import { errorMessage } from '../../../lib/error-message.ts';
import { useT } from '../../../lib/i18n/use-t.ts';
import { loginPath } from '../../../lib/redirect.ts';
import { useSession } from '../api/session.ts';

/** Renders its child routes for a signed-in user; anyone else goes to the login page and comes back after. */
export function RequireSession() {
  const t = useT();
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading label={t('app.loading')} />;
  if (session.isError) {
    return (
      <Alert tone="error">
        <p>{errorMessage(session.error, t)}</p>
        <Button onClick={() => void session.refetch()}>{t('app.retry')}</Button>
      </Alert>
    );
  }
  if (!session.data) {
    return <Navigate to={loginPath(`${location.pathname}${location.search}${location.hash}`)} replace />;
  }
  return <Outlet />;
}
