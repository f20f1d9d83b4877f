import type { AgreementReport, Estimate, PairFigures } from '@warrant/contracts';
import type { HeatmapMeasure } from './filters.ts';

export interface HeatCell {
  row: string;
  column: string;
  /** The annotator against themself: no figure. */
  self: boolean;
  estimate: Estimate;
  /** Passages both annotators submitted. */
  passages: number;
}

const NOTHING: Estimate = { value: null, low: null, high: null, reason: 'nothing-to-compare' };

function f1Estimate(value: number | null): Estimate {
  return value === null ? NOTHING : { value, low: null, high: null, reason: null };
}

/** One pair's figure for a measure; F1 has no interval, so only its value. */
export function pairEstimate(pair: PairFigures, measure: HeatmapMeasure): Estimate {
  switch (measure) {
    case 'category':
      return pair.category;
    case 'unitizing':
      return pair.unitizing;
    case 'exact':
      return f1Estimate(pair.exact.f1);
    case 'overlap':
      return f1Estimate(pair.overlap.f1);
    case 'relations':
      return pair.relations;
  }
}

/**
 * The annotator x annotator matrix, in the report's annotator order. Every measure here is
 * symmetric, so a pair's figure fills both of its cells; a pair who never shared a passage has
 * nothing to compare.
 */
export function heatmapCells(report: Pick<AgreementReport, 'annotators' | 'pairs'>, measure: HeatmapMeasure): HeatCell[][] {
  const byPair = new Map<string, PairFigures>();
  for (const pair of report.pairs) {
    byPair.set(`${pair.a}|${pair.b}`, pair);
    byPair.set(`${pair.b}|${pair.a}`, pair);
  }
  return report.annotators.map((row) =>
    report.annotators.map((column) => {
      if (row.id === column.id) return { row: row.id, column: column.id, self: true, estimate: NOTHING, passages: 0 };
      const pair = byPair.get(`${row.id}|${column.id}`);
      return {
        row: row.id,
        column: column.id,
        self: false,
        estimate: pair ? pairEstimate(pair, measure) : NOTHING,
        passages: pair?.passages ?? 0,
      };
    }),
  );
}

/** Pairs once each (upper triangle), for the heatmap's table. */
export function uniquePairs(cells: HeatCell[][]): HeatCell[] {
  return cells.flatMap((row, i) => row.filter((_, j) => j > i));
}
