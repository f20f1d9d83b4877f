import { ANNOTATED_IMPORT_FORMATS, IMPORT_MODES, type ImportMode } from '@warrant/contracts';
import { useMemo, useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { RadioGroup } from '../../../components/ui/radio-group.tsx';
import { SelectField } from '../../../components/ui/select-field.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { fieldIssues, isApiError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n/use-t.ts';
import {
  ARG_MICROTEXT_LANGUAGES,
  acceptFor,
  annotatorProblem,
  selectImportFiles,
  sourceChoices,
  type AnnotatedFormat,
  type ArgMicrotextLanguage,
} from '../core/import-request.ts';
import { useImportState, useImportStore, type ImportState } from '../stores/import-store.ts';
import { FileChooser } from './file-chooser.tsx';
import { Outcome, UploadProgress } from './import-outcome.tsx';
import './imports.css';

type Kind = 'passages' | 'annotated';

/** The server's word on a field of the last attempt (an unknown source, a taken name). */
function serverIssues(state: ImportState): Record<string, string> {
  if (state.phase !== 'failed' || !isApiError(state.error)) return {};
  if (state.error.code === 'USERNAME_TAKEN') return { annotator: state.error.message };
  return fieldIssues(state.error);
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
  const reset = useImportStore((store) => store.reset);
  const uploading = state.phase === 'uploading';

  const [kind, setKind] = useState<Kind>('passages');
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<AnnotatedFormat>('semantic-jsonl');
  const [mode, setMode] = useState<ImportMode>('annotator');
  const [annotator, setAnnotator] = useState('');
  const [source, setSource] = useState('');
  const [language, setLanguage] = useState<ArgMicrotextLanguage | ''>('');
  const [chosen, setChosen] = useState<File[]>([]);
  const [checked, setChecked] = useState(false);

  const selection = useMemo(() => selectImportFiles(format, chosen), [format, chosen]);
  const issues = serverIssues(state);
  // The sources the server named stay on offer while the lead fixes other fields; new files or
  // another format may hold other sources, so those forget them.
  const [offered, setOffered] = useState<{ from: ImportState; sources: string[] } | null>(null);
  const named = sourceChoices(issues.source);
  if (named.length > 0 && offered?.from !== state) setOffered({ from: state, sources: named });
  const offeredSources = offered?.sources ?? [];
  const annotatorIssue = mode === 'annotator' ? annotatorProblem(annotator) : null;
  const filesError =
    kind === 'annotated' && checked && selection.files.length === 0
      ? t('importCorpus.chooseFiles')
      : kind === 'annotated' && selection.missingTexts.length > 0
        ? t('importCorpus.fixMissingTexts')
        : undefined;

  /** A new choice makes the last failure's advice stale. */
  const changed = () => {
    if (state.phase === 'failed' || state.phase === 'rejected') reset(projectId);
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setChecked(true);
    if (kind === 'passages') {
      if (file) start(projectId, { kind: 'passages', file }, onImported);
      return;
    }
    if (selection.files.length === 0 || selection.missingTexts.length > 0 || annotatorIssue) return;
    start(projectId, { kind: 'annotated', format, mode, annotator, source, language, files: selection.files }, onImported);
  };

  return (
    <section className="panel" aria-labelledby="import-title">
      <h2 id="import-title">{t('import.title')}</h2>
      <form onSubmit={submit} noValidate className="form">
        <RadioGroup<Kind>
          legend={t('importCorpus.kind')}
          name="import-kind"
          value={kind}
          disabled={uploading}
          onChange={(value) => {
            setKind(value);
            setChecked(false);
            changed();
          }}
          options={[
            { value: 'passages', label: t('importCorpus.kind.passages'), description: t('importCorpus.kind.passagesAbout') },
            { value: 'annotated', label: t('importCorpus.kind.annotated'), description: t('importCorpus.kind.annotatedAbout') },
          ]}
        />
        {kind === 'passages' ? (
          <>
            <p className="muted">{t('import.help')}</p>
            <TextField
              label={t('import.file')}
              name="file"
              type="file"
              accept={acceptFor('passages')}
              disabled={uploading}
              error={checked && !file ? t('import.chooseFile') : undefined}
              onChange={(event) => {
                setFile(event.target.files?.[0] ?? null);
                setChecked(false);
                changed();
              }}
            />
          </>
        ) : (
          <>
            <RadioGroup<AnnotatedFormat>
              legend={t('importCorpus.format')}
              name="import-format"
              value={format}
              disabled={uploading}
              onChange={(value) => {
                setFormat(value);
                setOffered(null);
                changed();
              }}
              options={ANNOTATED_IMPORT_FORMATS.map((value) => ({
                value,
                label: t(`importCorpus.format.${value}`),
                description: t(`importCorpus.formatAbout.${value}`),
              }))}
            />
            <RadioGroup<ImportMode>
              legend={t('importCorpus.mode')}
              name="import-mode"
              value={mode}
              disabled={uploading}
              onChange={(value) => {
                setMode(value);
                changed();
              }}
              options={IMPORT_MODES.map((value) => ({
                value,
                label: t(`importCorpus.mode.${value}`),
                description: t(`importCorpus.modeAbout.${value}`),
              }))}
            />
            {mode === 'annotator' ? (
              <TextField
                label={t('importCorpus.annotator')}
                hint={t('importCorpus.annotatorHint')}
                name="annotator"
                autoComplete="off"
                spellCheck={false}
                maxLength={40}
                value={annotator}
                disabled={uploading}
                error={annotatorIssue ? t(`importCorpus.annotatorProblem.${annotatorIssue}`) : issues.annotator}
                onChange={(event) => {
                  setAnnotator(event.target.value);
                  changed();
                }}
              />
            ) : null}
            {offeredSources.length > 0 ? (
              <SelectField
                label={t('importCorpus.sourceNeeded')}
                value={source}
                disabled={uploading}
                onChange={(event) => {
                  setSource(event.target.value);
                  changed();
                }}
                options={[
                  { value: '', label: t('importCorpus.sourceChoose') },
                  ...offeredSources.map((value) => ({ value, label: value })),
                ]}
                aria-describedby="import-source-offered"
              />
            ) : (
              <TextField
                label={t('importCorpus.source')}
                hint={t('importCorpus.sourceHint')}
                name="source"
                autoComplete="off"
                spellCheck={false}
                maxLength={100}
                value={source}
                disabled={uploading}
                error={issues.source}
                onChange={(event) => {
                  setSource(event.target.value);
                  changed();
                }}
              />
            )}
            {offeredSources.length > 0 ? (
              <p className={`${source ? 'field__hint' : 'field__error'} import-source-offered`} id="import-source-offered">
                {t('importCorpus.sourceOffered', { count: offeredSources.length })}
              </p>
            ) : null}
            {format === 'arg-microtext' ? (
              <SelectField
                label={t('importCorpus.language')}
                value={language}
                disabled={uploading}
                onChange={(event) => setLanguage(event.target.value as ArgMicrotextLanguage | '')}
                options={[
                  { value: '', label: t('importCorpus.language.auto') },
                  ...ARG_MICROTEXT_LANGUAGES.map((value) => ({ value, label: t(`importCorpus.language.${value}`) })),
                ]}
              />
            ) : null}
            <FileChooser
              accept={acceptFor(format)}
              disabled={uploading}
              selection={selection}
              error={filesError}
              onChoose={(files) => {
                setChosen(files);
                setChecked(false);
                setOffered(null);
                changed();
              }}
            />
          </>
        )}
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
