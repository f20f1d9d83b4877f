import type { ButtonHTMLAttributes } from 'react';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'quiet' | 'danger';
  /** Shows the button as working: disabled and aria-busy. */
  busy?: boolean;
}

export function Button({ variant = 'secondary', busy = false, className, type = 'button', disabled, ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      className={['button', `button--${variant}`, className].filter(Boolean).join(' ')}
    />
  );
}
