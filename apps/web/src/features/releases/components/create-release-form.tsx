import { RELEASE_SPLITS, type ReleaseSplit } from '@warrant/contracts';
import type { LabelScheme } from '@warrant/domain';
import { useState, type FormEvent } from 'react';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { RadioGroup } from '../../../components/ui/radio-group.tsx';
import { TextAreaField } from '../../../components/ui/text-area-field.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { errorMessage } from '../../../lib/error-message.ts';
import { useT } from '../../../lib/i18n/use-t.ts';
import { useCreateRelease } from '../api/releases.ts';
import { DEFAULT_RELEASE_FORM, releaseBody, toggleKey, type ReleaseForm, type ReleaseFormErrors } from '../core/release-form.ts';

interface KeyOption {
  key: string;
  name: string;
}

function KeyChoices({
  legend,
  hint,
  options,
  selected,
  disabled,
  onChange,
}: {
  legend: string;
  hint: string;
  options: readonly KeyOption[];
  selected: string[];
  disabled: boolean;
  onChange: (next: string[]) => void;
}) {
  const order = options.map((option) => option.key);
  return (
    <fieldset className="choice-group" disabled={disabled}>
      <legend className="field__label">{legend}</legend>
      <p className="field__hint">{hint}</p>
      <div className="release-keys">
        {options.map((option) => (
          <label key={option.key} className="release-keys__option">
            <input
              type="checkbox"
              checked={selected.includes(option.key)}
              onChange={(event) => onChange(toggleKey(selected, order, option.key, event.target.checked))}
            />
            {option.name}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export interface CreateReleaseFormProps {
  projectId: string;
  /** The project's scheme, names as shown in the interface language. */
  scheme: LabelScheme;
}

/** What goes into a new release; cutting one can take a while on a big project. */
export function CreateReleaseForm({ projectId, scheme }: CreateReleaseFormProps) {
  const t = useT();
  const create = useCreateRelease(projectId);
  const [form, setForm] = useState<ReleaseForm>(DEFAULT_RELEASE_FORM);
  const [errors, setErrors] = useState<ReleaseFormErrors>({});
  const busy = create.isPending;
  const update = (change: Partial<ReleaseForm>) => setForm((current) => ({ ...current, ...change }));
  const setSplit = (split: ReleaseSplit, value: string) => setForm((current) => ({ ...current, splits: { ...current.splits, [split]: value } }));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = releaseBody(form);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    create.mutate(result.body, { onSuccess: () => setForm(DEFAULT_RELEASE_FORM) });
  };

  const ratioError = (field: 'minAgreement' | ReleaseSplit) => (errors[field] ? t('releases.error.ratio') : undefined);

  return (
    <section className="panel" aria-labelledby="release-new-title">
      <h2 id="release-new-title">{t('releases.new.title')}</h2>
      <p className="muted">{t('releases.new.help')}</p>
      <form onSubmit={submit} noValidate className="form release-form">
        <TextField
          label={t('releases.field.name')}
          value={form.name}
          maxLength={100}
          disabled={busy}
          error={errors.name ? t(`releases.error.${errors.name}`) : undefined}
          onChange={(event) => update({ name: event.target.value })}
        />
        <TextAreaField
          label={t('releases.field.description')}
          hint={t('releases.field.descriptionHint')}
          value={form.description}
          rows={4}
          disabled={busy}
          onChange={(event) => update({ description: event.target.value })}
        />
        <RadioGroup<'gold' | 'all'>
          legend={t('releases.field.source')}
          name="release-source"
          value={form.source}
          disabled={busy}
          onChange={(source) => update({ source })}
          options={[
            { value: 'gold', label: t('releases.source.gold'), description: t('releases.source.goldAbout') },
            { value: 'all', label: t('releases.source.all'), description: t('releases.source.allAbout') },
          ]}
        />
        {scheme.categories.length > 0 ? (
          <KeyChoices
            legend={t('releases.field.categories')}
            hint={t('releases.field.noneMeansAll')}
            options={scheme.categories}
            selected={form.categories}
            disabled={busy}
            onChange={(categories) => update({ categories })}
          />
        ) : null}
        <KeyChoices
          legend={t('releases.field.labels')}
          hint={t('releases.field.labelsHint')}
          options={scheme.spanLabels}
          selected={form.labels}
          disabled={busy}
          onChange={(labels) => update({ labels })}
        />
        <TextField
          label={t('releases.field.minAgreement')}
          hint={t('releases.field.minAgreementHint')}
          inputMode="decimal"
          value={form.minAgreement}
          disabled={busy}
          className="input--short"
          error={ratioError('minAgreement')}
          onChange={(event) => update({ minAgreement: event.target.value })}
        />
        <fieldset className="choice-group" disabled={busy} aria-describedby="release-splits-hint">
          <legend className="field__label">{t('releases.field.splits')}</legend>
          <p className="field__hint" id="release-splits-hint">
            {t('releases.field.splitsHint')}
          </p>
          <div className="release-splits">
            {RELEASE_SPLITS.map((split) => (
              <TextField
                key={split}
                label={t(`releases.split.${split}`)}
                inputMode="decimal"
                value={form.splits[split]}
                className="input--short"
                error={ratioError(split)}
                onChange={(event) => setSplit(split, event.target.value)}
              />
            ))}
          </div>
          {errors.splits ? <p className="field__error">{t('releases.error.splitsSum')}</p> : null}
        </fieldset>
        <TextField
          label={t('releases.field.splitSeed')}
          hint={t('releases.field.splitSeedHint')}
          value={form.splitSeed}
          maxLength={100}
          disabled={busy}
          spellCheck={false}
          onChange={(event) => update({ splitSeed: event.target.value })}
        />
        <TextField
          label={t('releases.field.licence')}
          hint={t('releases.field.licenceHint')}
          value={form.licence}
          maxLength={200}
          disabled={busy}
          onChange={(event) => update({ licence: event.target.value })}
        />
        <TextAreaField
          label={t('releases.field.citation')}
          hint={t('releases.field.citationHint')}
          value={form.citation}
          rows={3}
          disabled={busy}
          spellCheck={false}
          onChange={(event) => update({ citation: event.target.value })}
        />
        {errors.form ? (
          <Alert tone="error">
            <p>{t('releases.error.invalid')}</p>
          </Alert>
        ) : null}
        {create.isError ? (
          <Alert tone="error" title={t('releases.new.failed')}>
            <p>{errorMessage(create.error, t)}</p>
          </Alert>
        ) : null}
        <div className="actions">
          <Button type="submit" variant="primary" busy={busy}>
            {busy ? t('releases.new.cutting') : t('releases.new.submit')}
          </Button>
          {busy ? (
            <p className="muted" role="status">
              {t('releases.new.wait')}
            </p>
          ) : null}
        </div>
        {create.isSuccess && !busy ? (
          <Alert tone="success" title={t('releases.new.done', { version: create.data.version })} />
        ) : null}
      </form>
    </section>
  );
}
