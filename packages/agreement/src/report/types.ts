import type { UndefinedReason } from '../estimate.ts';

/**
 * A project report as plain JSON-ready data (the studio's API contract, `agreementReport` in
 * @warrant/contracts, is checked against these types where the API returns them). JSON has no
 * NaN: an undefined coefficient is `value: null` with its reason.
 */
/** What a report needs of the label scheme (the domain's LabelScheme fits it). */
export interface ReportScheme {
  spanLabels: { key: string; name: string; color: string }[];
  categories: { key: string }[];
}

export interface ReportEstimate {
  value: number | null;
  low: number | null;
  high: number | null;
  reason: UndefinedReason | null;
}

export interface ReportF1 {
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface ReportPair {
  a: string;
  b: string;
  passages: number;
  category: ReportEstimate;
  unitizing: ReportEstimate;
  exact: ReportF1;
  overlap: ReportF1;
  relations: ReportEstimate;
  perLabel: Record<string, { exact: number | null; overlap: number | null }>;
}

export interface ReportProgressRow {
  annotator: string;
  assigned: number;
  draft: number;
  submitted: number;
  skipped: number;
}

export interface ReportAnnotator {
  id: string;
  username: string;
  displayName: string;
}

export interface ProjectReport {
  passages: number;
  annotators: ReportAnnotator[];
  labels: { key: string; name: string; color: string }[];
  category: { items: number; alpha: ReportEstimate; cohenKappa: ReportEstimate | null; fleissKappa: ReportEstimate | null };
  spans: {
    count: number;
    unitizing: ReportEstimate;
    exact: ReportF1;
    overlap: ReportF1;
    perLabel: { label: string; name: string; spans: number; unitizing: ReportEstimate; exact: ReportF1; overlap: ReportF1 }[];
  };
  relations: { matchedSpans: number; items: number; alpha: ReportEstimate; fleissKappa: ReportEstimate | null };
  pairs: ReportPair[];
  perAnnotator: { annotator: string; passages: number; category: ReportEstimate; exact: ReportF1; overlap: ReportF1 }[];
  overTime: { week: string; passages: number; category: number | null; unitizing: number | null; exactF1: number | null }[];
  progress: ReportProgressRow[];
}

/** One passage's figures for a disagreement queue. */
export interface PassageDisagreement {
  /** 0 (all agree) to 1: the mean of the category, span and relation disagreement shares. */
  disagreement: number;
  categories: { category: string | null; count: number }[];
  exactF1: number | null;
  unitizing: number | null;
  relationF1: number | null;
}
