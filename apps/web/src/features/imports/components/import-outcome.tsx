import { MAX_IMPORT_BYTES, type ImportSummary } from '@warrant/contracts';
import { Alert } from '../../../components/ui/alert.tsx';
import { ProgressBar } from '../../../components/ui/progress-bar.tsx';
import { errorMessage } from '../../../lib/error-message.ts';
import type { Translate } from '../../../lib/i18n/translate.ts';
import { useT } from '../../../lib/i18n/use-t.ts';
import type { ImportState } from '../stores/import-store.ts';
import { ProblemList } from './problem-list.tsx';

const MAX_MB = MAX_IMPORT_BYTES / 1024 / 1024;

/** "a.xml", or "a.xml and 2 more files". */
export function filesLabel(filenames: readonly string[], t: Translate): string {
  const [first = '', ...rest] = filenames;
  return rest.length === 0 ? first : t('importCorpus.andMore', { name: first, count: rest.length });
}

function failureMessage(state: Extract<ImportState, { phase: 'failed' }>, t: Translate): string {
  const { error } = state;
  if (error.code === 'TOO_LARGE_LOCALLY' || error.code === 'PAYLOAD_TOO_LARGE') return t('import.tooLarge', { size: MAX_MB });
  if (error.code === 'UNSUPPORTED_LOCALLY') return t('import.unsupported');
  return errorMessage(error, t);
}

export function UploadProgress({ state }: { state: ImportState }) {
  const t = useT();
  if (state.phase === 'uploading') {
    const filename = filesLabel(state.filenames, t);
    const sent = state.total > 0 && state.loaded >= state.total;
    return (
      <ProgressBar
        label={t('import.progress')}
        value={state.loaded}
        max={state.total}
        text={sent ? t('import.checking', { filename }) : t('import.uploading', { filename })}
      />
    );
  }
  if (state.phase === 'done') {
    return <ProgressBar label={t('import.progress')} value={1} max={1} text={t('import.uploaded', { filename: filesLabel(state.filenames, t) })} />;
  }
  return null;
}

/** Where the annotations went, in a sentence: "… as the submitted sets of the imported annotator micro-a". */
function annotationsLine(summary: ImportSummary, t: Translate): string | null {
  if (summary.mode === 'annotator') {
    return t('importCorpus.summary.annotator', { count: summary.annotations, annotator: summary.source ?? '?' });
  }
  if (summary.mode === 'pre-annotations') {
    return t('importCorpus.summary.preAnnotations', { count: summary.annotations, source: summary.source ?? '?' });
  }
  return null;
}

function Losses({ summary }: { summary: ImportSummary }) {
  const t = useT();
  if (summary.lossCount === 0) return null;
  return (
    <div className="import-losses">
      <p className="alert__title">{t('importCorpus.losses', { count: summary.lossCount })}</p>
      <p>
        {t('importCorpus.lossesHelp')}{' '}
        {summary.losses.length < summary.lossCount ? t('import.rejectedShown', { shown: summary.losses.length }) : null}
      </p>
      <div className="table-wrap import-losses__table" tabIndex={0} role="group" aria-label={t('importCorpus.lossesTable')}>
        <table className="table">
          <caption className="visually-hidden">{t('importCorpus.lossesTable')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('importCorpus.loss.document')}</th>
              <th scope="col">{t('importCorpus.loss.item')}</th>
              <th scope="col">{t('importCorpus.loss.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {summary.losses.map((loss, index) => (
              <tr key={`${loss.document}-${loss.item}-${index}`}>
                <td className="nowrap">{loss.document}</td>
                <td>
                  <code>{loss.item}</code>
                </td>
                <td>{loss.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function Outcome({ state }: { state: ImportState }) {
  const t = useT();
  switch (state.phase) {
    case 'done': {
      const { summary } = state;
      const annotations = annotationsLine(summary, t);
      return (
        <Alert tone="success" title={t('import.done', { count: summary.passages })}>
          <p>
            {state.filenames.length > 1
              ? t('importCorpus.doneFromFiles', { name: state.filenames[0] ?? '', count: state.filenames.length - 1 })
              : t('import.doneFrom', { filename: summary.filename })}
          </p>
          {annotations ? <p>{annotations}</p> : null}
          {summary.existingPassages > 0 ? <p>{t('importCorpus.summary.existing', { count: summary.existingPassages })}</p> : null}
          {summary.warnings.length > 0 ? (
            <>
              <p className="alert__title">{t('import.warnings')}</p>
              <ProblemList label={t('import.warnings')} problems={summary.warnings} />
            </>
          ) : null}
          <Losses summary={summary} />
        </Alert>
      );
    }
    case 'rejected': {
      const { rejection } = state;
      // Several files: the server names them in English ("a.xml and 2 more"); say it in the lead's language.
      const several = state.filenames.length > 1;
      const title = several
        ? t('importCorpus.rejectedTitle', { name: state.filenames[0] ?? '', count: state.filenames.length - 1 })
        : t('import.rejectedTitle', { filename: rejection.filename });
      return (
        <Alert tone="error" title={title}>
          <p>
            {t('import.rejectedCount', { count: rejection.errorCount })}{' '}
            {rejection.errors.length < rejection.errorCount ? t('import.rejectedShown', { shown: rejection.errors.length }) : null}{' '}
            {t('import.rejectedHelp')}
          </p>
          <ProblemList
            label={t('import.problems', { filename: several ? filesLabel(state.filenames, t) : rejection.filename })}
            problems={rejection.errors}
          />
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
