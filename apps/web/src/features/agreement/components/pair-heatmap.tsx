import type { AgreementReport } from '@warrant/contracts';
import { useId } from 'react';
import { SelectField } from '../../../components/ui/select-field.tsx';
import { estimateText, formatCoefficient } from '../../../lib/coefficients.ts';
import { useLocale, useT } from '../../../lib/i18n/use-t.ts';
import { BELOW_ZERO_COLOR, colorFor, inkFor, legendSteps } from '../core/color-scale.ts';
import { HEATMAP_MEASURES, type HeatmapMeasure } from '../core/filters.ts';
import { heatmapCells } from '../core/heatmap.ts';
import { ChartFrame, shortName } from './chart-frame.tsx';
import { useMeasureName } from './measure-names.ts';

export interface PairHeatmapProps {
  report: AgreementReport;
  measure: HeatmapMeasure;
  onMeasureChange: (measure: HeatmapMeasure) => void;
  nameOf: (annotatorId: string) => string;
}

const LABEL_WIDTH = 128;
const HEAD_HEIGHT = 92;
/** Room on the right for the last column's slanted name. */
const HEAD_OVERHANG = 64;

/** Annotator x annotator: how well each pair agrees on the chosen measure. */
export function PairHeatmap({ report, measure, onMeasureChange, nameOf }: PairHeatmapProps) {
  const t = useT();
  const locale = useLocale();
  const measureName = useMeasureName();
  // The id goes into url(#…): keep only characters that need no escaping there.
  const hatch = `hatch-${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const cells = heatmapCells(report, measure);
  const n = report.annotators.length;
  const size = n <= 4 ? 64 : n <= 8 ? 52 : 40;
  const width = LABEL_WIDTH + n * size + HEAD_OVERHANG;
  const height = HEAD_HEIGHT + n * size + 4;
  const title = t('agreement.heatmap.title', { measure: measureName(measure) });

  const picture =
    n < 2 ? (
      <p className="muted">{t('agreement.heatmap.fewAnnotators')}</p>
    ) : (
      <svg
        className="heatmap"
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        role="group"
        aria-label={title}
      >
        <defs>
          <pattern id={hatch} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#f1efe9" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#b9b3a8" strokeWidth="2" />
          </pattern>
        </defs>
        {report.annotators.map((annotator, j) => (
          <text
            key={`head-${annotator.id}`}
            className="heatmap__head"
            transform={`translate(${LABEL_WIDTH + j * size + size / 2}, ${HEAD_HEIGHT - 8}) rotate(-40)`}
            aria-hidden="true"
          >
            <title>{nameOf(annotator.id)}</title>
            {shortName(nameOf(annotator.id))}
          </text>
        ))}
        {cells.map((row, i) => (
          <g key={row[0]?.row ?? i}>
            <text className="heatmap__row" x={LABEL_WIDTH - 8} y={HEAD_HEIGHT + i * size + size / 2} aria-hidden="true">
              <title>{nameOf(report.annotators[i]?.id ?? '')}</title>
              {shortName(nameOf(report.annotators[i]?.id ?? ''))}
            </text>
            {row.map((cell, j) => {
              const x = LABEL_WIDTH + j * size;
              const y = HEAD_HEIGHT + i * size;
              if (cell.self) {
                return <rect key={cell.column} x={x + 1} y={y + 1} width={size - 2} height={size - 2} className="heatmap__self" aria-hidden="true" />;
              }
              const value = cell.estimate.value;
              const label = t('agreement.heatmap.cell', {
                a: nameOf(cell.row),
                b: nameOf(cell.column),
                value: estimateText(cell.estimate, locale, t),
                count: cell.passages,
              });
              return (
                <g key={cell.column} role="img" aria-label={label}>
                  <title>{label}</title>
                  <rect
                    x={x + 1}
                    y={y + 1}
                    width={size - 2}
                    height={size - 2}
                    rx="3"
                    fill={value === null ? `url(#${hatch})` : colorFor(value)}
                  />
                  <text
                    x={x + size / 2}
                    y={y + size / 2}
                    className="heatmap__value"
                    fill={value === null ? '#565d66' : inkFor(value)}
                    aria-hidden="true"
                  >
                    {value === null ? '–' : formatCoefficient(value, locale)}
                  </text>
                </g>
              );
            })}
          </g>
        ))}
      </svg>
    );

  const legend =
    n < 2 ? null : (
      <div className="legend" aria-hidden="true">
        <span className="legend__scale">
          <span>0</span>
          {legendSteps().map((step) => (
            <span key={step.from} className="legend__step" style={{ backgroundColor: step.color }} />
          ))}
          <span>1</span>
        </span>
        <span className="legend__item">
          <span className="legend__swatch" style={{ backgroundColor: BELOW_ZERO_COLOR }} />
          {t('agreement.legend.belowZero')}
        </span>
        <span className="legend__item">
          <span className="legend__swatch legend__swatch--hatched" />
          {t('agreement.legend.undefined')}
        </span>
      </div>
    );

  const table = (
    <div className="table-wrap">
      <table className="table table--compact">
        <caption className="table__caption">{title}</caption>
        <thead>
          <tr>
            <td />
            {report.annotators.map((annotator) => (
              <th key={annotator.id} scope="col">
                {nameOf(annotator.id)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cells.map((row, i) => (
            <tr key={report.annotators[i]?.id ?? i}>
              <th scope="row">{nameOf(report.annotators[i]?.id ?? '')}</th>
              {row.map((cell) => (
                <td key={cell.column} className="numeric">
                  {cell.self ? '—' : estimateText(cell.estimate, locale, t)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

  return (
    <ChartFrame
      id="heatmap"
      title={t('agreement.heatmap.heading')}
      help={t('agreement.heatmap.help')}
      controls={
        <SelectField
          inline
          label={t('agreement.heatmap.measure')}
          value={measure}
          onChange={(event) => onMeasureChange(event.target.value as HeatmapMeasure)}
          options={HEATMAP_MEASURES.map((value) => ({ value, label: measureName(value) }))}
        />
      }
      legend={legend}
      table={table}
    >
      {picture}
    </ChartFrame>
  );
}
