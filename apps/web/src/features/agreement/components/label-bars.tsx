import type { AgreementReport, Estimate } from '@warrant/contracts';
import { estimateText, figureText, formatCoefficient, reasonText } from '../../../lib/coefficients.ts';
import { useFormatNumber, useLocale, useT } from '../../../lib/i18n/use-t.ts';
import { coefficientAxis, position } from '../core/chart-scale.ts';
import { ChartFrame, shortName } from './chart-frame.tsx';
import { ChartTable } from './chart-table.tsx';

const NAME_WIDTH = 138;
const PLOT_WIDTH = 340;
const VALUE_WIDTH = 56;
const BAR = 12;
const BAR_GAP = 3;
const GROUP_GAP = 16;
const TOP = 8;
const AXIS_HEIGHT = 24;

type Series = 'unitizing' | 'exact' | 'overlap';
const SERIES: readonly Series[] = ['unitizing', 'exact', 'overlap'];

interface Bar {
  series: Series;
  estimate: Estimate;
}

const f1 = (value: number | null): Estimate =>
  value === null ? { value: null, low: null, high: null, reason: 'nothing-to-compare' } : { value, low: null, high: null, reason: null };

/** Per span label: unitizing alpha (with its interval as a whisker) and span F1, exact and overlap. */
export function LabelBars({ report, labelName }: { report: AgreementReport; labelName: (key: string) => string }) {
  const t = useT();
  const locale = useLocale();
  const formatNumber = useFormatNumber();
  const rows = report.spans.perLabel.map((label) => ({
    label,
    bars: [
      { series: 'unitizing', estimate: label.unitizing },
      { series: 'exact', estimate: f1(label.exact.f1) },
      { series: 'overlap', estimate: f1(label.overlap.f1) },
    ] satisfies Bar[],
  }));
  const axis = coefficientAxis(rows.flatMap((row) => row.bars.flatMap((bar) => [bar.estimate.value, bar.estimate.low])));
  const groupHeight = SERIES.length * (BAR + BAR_GAP) - BAR_GAP;
  const height = TOP + rows.length * (groupHeight + GROUP_GAP) + AXIS_HEIGHT;
  const width = NAME_WIDTH + PLOT_WIDTH + VALUE_WIDTH;
  const x = (value: number) => NAME_WIDTH + position(axis, value, PLOT_WIDTH);
  const seriesName = (series: Series) =>
    series === 'unitizing' ? t('agreement.measure.unitizing') : series === 'exact' ? t('agreement.measure.exact') : t('agreement.measure.overlap');
  const colorOf = (key: string) => report.labels.find((label) => label.key === key)?.color ?? '#888888';

  const picture =
    rows.length === 0 ? (
      <p className="muted">{t('agreement.labels.none')}</p>
    ) : (
      <svg className="bars" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="group" aria-label={t('agreement.labels.title')}>
        {axis.ticks.map((tick) => (
          <g key={tick} aria-hidden="true">
            <line x1={x(tick)} x2={x(tick)} y1={TOP - 4} y2={height - AXIS_HEIGHT} className={tick === 0 ? 'axis__zero' : 'axis__grid'} />
            <text x={x(tick)} y={height - AXIS_HEIGHT + 16} className="axis__tick">
              {formatCoefficient(tick, locale)}
            </text>
          </g>
        ))}
        {rows.map((row, i) => {
          const top = TOP + i * (groupHeight + GROUP_GAP);
          return (
            <g key={row.label.label}>
              <rect x={0} y={top + groupHeight / 2 - 6} width={12} height={12} rx={2} fill={colorOf(row.label.label)} aria-hidden="true" />
              <text x={18} y={top + groupHeight / 2} className="bars__name" aria-hidden="true">
                <title>{labelName(row.label.label)}</title>
                {shortName(labelName(row.label.label), 15)}
              </text>
              {row.bars.map((bar, k) => {
                const y = top + k * (BAR + BAR_GAP);
                const name = t('agreement.labels.bar', {
                  label: labelName(row.label.label),
                  measure: seriesName(bar.series),
                  value: estimateText(bar.estimate, locale, t),
                });
                const value = bar.estimate.value;
                if (value === null) {
                  return (
                    <g key={bar.series} role="img" aria-label={name}>
                      <title>{name}</title>
                      <text x={x(0) + 4} y={y + BAR / 2} className="bars__undefined" aria-hidden="true">
                        {t('figures.undefined')} ({reasonText(bar.estimate.reason, t)})
                      </text>
                    </g>
                  );
                }
                const from = x(Math.min(0, value));
                const to = x(Math.max(0, value));
                const { low, high } = bar.estimate;
                return (
                  <g key={bar.series} role="img" aria-label={name}>
                    <title>{name}</title>
                    <rect x={from} y={y} width={Math.max(1, to - from)} height={BAR} className={`bars__bar bars__bar--${bar.series}`} />
                    {value < axis.min ? (
                      // Beyond the axis (alpha can fall below -1): an arrowhead says the bar goes on.
                      <path d={`M ${x(axis.min) - 7} ${y + BAR / 2} L ${x(axis.min)} ${y - 1} L ${x(axis.min)} ${y + BAR + 1} Z`} className="bars__beyond" aria-hidden="true" />
                    ) : null}
                    {low !== null && high !== null ? (
                      <g className="bars__whisker" aria-hidden="true">
                        <line x1={x(low)} x2={x(high)} y1={y + BAR / 2} y2={y + BAR / 2} />
                        <line x1={x(low)} x2={x(low)} y1={y + 1} y2={y + BAR - 1} />
                        <line x1={x(high)} x2={x(high)} y1={y + 1} y2={y + BAR - 1} />
                      </g>
                    ) : null}
                    <text x={NAME_WIDTH + PLOT_WIDTH + 6} y={y + BAR / 2} className="bars__value" aria-hidden="true">
                      {formatCoefficient(value, locale)}
                    </text>
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
      {SERIES.map((series) => (
        <span key={series} className="legend__item">
          <span className={`legend__swatch legend__swatch--${series}`} />
          {seriesName(series)}
        </span>
      ))}
      <span className="legend__item">
        <span className="legend__whisker" />
        {t('agreement.legend.interval')}
      </span>
    </div>
  );

  const table = (
    <ChartTable
      caption={t('agreement.labels.title')}
      columns={[t('agreement.col.label'), t('agreement.col.spans'), t('agreement.measure.unitizing'), t('agreement.measure.exact'), t('agreement.measure.overlap')]}
      rows={report.spans.perLabel}
      rowKey={(label) => label.label}
      cells={(label) => [
        labelName(label.label),
        formatNumber(label.spans),
        estimateText(label.unitizing, locale, t),
        figureText(label.exact.f1, locale, t),
        figureText(label.overlap.f1, locale, t),
      ]}
    />
  );

  return (
    <ChartFrame id="labels" title={t('agreement.labels.title')} help={t('agreement.labels.help')} legend={legend} table={table}>
      {picture}
    </ChartFrame>
  );
}
