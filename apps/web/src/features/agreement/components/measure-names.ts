import { useT } from '../../../lib/i18n/use-t.ts';
import type { HeatmapMeasure } from '../core/filters.ts';

/** The heatmap measures' names in the interface language. */
export function useMeasureName(): (measure: HeatmapMeasure) => string {
  const t = useT();
  return (measure) => {
    switch (measure) {
      case 'category':
        return t('agreement.measure.category');
      case 'unitizing':
        return t('agreement.measure.unitizing');
      case 'exact':
        return t('agreement.measure.exact');
      case 'overlap':
        return t('agreement.measure.overlap');
      case 'relations':
        return t('agreement.measure.relations');
    }
  };
}
