export interface ProgressBarProps {
  /** The accessible name: what is progressing. */
  label: string;
  value: number;
  max: number;
  /** Visible text under the bar (e.g. "3 of 10 submitted"); also the aria-valuetext. */
  text?: string;
  size?: 'small' | 'normal';
}

/** A determinate progress bar; the fill width is set through the style property, which the CSP allows. */
export function ProgressBar({ label, value, max, text, size = 'normal' }: ProgressBarProps) {
  const safeMax = max > 0 ? max : 1;
  const clamped = Math.min(Math.max(value, 0), safeMax);
  const percent = max > 0 ? Math.round((clamped / safeMax) * 100) : 0;
  return (
    <div className={`progress progress--${size}`}>
      <div
        className="progress__track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={text ?? `${percent}%`}
      >
        <div className="progress__fill" style={{ width: `${percent}%` }} />
      </div>
      {text ? <p className="progress__text">{text}</p> : null}
    </div>
  );
}
