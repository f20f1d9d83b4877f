import { useNavigate } from 'react-router';
import { Button } from '../../../components/ui/button.tsx';
import { useT } from '../../../lib/i18n/use-t.ts';
import { paths } from '../../../lib/paths.ts';
import { unsentEditsOf } from '../../editor/sync/session-outbox.ts';
import { useLogout } from '../api/logout.ts';
import { useSession } from '../api/session.ts';

/** Who is signed in, and the way out. Renders nothing without a session. */
export function UserMenu() {
  const t = useT();
  const { data } = useSession();
  const logout = useLogout();
  const navigate = useNavigate();
  if (!data) return null;
  const { user } = data;
  const logOut = async () => {
    // Unsent edits stay on this device either way (sent after the next login here), but nobody
    // sees them until then: ask first.
    const unsent = await unsentEditsOf(user.id);
    if (unsent > 0 && !window.confirm(t('sync.logout.pending', { count: unsent }))) return;
    logout.mutate(undefined, { onSettled: () => void navigate(paths.login(), { replace: true }) });
  };
  return (
    <>
      <p className="app-header__user">
        {t('header.signedInAs')} <strong>{user.displayName || user.username}</strong>
        {user.displayName && user.displayName !== user.username ? <span className="muted"> ({user.username})</span> : null}
      </p>
      <Button
        variant="quiet"
        busy={logout.isPending}
        onClick={() => void logOut()}
      >
        {t('header.logout')}
      </Button>
    </>
  );
}
