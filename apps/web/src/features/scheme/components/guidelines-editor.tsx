import type { Project } from '@warrant/contracts';
import { useDeferredValue, useId, type FormEvent } from 'react';
import { Markdown } from '../../../components/markdown.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { errorMessage } from '../../../lib/error-message.ts';
import { useT } from '../../../lib/i18n/use-t.ts';
import { useUpdateGuidelines } from '../api/update-project-settings.ts';
import { SaveState } from './save-state.tsx';

export const GUIDELINES_MAX = 200_000;

export interface GuidelinesEditorProps {
  projectId: string;
  value: string;
  dirty: boolean;
  onChange: (value: string) => void;
  onSaved: (saved: Project) => void;
}

/** The guidelines' Markdown beside its rendering (stacked on narrow screens), and Save. */
export function GuidelinesEditor({ projectId, value, dirty, onChange, onSaved }: GuidelinesEditorProps) {
  const t = useT();
  const id = useId();
  const save = useUpdateGuidelines(projectId, onSaved);
  // Long guidelines re-render on every keystroke: the preview may lag a little, the typing must not.
  const preview = useDeferredValue(value);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate(value);
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('scheme.guidelines.title')}</h2>
      <p className="muted settings-intro">{t('scheme.guidelines.intro')}</p>
      <form onSubmit={submit} noValidate>
        <div className="guidelines-editor">
          <div className="field guidelines-editor__source">
            <label className="field__label" htmlFor={`${id}-source`}>
              {t('scheme.guidelines.source')}
            </label>
            <textarea
              id={`${id}-source`}
              className="input input--multiline input--code"
              value={value}
              maxLength={GUIDELINES_MAX}
              spellCheck
              aria-describedby={`${id}-hint`}
              onChange={(event) => onChange(event.target.value)}
            />
            <p className="field__hint" id={`${id}-hint`}>
              {t('scheme.guidelines.hint')}
            </p>
          </div>
          <div className="guidelines-editor__preview">
            <h3 className="field__label" id={`${id}-preview`}>
              {t('scheme.guidelines.preview')}
            </h3>
            <div className="guidelines-editor__rendered" role="region" aria-labelledby={`${id}-preview`} tabIndex={0}>
              <Markdown source={preview} empty={<p className="muted">{t('scheme.guidelines.empty')}</p>} />
            </div>
          </div>
        </div>
        {save.isError ? <Alert tone="error">{errorMessage(save.error, t)}</Alert> : null}
        <div className="actions">
          <Button type="submit" variant="primary" busy={save.isPending} disabled={!dirty}>
            {t('scheme.guidelines.save')}
          </Button>
          <SaveState dirty={dirty} saving={save.isPending} saved={save.isSuccess} savedText={t('scheme.guidelines.saved')} />
        </div>
      </form>
    </section>
  );
}
