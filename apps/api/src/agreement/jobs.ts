import type { AgreementReport } from '@warrant/contracts';
import type { LabelScheme } from '@warrant/domain';
import type { ProjectData } from './project-data.ts';
import {
  forgetPrepared,
  passageFigures,
  passagePart,
  RESAMPLES,
  reduceReport,
  type LoadedPassage,
  type PassagePart,
  type ResampleHelper,
} from '@warrant/agreement';

export interface ReportFilter {
  projectId: string;
  scheme: LabelScheme;
  /** Span labels to include (already checked against the scheme). */
  labels: string[];
  annotators: string[] | null;
  /** Milliseconds; null for open ends. */
  from: number | null;
  to: number | null;
}

/** What the agreement worker is asked to do; plain data, so it crosses the thread boundary. */
export type AgreementJob = ({ kind: 'report' } & ReportFilter) | { kind: 'ranking'; projectId: string };

export type RankedPassage = { passageId: string; externalId: string; annotators: number } & ReturnType<typeof passageFigures>;

export type JobResult<J extends AgreementJob> = J extends { kind: 'report' } ? Omit<AgreementReport, 'generatedAt' | 'tookMs'> : RankedPassage[];

/**
 * Runs jobs against a project's data. A report is measured passage by passage (passagePart), then
 * reduced (reduceReport). Splitting the passages over two workers, one per core, was measured:
 * copying the parts between threads cost more than the second core saved (and a 280 ms pause of
 * the main thread receiving them), so one worker does both halves. What does go to the second
 * core is half of the resampling (a `helper`, resample-helper.ts): only the compact sums' inputs
 * are copied for it.
 */
export class JobRunner {
  constructor(
    private readonly data: ProjectData,
    private readonly helper?: ResampleHelper,
  ) {}

  run(job: AgreementJob): JobResult<AgreementJob> {
    switch (job.kind) {
      case 'ranking':
        return this.ranking(job.projectId);
      case 'report': {
        const parts = this.parts(job);
        const users = this.data.users();
        const involved = new Set(parts.flatMap((p) => p.coders));
        const annotators = [...involved]
          .map((id) => users.get(id) ?? { id, username: id, displayName: id })
          .sort((a, b) => (a.username < b.username ? -1 : 1));
        const only = job.annotators && job.annotators.length > 0 ? new Set(job.annotators) : null;
        return reduceReport(parts, {
          scheme: job.scheme,
          labels: job.labels,
          annotators,
          progress: this.data.progress(job.projectId, only),
          resamples: RESAMPLES,
          ...(this.helper ? { helper: this.helper } : {}),
        });
      }
    }
  }

  /** The passages with at least two sets in the filter, each measured. */
  private parts(filter: ReportFilter): PassagePart[] {
    const snapshot = this.data.snapshot(filter.projectId);
    const only = filter.annotators && filter.annotators.length > 0 ? new Set(filter.annotators) : null;
    const from = filter.from ?? -Infinity;
    const to = filter.to ?? Infinity;
    const labels = new Set(filter.labels);
    const allLabels = filter.labels.length === filter.scheme.spanLabels.length;
    const passages: LoadedPassage[] = [];
    for (const passage of snapshot.passages) {
      const sets = passage.sets.filter((set) => (only === null || only.has(set.userId)) && set.submittedAt >= from && set.submittedAt <= to);
      if (sets.length < 2) continue;
      passages.push({ ...passage, sets: allLabels ? sets : sets.map((set) => ({ ...set, spans: set.spans.filter((span) => labels.has(span.label)) })) });
    }
    const parts = passages.map(passagePart);
    forgetPrepared(passages.flatMap((p) => p.sets));
    return parts;
  }

  /** Every passage with at least two submitted sets, worst agreement first. */
  private ranking(projectId: string): RankedPassage[] {
    const snapshot = this.data.snapshot(projectId);
    let ranking = snapshot.derived.get('ranking') as RankedPassage[] | undefined;
    if (!ranking) {
      ranking = snapshot.passages
        .filter((p) => p.sets.length >= 2)
        .map((passage) => ({ passageId: passage.id, externalId: passage.externalId, annotators: passage.sets.length, ...passageFigures(passage) }))
        .sort((a, b) => b.disagreement - a.disagreement || (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
      snapshot.derived.set('ranking', ranking);
    }
    return ranking;
  }
}
