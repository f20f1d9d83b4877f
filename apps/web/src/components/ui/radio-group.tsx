import { useId, type ReactNode } from 'react';

export interface RadioOption<V extends string> {
  value: V;
  label: ReactNode;
  /** One line under the label, read out with it. */
  description?: ReactNode;
}

export interface RadioGroupProps<V extends string> {
  legend: ReactNode;
  name: string;
  value: V;
  options: readonly RadioOption<V>[];
  onChange: (value: V) => void;
  disabled?: boolean;
  /** Options side by side when they fit (short labels without descriptions). */
  inline?: boolean;
}

/** A fieldset of radio buttons: arrow keys move between them, the legend names the group. */
export function RadioGroup<V extends string>({ legend, name, value, options, onChange, disabled, inline = false }: RadioGroupProps<V>) {
  const id = useId();
  return (
    <fieldset className={inline ? 'choice-group choice-group--inline' : 'choice-group'} disabled={disabled}>
      <legend className="field__label">{legend}</legend>
      <div className="choice-group__options">
        {options.map((option) => {
          const optionId = `${id}-${option.value}`;
          return (
            <div key={option.value} className="choice">
              <input
                id={optionId}
                type="radio"
                name={name}
                value={option.value}
                checked={value === option.value}
                onChange={() => onChange(option.value)}
                className="choice__input"
                aria-describedby={option.description ? `${optionId}-about` : undefined}
              />
              <label htmlFor={optionId} className="choice__label">
                {option.label}
              </label>
              {option.description ? (
                <p id={`${optionId}-about`} className="choice__about">
                  {option.description}
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
