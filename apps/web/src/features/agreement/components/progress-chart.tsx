import type { AgreementReport } from '@warrant/contracts';
import { useFormatNumber, useT } from '../../../lib/i18n/use-t.ts';
import { countAxis, position } from '../core/chart-scale.ts';
import { ChartFrame, shortName } from './chart-frame.tsx';
import { ChartTable } from './chart-table.tsx';

type Part = 'submitted' | 'draft' | 'skipped';
const PARTS: readonly Part[] = ['submitted', 'draft', 'skipped'];

const NAME_WIDTH = 130;
const PLOT_WIDTH = 330;
const RIGHT = 40;
const BAR = 18;
const GAP = 10;
const TOP = 6;
const AXIS_HEIGHT = 24;

/** Each annotator's annotation sets, stacked by status. */
export function ProgressChart({ report, nameOf }: { report: AgreementReport; nameOf: (annotatorId: string) => string }) {
  const t = useT();
  const formatNumber = useFormatNumber();
  const rows = report.progress;
  const partName = (part: Part) => (part === 'submitted' ? t('status.submitted') : part === 'draft' ? t('status.draft') : t('status.skipped'));
  const axis = countAxis(Math.max(0, ...rows.map((row) => row.submitted + row.draft + row.skipped)));
  const height = TOP + rows.length * (BAR + GAP) + AXIS_HEIGHT;
  const width = NAME_WIDTH + PLOT_WIDTH + RIGHT;
  const x = (value: number) => NAME_WIDTH + position(axis, value, PLOT_WIDTH);

  const picture =
    rows.length === 0 ? (
      <p className="muted">{t('agreement.progress.none')}</p>
    ) : (
      <svg className="bars" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="group" aria-label={t('agreement.progress.title')}>
        {axis.ticks.map((tick) => (
          <g key={tick} aria-hidden="true">
            <line x1={x(tick)} x2={x(tick)} y1={TOP - 4} y2={height - AXIS_HEIGHT} className={tick === 0 ? 'axis__zero' : 'axis__grid'} />
            <text x={x(tick)} y={height - AXIS_HEIGHT + 16} className="axis__tick">
              {formatNumber(tick)}
            </text>
          </g>
        ))}
        {rows.map((row, i) => {
          const y = TOP + i * (BAR + GAP);
          const label = t('agreement.progress.row', {
            name: nameOf(row.annotator),
            submitted: row.submitted,
            draft: row.draft,
            skipped: row.skipped,
          });
          let offset = 0;
          return (
            <g key={row.annotator} role="img" aria-label={label}>
              <title>{label}</title>
              <text x={NAME_WIDTH - 8} y={y + BAR / 2} className="bars__row-name" aria-hidden="true">
                {shortName(nameOf(row.annotator), 16)}
              </text>
              {PARTS.map((part) => {
                const count = row[part];
                const from = x(offset);
                offset += count;
                const to = x(offset);
                if (count === 0) return null;
                return (
                  <g key={part} aria-hidden="true">
                    <rect x={from} y={y} width={Math.max(1, to - from)} height={BAR} className={`stack stack--${part}`} />
                    {to - from >= 22 ? (
                      <text x={(from + to) / 2} y={y + BAR / 2} className={`stack__count stack__count--${part}`}>
                        {formatNumber(count)}
                      </text>
                    ) : null}
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
    );

  const legend = (
    <div className="legend" aria-hidden="true">
      {PARTS.map((part) => (
        <span key={part} className="legend__item">
          <span className={`legend__swatch stack--${part}`} />
          {partName(part)}
        </span>
      ))}
    </div>
  );

  const table = (
    <ChartTable
      caption={t('agreement.progress.title')}
      columns={[t('agreement.col.annotator'), t('progress.assigned'), ...PARTS.map(partName)]}
      rows={rows}
      rowKey={(row) => row.annotator}
      cells={(row) => [nameOf(row.annotator), formatNumber(row.assigned), ...PARTS.map((part) => formatNumber(row[part]))]}
    />
  );

  return (
    <ChartFrame id="progress" title={t('agreement.progress.title')} legend={rows.length > 0 ? legend : null} table={table}>
      {picture}
    </ChartFrame>
  );
}
