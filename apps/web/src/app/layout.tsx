import { useEffect, useRef } from 'react';
import { Link, NavLink, Outlet } from 'react-router';
import { LanguageSwitch } from '../features/auth/components/language-switch.tsx';
import { UserMenu } from '../features/auth/components/user-menu.tsx';
import { useSession } from '../features/auth/api/session.ts';
import { forgetOnLogout } from '../features/editor/sync/session-outbox.ts';
import { useOutboxGuard } from '../features/editor/sync/use-outbox-guard.ts';
import { useLocaleStore } from '../lib/i18n/locale-store.ts';
import { useT } from '../lib/i18n/use-t.ts';
import { paths } from '../lib/paths.ts';

export function Layout() {
  const t = useT();
  const locale = useLocaleStore((state) => state.locale);
  const { data: session } = useSession();

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  // After a logout (a user, then none), forget the copies kept for offline use and the stored
  // passages with nothing unsent: the next person at this browser must not find them. Unsent
  // edits are kept; they are sent after the user's next login here.
  const lastUserId = useRef<string | null>(null);
  const userId = session?.user.id ?? null;
  useEffect(() => {
    if (lastUserId.current !== null && userId === null) void forgetOnLogout(lastUserId.current);
    lastUserId.current = userId;
  }, [userId]);
  // Edits left unsent anywhere (a passage left early, a closed tab) are sent from any page, and
  // closing the tab with some still unsent asks first.
  useOutboxGuard(userId);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <div className="app-header__inner">
          <Link className="app-header__brand" to={paths.home()}>
            {t('app.name')}
          </Link>
          <nav className="app-header__nav" aria-label={t('header.mainNav')}>
            {session ? (
              <NavLink to={paths.home()} end>
                {t('header.projects')}
              </NavLink>
            ) : null}
          </nav>
          <div className="app-header__tools">
            <LanguageSwitch />
            <UserMenu />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
