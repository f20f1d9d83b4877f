import type { ReactNode } from 'react';
import { useT } from '../../../lib/i18n/use-t.ts';

export interface ChartFrameProps {
  id: string;
  title: string;
  /** One sentence on how to read the picture. */
  help?: string;
  /** Controls beside the title (the heatmap's measure). */
  controls?: ReactNode;
  legend?: ReactNode;
  /** The picture's numbers as a table, folded away under "Show as table". */
  table: ReactNode;
  children: ReactNode;
}

/** A picture with its title, how to read it, its legend and its numbers as a table. */
export function ChartFrame({ id, title, help, controls, legend, table, children }: ChartFrameProps) {
  const t = useT();
  return (
    <section className="panel chart" aria-labelledby={`${id}-title`}>
      <div className="chart__head">
        <h3 id={`${id}-title`}>{title}</h3>
        {controls}
      </div>
      {help ? <p className="chart__help">{help}</p> : null}
      <div className="chart__picture">{children}</div>
      {legend}
      <details className="chart__table">
        <summary>{t('agreement.showTable')}</summary>
        {table}
      </details>
    </section>
  );
}

/** Shortens a name for a chart axis; the full name stays in titles and tables. */
export function shortName(name: string, max = 14): string {
  const letters = Array.from(name);
  return letters.length <= max ? name : `${letters.slice(0, max - 1).join('')}…`;
}
