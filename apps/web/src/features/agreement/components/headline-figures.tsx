import type { AgreementReport, Estimate } from '@warrant/contracts';
import { formatCoefficient, formatInterval, reasonText } from '../../../lib/coefficients.ts';
import { useFormatNumber, useLocale, useT } from '../../../lib/i18n/use-t.ts';

interface Figure {
  id: string;
  label: string;
  estimate: Estimate;
  /** What the figure is over ("12 passages"). */
  basis?: string;
}

/** A coefficient as the big figure of a card: value and interval, or "undefined" and why. */
export function FigureValue({ estimate }: { estimate: Estimate }) {
  const t = useT();
  const locale = useLocale();
  if (estimate.value === null) {
    return (
      <>
        <span className="figure__value figure__value--undefined">{t('figures.undefined')}</span>{' '}
        <span className="figure__reason">({reasonText(estimate.reason, t)})</span>
      </>
    );
  }
  const interval = formatInterval(estimate.low, estimate.high, locale);
  return (
    <>
      <span className="figure__value">{formatCoefficient(estimate.value, locale)}</span>
      {interval ? (
        <>
          {' '}
          <span className="figure__interval">({interval})</span>
        </>
      ) : null}
    </>
  );
}

const f1 = (value: number | null): Estimate =>
  value === null ? { value: null, low: null, high: null, reason: 'nothing-to-compare' } : { value, low: null, high: null, reason: null };

/** The report's headline: how many passages, and the overall coefficient of each kind. */
export function HeadlineFigures({ report }: { report: AgreementReport }) {
  const t = useT();
  const formatNumber = useFormatNumber();
  const figures: Figure[] = [
    { id: 'category-alpha', label: t('agreement.fig.categoryAlpha'), estimate: report.category.alpha, basis: t('agreement.basis.categorised', { count: report.category.items }) },
  ];
  if (report.category.cohenKappa) figures.push({ id: 'category-cohen', label: t('agreement.fig.cohenKappa'), estimate: report.category.cohenKappa });
  if (report.category.fleissKappa) figures.push({ id: 'category-fleiss', label: t('agreement.fig.fleissKappa'), estimate: report.category.fleissKappa });
  figures.push(
    { id: 'unitizing', label: t('agreement.fig.unitizing'), estimate: report.spans.unitizing, basis: t('agreement.basis.spans', { count: report.spans.count }) },
    { id: 'exact', label: t('agreement.fig.exactF1'), estimate: f1(report.spans.exact.f1) },
    { id: 'overlap', label: t('agreement.fig.overlapF1'), estimate: f1(report.spans.overlap.f1) },
    {
      id: 'relations',
      label: t('agreement.fig.relationAlpha'),
      estimate: report.relations.alpha,
      basis: t('agreement.basis.matchedSpans', { count: report.relations.matchedSpans }),
    },
  );
  if (report.relations.fleissKappa) figures.push({ id: 'relations-fleiss', label: t('agreement.fig.relationFleiss'), estimate: report.relations.fleissKappa });

  return (
    <section className="panel" aria-labelledby="agreement-overall-title">
      <h2 id="agreement-overall-title">{t('agreement.overall')}</h2>
      <p className="muted figures__intro">{t('agreement.intervalNote')}</p>
      <dl className="figures" aria-labelledby="agreement-overall-title">
        <div className="figure">
          <dt>{t('agreement.fig.passages')}</dt>
          <dd>
            <span className="figure__value">{formatNumber(report.passages)}</span>
          </dd>
        </div>
        {figures.map((figure) => (
          <div className="figure" key={figure.id}>
            <dt>{figure.label}</dt>
            <dd>
              <FigureValue estimate={figure.estimate} />
            </dd>
            {figure.basis ? <dd className="figure__basis">{figure.basis}</dd> : null}
          </div>
        ))}
      </dl>
    </section>
  );
}
