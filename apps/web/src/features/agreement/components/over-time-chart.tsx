import type { AgreementReport } from '@warrant/contracts';
import { figureText, formatCoefficient } from '../../../lib/coefficients.ts';
import { useFormatNumber, useLocale, useT } from '../../../lib/i18n/use-t.ts';
import { coefficientAxis, position } from '../core/chart-scale.ts';
import { ChartFrame } from './chart-frame.tsx';
import { ChartTable } from './chart-table.tsx';

type Bucket = AgreementReport['overTime'][number];
type Series = 'category' | 'unitizing' | 'exactF1';
const SERIES: readonly Series[] = ['category', 'unitizing', 'exactF1'];

const LEFT = 44;
const RIGHT = 16;
const TOP = 12;
const PLOT_HEIGHT = 180;
const BOTTOM = 40;
const MIN_STEP = 56;

/** A marker shape per series, so the lines tell apart without colour too. */
function Marker({ series, x, y }: { series: Series; x: number; y: number }) {
  if (series === 'category') return <circle cx={x} cy={y} r={4.5} className={`line__marker line__marker--${series}`} />;
  if (series === 'unitizing') return <rect x={x - 4} y={y - 4} width={8} height={8} className={`line__marker line__marker--${series}`} />;
  return <path d={`M ${x} ${y - 5} L ${x + 5} ${y + 4} L ${x - 5} ${y + 4} Z`} className={`line__marker line__marker--${series}`} />;
}

/** Agreement week by week (the week each passage's last set was submitted in). */
export function OverTimeChart({ report }: { report: AgreementReport }) {
  const t = useT();
  const locale = useLocale();
  const formatNumber = useFormatNumber();
  const weeks = report.overTime;
  const seriesName = (series: Series) =>
    series === 'category' ? t('agreement.measure.categoryAlpha') : series === 'unitizing' ? t('agreement.measure.unitizing') : t('agreement.measure.exact');
  const weekLabel = (week: string) =>
    new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${week}T00:00:00Z`));
  const weekLong = (week: string) =>
    new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${week}T00:00:00Z`));

  const axis = coefficientAxis(weeks.flatMap((bucket) => SERIES.map((series) => bucket[series])));
  const step = MIN_STEP;
  const plotWidth = Math.max(step * Math.max(weeks.length - 1, 1), 280);
  const width = LEFT + plotWidth + RIGHT;
  const height = TOP + PLOT_HEIGHT + BOTTOM;
  const xOf = (i: number) => LEFT + (weeks.length === 1 ? plotWidth / 2 : (i * plotWidth) / (weeks.length - 1));
  const yOf = (value: number) => TOP + PLOT_HEIGHT - position(axis, value, PLOT_HEIGHT);
  // Label every week when they fit, else every other one.
  const labelEvery = weeks.length > 10 ? Math.ceil(weeks.length / 10) : 1;

  const lines = SERIES.map((series) => {
    // A gap (undefined week) breaks the line rather than bridging it.
    const parts: string[] = [];
    let current = '';
    weeks.forEach((bucket: Bucket, i) => {
      const value = bucket[series];
      if (value === null) {
        if (current) parts.push(current);
        current = '';
        return;
      }
      current += `${current ? ' L' : 'M'} ${xOf(i)} ${yOf(value)}`;
    });
    if (current) parts.push(current);
    return { series, d: parts.join(' ') };
  });

  const picture =
    weeks.length === 0 ? (
      <p className="muted">{t('agreement.time.none')}</p>
    ) : (
      <svg className="line-chart" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="group" aria-label={t('agreement.time.title')}>
        {axis.ticks.map((tick) => (
          <g key={tick} aria-hidden="true">
            <line x1={LEFT} x2={LEFT + plotWidth} y1={yOf(tick)} y2={yOf(tick)} className={tick === 0 ? 'axis__zero' : 'axis__grid'} />
            <text x={LEFT - 6} y={yOf(tick)} className="axis__tick axis__tick--y">
              {formatCoefficient(tick, locale)}
            </text>
          </g>
        ))}
        {weeks.map((bucket, i) =>
          i % labelEvery === 0 ? (
            <text key={bucket.week} x={xOf(i)} y={TOP + PLOT_HEIGHT + 16} className="axis__tick" aria-hidden="true">
              {weekLabel(bucket.week)}
            </text>
          ) : null,
        )}
        {lines.map((line) => (line.d ? <path key={line.series} d={line.d} className={`line__path line__path--${line.series}`} aria-hidden="true" /> : null))}
        {weeks.map((bucket, i) => {
          const label = t('agreement.time.point', {
            week: weekLong(bucket.week),
            count: bucket.passages,
            category: figureText(bucket.category, locale, t),
            unitizing: figureText(bucket.unitizing, locale, t),
            exact: figureText(bucket.exactF1, locale, t),
          });
          return (
            <g key={bucket.week} role="img" aria-label={label}>
              <title>{label}</title>
              {/* A wide invisible target so the tooltip is easy to reach with the mouse. */}
              <rect x={xOf(i) - 12} y={TOP} width={24} height={PLOT_HEIGHT} className="line__hit" />
              {SERIES.map((series) => {
                const value = bucket[series];
                return value === null ? null : <Marker key={series} series={series} x={xOf(i)} y={yOf(value)} />;
              })}
            </g>
          );
        })}
      </svg>
    );

  const legend = (
    <div className="legend" aria-hidden="true">
      {SERIES.map((series) => (
        <span key={series} className="legend__item">
          <svg width="16" height="12" className="legend__marker">
            <Marker series={series} x={8} y={6} />
          </svg>
          {seriesName(series)}
        </span>
      ))}
    </div>
  );

  const table = (
    <ChartTable
      caption={t('agreement.time.title')}
      columns={[t('agreement.col.week'), t('agreement.col.passages'), ...SERIES.map(seriesName)]}
      rows={weeks}
      rowKey={(bucket) => bucket.week}
      cells={(bucket) => [weekLong(bucket.week), formatNumber(bucket.passages), ...SERIES.map((series) => figureText(bucket[series], locale, t))]}
    />
  );

  return (
    <ChartFrame id="over-time" title={t('agreement.time.title')} help={t('agreement.time.help')} legend={weeks.length > 0 ? legend : null} table={table}>
      {picture}
    </ChartFrame>
  );
}
