import { Button } from '../components/ui/button.tsx';
import { useT } from '../lib/i18n/use-t.ts';

/** The router's last resort when a page throws while rendering. */
export function CrashPage() {
  const t = useT();
  return (
    <main id="main">
      <section className="panel" role="alert">
        <h1>{t('crash.title')}</h1>
        <p>{t('crash.text')}</p>
        <Button variant="primary" onClick={() => window.location.reload()}>
          {t('crash.reload')}
        </Button>
      </section>
    </main>
  );
}
