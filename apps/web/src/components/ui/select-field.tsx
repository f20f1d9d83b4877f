import { useId, type ReactNode, type SelectHTMLAttributes } from 'react';

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> {
  label: ReactNode;
  options: readonly { value: string; label: string }[];
  /** Label beside the control instead of above it (for toolbars). */
  inline?: boolean;
}

export function SelectField({ label, options, inline = false, className, ...rest }: SelectFieldProps) {
  const id = useId();
  return (
    <div className={inline ? 'field field--inline' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <select {...rest} id={id} className={['input', 'input--select', className].filter(Boolean).join(' ')}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
