import { entityId } from '@warrant/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate, useParams } from 'react-router';
import { NotFound } from '../../components/not-found.tsx';
import { Alert } from '../../components/ui/alert.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Loading } from '../../components/ui/loading.tsx';
import { forgetSession, useCurrentUser } from '../../features/auth/api/session.ts';
import { useEditorData } from '../../features/editor/api/editor-data.ts';
import { EditorScreen } from '../../features/editor/components/editor-screen.tsx';
import { useLiveEditor } from '../../features/editor/components/use-live-editor.ts';
import { OfflineUnavailableError } from '../../features/editor/sync/save-engine.ts';
import { isApiError } from '../../lib/api-error.ts';
import { errorMessage } from '../../lib/error-message.ts';
import { useT } from '../../lib/i18n/use-t.ts';
import { paths } from '../../lib/paths.ts';

/** The annotation editor for one of the annotator's sets. */
export function AnnotateRoute() {
  const { projectId = '', setId = '' } = useParams();
  if (!entityId.safeParse(projectId).success || !entityId.safeParse(setId).success) return <NotFound />;
  return <Annotate key={setId} projectId={projectId} setId={setId} />;
}

function Annotate({ projectId, setId }: { projectId: string; setId: string }) {
  const t = useT();
  const user = useCurrentUser();
  const data = useEditorData(user.id, setId);
  const { live, error } = useLiveEditor(data.data, user.id);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  // The server ended the session while edits wait: forget it here too, so the login page does
  // not send the annotator straight back; they return to this page and the edits are sent.
  const logInAgain = () => {
    forgetSession(queryClient);
    void navigate(`${paths.login()}?next=${encodeURIComponent(location.pathname)}`);
  };
  const failed = data.error ?? error;
  if (failed) {
    if (isApiError(failed) && failed.code === 'NOT_FOUND') return <NotFound />;
    return (
      <Alert tone="error">
        <p>{failed instanceof OfflineUnavailableError ? t('editor.notAvailableOffline') : errorMessage(failed, t)}</p>
        <Button onClick={() => window.location.reload()}>{t('app.retry')}</Button>
      </Alert>
    );
  }
  if (!data.data || !live) return <Loading label={t('editor.loading')} />;
  if (data.data.project.id !== projectId) return <NotFound />;
  return <EditorScreen data={data.data} live={live} onLogInAgain={logInAgain} />;
}
