import { Navigate, useSearchParams } from 'react-router';
import { Alert } from '../../components/ui/alert.tsx';
import { Loading } from '../../components/ui/loading.tsx';
import { useSession } from '../../features/auth/api/session.ts';
import { LoginForm } from '../../features/auth/components/login-form.tsx';
import { useT } from '../../lib/i18n/use-t.ts';
import { safeRedirectTarget } from '../../lib/redirect.ts';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

export function LoginRoute() {
  const t = useT();
  const [params] = useSearchParams();
  const session = useSession();
  const next = safeRedirectTarget(params.get('next'));
  useDocumentTitle(t('login.title'), t('app.name'));

  // Signed in (now, or already): on to where the user was going, if that is a page of this app.
  if (session.data) return <Navigate to={next} replace />;
  if (session.isPending) return <Loading label={t('app.loading')} />;
  return (
    <div className="login">
      <p className="muted">{t('login.intro')}</p>
      {next !== '/' ? <Alert tone="info">{t('login.sessionEnded')}</Alert> : null}
      <div className="panel">
        <LoginForm />
      </div>
    </div>
  );
}
