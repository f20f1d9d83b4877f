import type { AgreementQuery } from '@warrant/contracts';

/** What the pairwise heatmap shows. */
export const HEATMAP_MEASURES = ['category', 'unitizing', 'exact', 'overlap', 'relations'] as const;
export type HeatmapMeasure = (typeof HEATMAP_MEASURES)[number];

/**
 * The dashboard's filters, as they stand in the address bar so a view can be shared:
 * `?labels=premise,conclusion&annotators=id1,id2&from=2025-03-01&to=2025-03-31&measure=exact`.
 * A missing list means "all"; dates are whole days in the viewer's time zone, both included.
 */
export interface AgreementFilters {
  labels: string[] | null;
  annotators: string[] | null;
  from: string | null;
  to: string | null;
  measure: HeatmapMeasure;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function list(value: string | null): string[] | null {
  if (value === null) return null;
  const items = [...new Set(value.split(',').map((item) => item.trim()).filter((item) => item !== ''))];
  return items.length > 0 ? items : null;
}

function day(value: string | null): string | null {
  if (value === null || !DAY.test(value)) return null;
  return Number.isNaN(new Date(`${value}T00:00:00`).getTime()) ? null : value;
}

export function readFilters(params: URLSearchParams): AgreementFilters {
  const measure = params.get('measure');
  return {
    labels: list(params.get('labels')),
    annotators: list(params.get('annotators')),
    from: day(params.get('from')),
    to: day(params.get('to')),
    measure: (HEATMAP_MEASURES as readonly string[]).includes(measure ?? '') ? (measure as HeatmapMeasure) : 'category',
  };
}

/** The search params for these filters; defaults are left out so the plain address means "everything". */
export function writeFilters(filters: AgreementFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.labels && filters.labels.length > 0) params.set('labels', filters.labels.join(','));
  if (filters.annotators && filters.annotators.length > 0) params.set('annotators', filters.annotators.join(','));
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.measure !== 'category') params.set('measure', filters.measure);
  return params;
}

/** Midnight at the start of a day (YYYY-MM-DD), in the viewer's time zone, as an ISO instant. */
export function startOfDayIso(value: string): string {
  return new Date(`${value}T00:00:00`).toISOString();
}

/** Midnight after a day: "to" includes the whole day it names. */
export function endOfDayIso(value: string): string {
  const date = new Date(`${value}T00:00:00`);
  date.setDate(date.getDate() + 1);
  return date.toISOString();
}

/** The report request for these filters (the heatmap measure is the viewer's, not the server's). */
export function reportQuery(filters: AgreementFilters): Record<keyof AgreementQuery, string | undefined> {
  return {
    labels: filters.labels?.join(','),
    annotators: filters.annotators?.join(','),
    from: filters.from ? startOfDayIso(filters.from) : undefined,
    to: filters.to ? endOfDayIso(filters.to) : undefined,
  };
}

/**
 * A checkbox list's new selection: `null` (all) when every option is ticked, so the address stays
 * short and new labels or annotators are included as they appear.
 */
export function toggleSelection(selected: string[] | null, options: readonly string[], item: string, checked: boolean): string[] | null {
  const current = selected === null ? [...options] : selected.filter((value) => options.includes(value));
  const next = checked ? [...new Set([...current, item])] : current.filter((value) => value !== item);
  const ordered = options.filter((value) => next.includes(value));
  return ordered.length === options.length ? null : ordered;
}
