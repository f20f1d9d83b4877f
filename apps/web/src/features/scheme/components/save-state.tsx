import { useT } from '../../../lib/i18n/use-t.ts';

export interface SaveStateProps {
  dirty: boolean;
  saving: boolean;
  /** The last save succeeded and nothing changed since. */
  saved: boolean;
  savedText: string;
}

/** A quiet line beside a Save button: unsaved, saving, or saved. Failures are shown as alerts. */
export function SaveState({ dirty, saving, saved, savedText }: SaveStateProps) {
  const t = useT();
  let text = '';
  let tone = '';
  if (saving) {
    text = t('scheme.state.saving');
  } else if (dirty) {
    text = t('scheme.state.unsaved');
    tone = 'save-state--unsaved';
  } else if (saved) {
    text = savedText;
    tone = 'save-state--saved';
  }
  return (
    <p className={['save-state', tone].filter(Boolean).join(' ')} role="status">
      {text}
    </p>
  );
}
