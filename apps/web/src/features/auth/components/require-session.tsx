import { Navigate, Outlet, useLocation } from 'react-router';
import { Loading } from '../../../components/ui/loading.tsx';
import { useT } from '../../../lib/i18n/use-t.ts';
import { loginPath } from '../../../lib/redirect.ts';
import { useSession } from '../api/session.ts';
import { QueryError } from '../../../components/query-error.tsx';

/** Renders its child routes for a signed-in user; anyone else goes to the login page and comes back after. */
export function RequireSession() {
  const t = useT();
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading label={t('app.loading')} />;
  if (session.isError) {
    return (
      <QueryError error={session.error} onRetry={() => session.refetch()} />
    );
  }
  if (!session.data) {
    return <Navigate to={loginPath(`${location.pathname}${location.search}${location.hash}`)} replace />;
  }
  return <Outlet />;
}
