import { MAX_IMPORT_BYTES } from '@warrant/contracts';
import { useState, type FormEvent } from 'react';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { ProgressBar } from '../../../components/ui/progress-bar.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { errorMessage } from '../../../lib/error-message.ts';
import type { Translate } from '../../../lib/i18n/translate.ts';
import { useT } from '../../../lib/i18n/use-t.ts';
import { ACCEPTED_EXTENSIONS, useImportState, useImportStore, type ImportState } from '../stores/import-store.ts';
import { ProblemList } from './problem-list.tsx';

const MAX_MB = MAX_IMPORT_BYTES / 1024 / 1024;

function failureMessage(state: Extract<ImportState, { phase: 'failed' }>, t: Translate): string {
  const { error } = state;
  if (error.code === 'TOO_LARGE_LOCALLY' || error.code === 'PAYLOAD_TOO_LARGE') return t('import.tooLarge', { size: MAX_MB });
  if (error.code === 'UNSUPPORTED_LOCALLY') return t('import.unsupported');
  return errorMessage(error, t);
}

function UploadProgress({ state }: { state: ImportState }) {
  const t = useT();
  if (state.phase === 'uploading') {
    const sent = state.total > 0 && state.loaded >= state.total;
    return (
      <ProgressBar
        label={t('import.progress')}
        value={state.loaded}
        max={state.total}
        text={sent ? t('import.checking', { filename: state.filename }) : t('import.uploading', { filename: state.filename })}
      />
    );
  }
  if (state.phase === 'done') {
    return <ProgressBar label={t('import.progress')} value={1} max={1} text={t('import.uploaded', { filename: state.filename })} />;
  }
  return null;
}

function Outcome({ state }: { state: ImportState }) {
  const t = useT();
  switch (state.phase) {
    case 'done': {
      const { summary } = state;
      return (
        <Alert tone="success" title={t('import.done', { count: summary.passages })}>
          <p>{t('import.doneFrom', { filename: summary.filename })}</p>
          {summary.warnings.length > 0 ? (
            <>
              <p className="alert__title">{t('import.warnings')}</p>
              <ProblemList label={t('import.warnings')} problems={summary.warnings} />
            </>
          ) : null}
        </Alert>
      );
    }
    case 'rejected': {
      const { rejection } = state;
      return (
        <Alert tone="error" title={t('import.rejectedTitle', { filename: rejection.filename })}>
          <p>
            {t('import.rejectedCount', { count: rejection.errorCount })}{' '}
            {rejection.errors.length < rejection.errorCount ? t('import.rejectedShown', { shown: rejection.errors.length }) : null}{' '}
            {t('import.rejectedHelp')}
          </p>
          <ProblemList label={t('import.problems', { filename: rejection.filename })} problems={rejection.errors} />
        </Alert>
      );
    }
    case 'failed':
      return (
        <Alert tone="error" title={t('import.failed')}>
          <p>{failureMessage(state, t)}</p>
        </Alert>
      );
    default:
      return null;
  }
}

export interface ImportPanelProps {
  projectId: string;
  /** Runs after passages were added, to refresh the lists and counts that show them. */
  onImported: () => void;
}

export function ImportPanel({ projectId, onImported }: ImportPanelProps) {
  const t = useT();
  const state = useImportState(projectId);
  const start = useImportStore((store) => store.start);
  const cancel = useImportStore((store) => store.cancel);
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState(false);
  const uploading = state.phase === 'uploading';

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file) {
      setMissing(true);
      return;
    }
    setMissing(false);
    start(projectId, file, onImported);
  };

  return (
    <section className="panel" aria-labelledby="import-title">
      <h2 id="import-title">{t('import.title')}</h2>
      <p className="muted">{t('import.help')}</p>
      <form onSubmit={submit} noValidate className="form">
        <TextField
          label={t('import.file')}
          name="file"
          type="file"
          accept={ACCEPTED_EXTENSIONS.join(',')}
          disabled={uploading}
          error={missing ? t('import.chooseFile') : undefined}
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null);
            setMissing(false);
          }}
        />
        <div className="actions">
          <Button type="submit" variant="primary" busy={uploading}>
            {t('import.submit')}
          </Button>
          {uploading ? <Button onClick={() => cancel(projectId)}>{t('import.cancel')}</Button> : null}
        </div>
      </form>
      <div className="stack import-result">
        <UploadProgress state={state} />
        <Outcome state={state} />
      </div>
    </section>
  );
}
