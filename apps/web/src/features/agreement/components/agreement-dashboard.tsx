import type { LabelScheme } from '@warrant/domain';
import { Link } from 'react-router';
import { Loading } from '../../../components/ui/loading.tsx';
import { useFormatNumber, useLocale, useT } from '../../../lib/i18n/use-t.ts';
import { paths } from '../../../lib/paths.ts';
import { useAgreementReport } from '../api/agreement.ts';
import type { AgreementFilters } from '../core/filters.ts';
import { AgreementFiltersPanel, type FilterOption } from './agreement-filters.tsx';
import { FigureTables } from './figure-tables.tsx';
import { HeadlineFigures } from './headline-figures.tsx';
import { LabelBars } from './label-bars.tsx';
import { OverTimeChart } from './over-time-chart.tsx';
import { PairHeatmap } from './pair-heatmap.tsx';
import { ProgressChart } from './progress-chart.tsx';
import './agreement.css';
import { QueryError } from '../../../components/query-error.tsx';

export interface AgreementDashboardProps {
  projectId: string;
  /** The project's scheme as shown (label names in the interface language). */
  scheme: LabelScheme;
  /** Every annotator of the project, for the filter (the report lists only those in the filter). */
  annotators: readonly FilterOption[];
  filters: AgreementFilters;
  onFiltersChange: (filters: AgreementFilters) => void;
}

/** A lead's view of how well the annotators agree: headline figures, pictures, tables. */
export function AgreementDashboard({ projectId, scheme, annotators, filters, onFiltersChange }: AgreementDashboardProps) {
  const t = useT();
  const locale = useLocale();
  const formatNumber = useFormatNumber();
  const report = useAgreementReport(projectId, filters);

  const labels: FilterOption[] = scheme.spanLabels.map((label) => ({ value: label.key, label: label.name, color: label.color }));
  const labelName = (key: string) =>
    scheme.spanLabels.find((label) => label.key === key)?.name ?? report.data?.labels.find((label) => label.key === key)?.name ?? key;
  const nameOf = (id: string) => {
    const known = report.data?.annotators.find((annotator) => annotator.id === id);
    if (known) return known.displayName || known.username;
    return annotators.find((option) => option.value === id)?.label ?? id;
  };

  const filtersPanel = <AgreementFiltersPanel filters={filters} labels={labels} annotators={annotators} onChange={onFiltersChange} />;

  if (report.isPending) {
    return (
      <>
        {filtersPanel}
        <Loading label={t('agreement.loading')} />
      </>
    );
  }
  if (report.isError) {
    return (
      <>
        {filtersPanel}
        <QueryError error={report.error} onRetry={() => report.refetch()} />
      </>
    );
  }

  const data = report.data;
  const generated = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(data.generatedAt));
  return (
    <div className={report.isPlaceholderData ? 'agreement agreement--stale' : 'agreement'} aria-busy={report.isFetching || undefined}>
      {filtersPanel}
      {data.passages === 0 ? (
        <div className="panel">
          <p>{t('agreement.empty')}</p>
          <p className="muted">{t('agreement.emptyHelp')}</p>
        </div>
      ) : (
        <>
          <HeadlineFigures report={data} />
          <p className="agreement__queue-link">
            <Link to={paths.projectDisagreements(projectId)}>{t('agreement.toQueue')}</Link>
          </p>
          <h2 className="visually-hidden">{t('agreement.pictures')}</h2>
          <div className="charts">
            <PairHeatmap
              report={data}
              measure={filters.measure}
              onMeasureChange={(measure) => onFiltersChange({ ...filters, measure })}
              nameOf={nameOf}
            />
            <LabelBars report={data} labelName={labelName} />
            <OverTimeChart report={data} />
            <ProgressChart report={data} nameOf={nameOf} />
          </div>
          <FigureTables report={data} nameOf={nameOf} labelName={labelName} />
        </>
      )}
      <p className="agreement__meta">
        {t('agreement.generated', { at: generated, ms: formatNumber(Math.round(data.tookMs)) })}
      </p>
    </div>
  );
}
