import { useId, useRef } from 'react';
import { formatBytes } from '../../../lib/format-bytes.ts';
import { useLocale, useT } from '../../../lib/i18n/use-t.ts';
import type { FileSelection } from '../core/import-request.ts';

export interface FileChooserProps {
  accept: string;
  disabled: boolean;
  /** The files as chosen (several, or a whole folder); replaces the earlier choice. */
  onChoose: (files: File[]) => void;
  selection: FileSelection;
  error?: string | undefined;
}

const directoryProps = { webkitdirectory: '', directory: '' } as Record<string, string>;

/**
 * Several files (brat: each .ann with its .txt), or a whole folder: the files the format does not
 * read are left out and listed, so nothing goes to the server by surprise.
 */
export function FileChooser({ accept, disabled, onChoose, selection, error }: FileChooserProps) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  // One choice at a time: picking files forgets the folder and the other way round, so what the
  // inputs show is what will be sent.
  const choose = (from: HTMLInputElement, other: HTMLInputElement | null) => {
    if (other) other.value = '';
    onChoose([...(from.files ?? [])]);
  };
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null, `${id}-chosen`].filter(Boolean).join(' ');
  const bytes = selection.files.reduce((sum, file) => sum + file.size, 0);
  return (
    <div className="field file-chooser">
      <label className="field__label" htmlFor={`${id}-files`}>
        {t('importCorpus.files')}
      </label>
      <input
        id={`${id}-files`}
        ref={filesInput}
        className="input"
        type="file"
        multiple
        accept={accept}
        disabled={disabled}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        onChange={(event) => choose(event.target, folderInput.current)}
      />
      <p className="field__hint" id={`${id}-hint`}>
        {t('importCorpus.filesHint')}
      </p>
      <label className="file-chooser__folder" htmlFor={`${id}-folder`}>
        <span>{t('importCorpus.folder')}</span>
        <input
          id={`${id}-folder`}
          ref={folderInput}
          className="input"
          type="file"
          disabled={disabled}
          {...directoryProps}
          onChange={(event) => choose(event.target, filesInput.current)}
        />
      </label>
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      <div id={`${id}-chosen`} className="file-chooser__chosen" aria-live="polite">
        {selection.files.length > 0 ? (
          <p>{t('importCorpus.chosen', { count: selection.files.length, size: formatBytes(bytes, locale) })}</p>
        ) : null}
        {selection.missingTexts.length > 0 ? (
          <p className="field__error">
            {t('importCorpus.missingTexts', { count: selection.missingTexts.length, names: selection.missingTexts.slice(0, 5).join(', ') })}
          </p>
        ) : null}
        {selection.skipped.length > 0 ? (
          <details className="file-chooser__skipped">
            <summary>{t('importCorpus.skipped', { count: selection.skipped.length })}</summary>
            <ul>
              {selection.skipped.slice(0, 200).map((skip) => (
                <li key={skip.name}>
                  <code>{skip.name}</code>: {t(`importCorpus.skip.${skip.reason}`)}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </div>
    </div>
  );
}
