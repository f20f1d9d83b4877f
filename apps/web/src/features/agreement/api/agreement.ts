import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { agreementReport, disagreementList } from '@warrant/contracts';
import { apiClient } from '../../../lib/api-client.ts';
import { reportQuery, type AgreementFilters } from '../core/filters.ts';

export const DISAGREEMENT_PAGE_SIZE = 25;

type ReportFilters = Pick<AgreementFilters, 'labels' | 'annotators' | 'from' | 'to'>;

export const agreementKeys = {
  all: ['agreement'] as const,
  project: (projectId: string) => [...agreementKeys.all, projectId] as const,
  report: (projectId: string, filters: ReportFilters) =>
    [...agreementKeys.project(projectId), 'report', { labels: filters.labels, annotators: filters.annotators, from: filters.from, to: filters.to }] as const,
  disagreements: (projectId: string, offset: number, limit: number, open: boolean) =>
    [...agreementKeys.project(projectId), 'disagreements', { offset, limit, open }] as const,
};

export function agreementReportQueryOptions(projectId: string, filters: ReportFilters) {
  return queryOptions({
    queryKey: agreementKeys.report(projectId, filters),
    queryFn: ({ signal }) =>
      apiClient.get(`/api/projects/${encodeURIComponent(projectId)}/agreement`, agreementReport, {
        signal,
        query: reportQuery({ ...filters, measure: 'category' }),
      }),
    // Changing a filter keeps the last figures on screen (dimmed) until the new ones arrive.
    placeholderData: keepPreviousData,
  });
}

export function disagreementListQueryOptions(projectId: string, offset: number, open: boolean, limit = DISAGREEMENT_PAGE_SIZE) {
  return queryOptions({
    queryKey: agreementKeys.disagreements(projectId, offset, limit, open),
    queryFn: ({ signal }) =>
      apiClient.get(`/api/projects/${encodeURIComponent(projectId)}/agreement/passages`, disagreementList, {
        signal,
        query: { offset, limit, open: String(open) },
      }),
    placeholderData: keepPreviousData,
  });
}

export function useAgreementReport(projectId: string, filters: ReportFilters) {
  return useQuery(agreementReportQueryOptions(projectId, filters));
}

export function useDisagreements(projectId: string, offset: number, open: boolean) {
  return useQuery(disagreementListQueryOptions(projectId, offset, open));
}
