import type { AgreementReport } from '@warrant/contracts';
import { Table, type Column } from '../../../components/ui/table.tsx';
import { estimateText, figureText } from '../../../lib/coefficients.ts';
import { useFormatNumber, useLocale, useT } from '../../../lib/i18n/use-t.ts';

type Pair = AgreementReport['pairs'][number];
type Annotator = AgreementReport['perAnnotator'][number];
type Label = AgreementReport['spans']['perLabel'][number];

export interface FigureTablesProps {
  report: AgreementReport;
  nameOf: (annotatorId: string) => string;
  labelName: (key: string) => string;
}

/** The report's figures in full: per annotator pair, per annotator against the rest, per label. */
export function FigureTables({ report, nameOf, labelName }: FigureTablesProps) {
  const t = useT();
  const locale = useLocale();
  const formatNumber = useFormatNumber();
  const est = (value: Parameters<typeof estimateText>[0]) => estimateText(value, locale, t);
  const fig = (value: number | null) => figureText(value, locale, t);

  const pairColumns: Column<Pair>[] = [
    { id: 'pair', header: t('agreement.col.pair'), className: 'nowrap', cell: (pair) => `${nameOf(pair.a)} – ${nameOf(pair.b)}` },
    { id: 'passages', header: t('agreement.col.passages'), className: 'numeric', cell: (pair) => formatNumber(pair.passages) },
    { id: 'category', header: t('agreement.measure.category'), className: 'numeric', cell: (pair) => est(pair.category) },
    { id: 'unitizing', header: t('agreement.measure.unitizing'), className: 'numeric', cell: (pair) => est(pair.unitizing) },
    { id: 'exact', header: t('agreement.measure.exact'), className: 'numeric', cell: (pair) => fig(pair.exact.f1) },
    { id: 'overlap', header: t('agreement.measure.overlap'), className: 'numeric', cell: (pair) => fig(pair.overlap.f1) },
    { id: 'relations', header: t('agreement.measure.relations'), className: 'numeric', cell: (pair) => est(pair.relations) },
  ];

  const annotatorColumns: Column<Annotator>[] = [
    { id: 'annotator', header: t('agreement.col.annotator'), className: 'nowrap', cell: (row) => nameOf(row.annotator) },
    { id: 'passages', header: t('agreement.col.passages'), className: 'numeric', cell: (row) => formatNumber(row.passages) },
    { id: 'category', header: t('agreement.measure.categoryAlpha'), className: 'numeric', cell: (row) => est(row.category) },
    { id: 'precision', header: t('agreement.col.exactPrecision'), className: 'numeric', cell: (row) => fig(row.exact.precision) },
    { id: 'recall', header: t('agreement.col.exactRecall'), className: 'numeric', cell: (row) => fig(row.exact.recall) },
    { id: 'exact', header: t('agreement.measure.exact'), className: 'numeric', cell: (row) => fig(row.exact.f1) },
    { id: 'overlap', header: t('agreement.measure.overlap'), className: 'numeric', cell: (row) => fig(row.overlap.f1) },
  ];

  const labelColumns: Column<Label>[] = [
    { id: 'label', header: t('agreement.col.label'), className: 'nowrap', cell: (row) => labelName(row.label) },
    { id: 'spans', header: t('agreement.col.spans'), className: 'numeric', cell: (row) => formatNumber(row.spans) },
    { id: 'unitizing', header: t('agreement.measure.unitizing'), className: 'numeric', cell: (row) => est(row.unitizing) },
    { id: 'exact', header: t('agreement.measure.exact'), className: 'numeric', cell: (row) => fig(row.exact.f1) },
    { id: 'overlap', header: t('agreement.measure.overlap'), className: 'numeric', cell: (row) => fig(row.overlap.f1) },
  ];

  return (
    <section aria-labelledby="agreement-tables-title" className="stack">
      <h2 id="agreement-tables-title">{t('agreement.tables')}</h2>
      <p className="muted">{t('agreement.tables.help')}</p>
      <Table caption={t('agreement.table.pairs')} columns={pairColumns} rows={report.pairs} rowKey={(pair) => `${pair.a}|${pair.b}`} />
      <Table caption={t('agreement.table.annotators')} columns={annotatorColumns} rows={report.perAnnotator} rowKey={(row) => row.annotator} />
      <Table caption={t('agreement.table.labels')} columns={labelColumns} rows={report.spans.perLabel} rowKey={(row) => row.label} />
    </section>
  );
}
