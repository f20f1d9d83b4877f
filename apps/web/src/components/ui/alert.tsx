import type { ReactNode } from 'react';

export interface AlertProps {
  tone: 'error' | 'success' | 'info' | 'warning';
  title?: ReactNode;
  children?: ReactNode;
  /** Errors interrupt (role=alert); other news waits its turn (role=status). */
  live?: boolean;
  className?: string;
}

export function Alert({ tone, title, children, live = true, className }: AlertProps) {
  const role = live ? (tone === 'error' ? 'alert' : 'status') : undefined;
  return (
    <div role={role} className={['alert', `alert--${tone}`, className].filter(Boolean).join(' ')}>
      {title ? <p className="alert__title">{title}</p> : null}
      {children ? <div className="alert__body">{children}</div> : null}
    </div>
  );
}
