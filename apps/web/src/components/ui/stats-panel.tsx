import { ProgressBar, type ProgressBarProps } from './progress-bar.tsx';

export interface StatsPanelProps {
  /** Id of the heading, which names the section for assistive technology. */
  titleId: string;
  title: string;
  /** Label and already formatted value, in display order. */
  stats: readonly { label: string; value: string }[];
  bar: Omit<ProgressBarProps, 'size'>;
}

/** A titled panel of counts with a progress bar under them (project and personal progress). */
export function StatsPanel({ titleId, title, stats, bar }: StatsPanelProps) {
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      <dl className="stats">
        {stats.map((stat) => (
          <div key={stat.label}>
            <dt>{stat.label}</dt>
            <dd>{stat.value}</dd>
          </div>
        ))}
      </dl>
      <ProgressBar {...bar} />
    </section>
  );
}
