import { labelInUseDetails, problem, type LabelInUseDetails } from '@warrant/contracts';
import { z } from 'zod';
import { isApiError } from '../../../lib/api-error.ts';

export type LabelUsage = LabelInUseDetails['usages'][number];

/** The removed labels annotations still use, from a 409 LABEL_IN_USE; undefined for any other error. */
export function labelUsages(error: unknown): LabelUsage[] | undefined {
  if (!isApiError(error) || error.code !== 'LABEL_IN_USE') return undefined;
  const parsed = labelInUseDetails.safeParse(error.details);
  return parsed.success ? parsed.data.usages : [];
}

export interface SchemeIssue {
  /** Relative to the scheme, in the domain's notation: `spanLabels[0].name`, or '' for the whole scheme. */
  path: string;
  message: string;
}

const issues = z.object({ issues: z.array(problem) });

/**
 * The located problems of a 400 INVALID_SCHEME (`scheme.spanLabels[0].key`) or VALIDATION_FAILED
 * (`body.scheme.spanLabels.0.name`), with both path styles brought to the first one's notation.
 */
export function schemeIssues(error: unknown): SchemeIssue[] | undefined {
  if (!isApiError(error) || (error.code !== 'INVALID_SCHEME' && error.code !== 'VALIDATION_FAILED')) return undefined;
  const parsed = issues.safeParse(error.details);
  if (!parsed.success || parsed.data.issues.length === 0) return [{ path: '', message: error.message }];
  return parsed.data.issues.map((issue) => ({ path: normalizePath(issue.path ?? ''), message: issue.message }));
}

export function normalizePath(path: string): string {
  return path
    .replace(/^body\./, '')
    .replace(/^scheme\.?/, '')
    .replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}
