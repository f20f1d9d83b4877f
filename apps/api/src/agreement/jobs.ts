import type { AgreementReport } from '@warrant/contracts';
import type { LabelScheme } from '@warrant/domain';
import { measureBatch, type PartsHelper, type PartsSession } from './parts-helper.ts';
import { passageSelector, type PassageFilter } from './passage-filter.ts';
import type { ProjectData, RawPassage } from './project-data.ts';
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
 * core: half of the resampling (a `helper`, resample-helper.ts), only the compact sums' inputs
 * copied for it; and, on a cold report, measuring passages while this thread still reads the rest
 * (a `partsHelper`, parts-helper.ts), the rows going over as read and the parts coming back as
 * typed arrays.
 */
export class JobRunner {
  constructor(
    private readonly data: ProjectData,
    private readonly helper?: ResampleHelper,
    private readonly partsHelper?: PartsHelper,
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

  /**
   * The passages with at least two sets in the filter, each measured. On a cold snapshot, the
   * helper thread (if any) measures batches of passages as they are read (parts-helper.ts); this
   * thread measures the batches it has not started, from the last back, once its reading is done.
   */
  private parts(filter: ReportFilter): PassagePart[] {
    const passageFilter: PassageFilter = {
      only: filter.annotators && filter.annotators.length > 0 ? filter.annotators : null,
      from: filter.from ?? -Infinity,
      to: filter.to ?? Infinity,
      labels: filter.labels.length === filter.scheme.spanLabels.length ? null : filter.labels,
    };
    const select = passageSelector(passageFilter);
    const measure = (passages: LoadedPassage[]): PassagePart[] => {
      const selected: LoadedPassage[] = [];
      for (const passage of passages) {
        const chosen = select(passage);
        if (chosen !== undefined) selected.push(chosen);
      }
      const parts = selected.map(passagePart);
      forgetPrepared(selected.flatMap((p) => p.sets));
      return parts;
    };
    const helper = this.partsHelper;
    const batches: RawPassage[][] = [];
    let session = undefined as PartsSession | undefined;
    const snapshot = this.data.snapshot(
      filter.projectId,
      helper &&
        ((batch) => {
          // Only once rows are read: a cached snapshot needs no helper.
          session ??= helper.parts(passageFilter);
          batches.push(batch);
          session?.send(batch);
        }),
    );
    if (batches.length === 0) return measure(snapshot.passages);
    if (session === undefined) return batches.flatMap((batch) => measureBatch(batch, select));
    const mine: (PassagePart[] | undefined)[] = [];
    for (let k = session.batches - 1; k >= 0 && session.take(k); k -= 1) mine[k] = measureBatch(batches[k] as RawPassage[], select);
    const theirs = session.collect();
    const parts: PassagePart[] = [];
    for (let k = 0; k < session.batches; k += 1) {
      const batch = mine[k] ?? theirs[k] ?? measureBatch(batches[k] as RawPassage[], select);
      for (const part of batch) parts.push(part);
    }
    return parts;
  }

  /** Work left over from the last job that the next may need (the passages a cold report left unparsed). */
  settle(): void {
    this.data.settle();
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
