import { useId, type ComponentProps, type ReactNode } from 'react';
import { Field, describedBy } from './field.tsx';

export interface TextAreaFieldProps extends Omit<ComponentProps<'textarea'>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
}

export function TextAreaField({ label, hint, error, className, ...rest }: TextAreaFieldProps) {
  const id = useId();
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <textarea
        {...rest}
        id={id}
        className={['input', 'input--multiline', className].filter(Boolean).join(' ')}
        {...describedBy(id, hint, error)}
      />
    </Field>
  );
}
