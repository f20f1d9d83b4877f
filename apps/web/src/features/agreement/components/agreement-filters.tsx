import { useId } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { useT } from '../../../lib/i18n/use-t.ts';
import { toggleSelection, type AgreementFilters } from '../core/filters.ts';

export interface FilterOption {
  value: string;
  label: string;
  /** A label's colour, shown as a swatch. */
  color?: string;
}

export interface AgreementFiltersPanelProps {
  filters: AgreementFilters;
  labels: readonly FilterOption[];
  annotators: readonly FilterOption[];
  onChange: (filters: AgreementFilters) => void;
}

function CheckboxGroup({
  legend,
  options,
  selected,
  onChange,
  keepOneHint,
}: {
  legend: string;
  options: readonly FilterOption[];
  selected: string[] | null;
  onChange: (next: string[] | null) => void;
  keepOneHint: string;
}) {
  const values = options.map((option) => option.value);
  const isChecked = (value: string) => selected === null || selected.includes(value);
  const checkedCount = values.filter(isChecked).length;
  const hintId = useId();
  return (
    <fieldset className="filter-group">
      <legend>{legend}</legend>
      <div className="filter-group__options">
        {options.map((option) => {
          const checked = isChecked(option.value);
          // The last ticked box stays ticked: an empty filter would mean "all" and surprise.
          const lastOne = checked && checkedCount === 1;
          return (
            <label key={option.value} className="filter-option">
              <input
                type="checkbox"
                checked={checked}
                disabled={lastOne}
                aria-describedby={lastOne ? hintId : undefined}
                onChange={(event) => onChange(toggleSelection(selected, values, option.value, event.target.checked))}
              />
              {option.color ? <span className="filter-option__swatch" style={{ backgroundColor: option.color }} aria-hidden="true" /> : null}
              {option.label}
            </label>
          );
        })}
      </div>
      {checkedCount === 1 && options.length > 1 ? (
        <p className="field__hint" id={hintId}>
          {keepOneHint}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Labels, annotators and dates the figures are computed over; every change goes into the address. */
export function AgreementFiltersPanel({ filters, labels, annotators, onChange }: AgreementFiltersPanelProps) {
  const t = useT();
  const fromId = useId();
  const toId = useId();
  const filtered = filters.labels !== null || filters.annotators !== null || filters.from !== null || filters.to !== null;
  return (
    <section className="panel filters" aria-labelledby="agreement-filters-title">
      <div className="filters__head">
        <h2 id="agreement-filters-title">{t('agreement.filters')}</h2>
        {filtered ? (
          <Button variant="quiet" onClick={() => onChange({ ...filters, labels: null, annotators: null, from: null, to: null })}>
            {t('agreement.filters.clear')}
          </Button>
        ) : null}
      </div>
      <div className="filters__body">
        <CheckboxGroup
          legend={t('agreement.filters.labels')}
          options={labels}
          selected={filters.labels}
          onChange={(next) => onChange({ ...filters, labels: next })}
          keepOneHint={t('agreement.filters.keepOne')}
        />
        <CheckboxGroup
          legend={t('agreement.filters.annotators')}
          options={annotators}
          selected={filters.annotators}
          onChange={(next) => onChange({ ...filters, annotators: next })}
          keepOneHint={t('agreement.filters.keepOne')}
        />
        <fieldset className="filter-group">
          <legend>{t('agreement.filters.submitted')}</legend>
          <div className="filter-dates">
            <div className="field field--inline">
              <label className="field__label" htmlFor={fromId}>
                {t('agreement.filters.from')}
              </label>
              <input
                id={fromId}
                className="input input--date"
                type="date"
                value={filters.from ?? ''}
                max={filters.to ?? undefined}
                onChange={(event) => onChange({ ...filters, from: event.target.value || null })}
              />
            </div>
            <div className="field field--inline">
              <label className="field__label" htmlFor={toId}>
                {t('agreement.filters.to')}
              </label>
              <input
                id={toId}
                className="input input--date"
                type="date"
                value={filters.to ?? ''}
                min={filters.from ?? undefined}
                onChange={(event) => onChange({ ...filters, to: event.target.value || null })}
              />
            </div>
          </div>
        </fieldset>
      </div>
    </section>
  );
}
