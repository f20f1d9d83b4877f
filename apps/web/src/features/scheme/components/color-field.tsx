import { useId } from 'react';

export interface ColorFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
}

/** The browser's colour picker with the chosen colour written out, so it can be read and copied. */
export function ColorField({ label, value, onChange }: ColorFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="color-field">
        <input id={id} type="color" className="color-field__input" value={value} onChange={(event) => onChange(event.target.value)} />
        <code className="color-field__hex">
          {value.toLowerCase()}
        </code>
      </div>
    </div>
  );
}
