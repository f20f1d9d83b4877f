import { useId, type ComponentProps, type ReactNode } from 'react';
import { Field, describedBy } from './field.tsx';

export interface TextFieldProps extends Omit<ComponentProps<'input'>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
}

export function TextField({ label, hint, error, className, ...rest }: TextFieldProps) {
  const id = useId();
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <input {...rest} id={id} className={['input', className].filter(Boolean).join(' ')} {...describedBy(id, hint, error)} />
    </Field>
  );
}
