import type { AgreementReport } from '@warrant/contracts';
import type { LabelScheme } from '@warrant/domain';
import { forgetPrepared, type LoadedPassage } from './passage-data.ts';
import type { ProjectData } from './project-data.ts';
import { buildReport, passageFigures, RESAMPLES } from './report.ts';

/** What the report worker is asked to do; plain data, so it crosses the thread boundary. */
export type AgreementJob =
  | {
      kind: 'report';
      projectId: string;
      scheme: LabelScheme;
      /** Span labels to include (already checked against the scheme). */
      labels: string[];
      annotators: string[] | null;
      /** Milliseconds; null for open ends. */
      from: number | null;
      to: number | null;
    }
  | { kind: 'ranking'; projectId: string };

export type RankedPassage = { passageId: string; externalId: string; annotators: number } & ReturnType<typeof passageFigures>;

export type JobResult<J extends AgreementJob> = J extends { kind: 'report' } ? Omit<AgreementReport, 'generatedAt'> : RankedPassage[];

/** Runs one job against a project's data (in the worker; tests may call it directly). */
export function runJob(data: ProjectData, job: AgreementJob): JobResult<AgreementJob> {
  const started = performance.now();
  const snapshot = data.snapshot(job.projectId);
  if (job.kind === 'ranking') {
    let ranking = snapshot.derived.get('ranking') as RankedPassage[] | undefined;
    if (!ranking) {
      ranking = snapshot.passages
        .filter((p) => p.sets.length >= 2)
        .map((passage) => ({ passageId: passage.id, externalId: passage.externalId, annotators: passage.sets.length, ...passageFigures(passage) }))
        .sort((a, b) => b.disagreement - a.disagreement || (a.externalId < b.externalId ? -1 : 1));
      snapshot.derived.set('ranking', ranking);
    }
    return ranking;
  }
  // A dashboard asks again on every visit: the same question of the same data has the same answer.
  const key = `report:${JSON.stringify(job)}`;
  const memo = snapshot.derived.get(key) as Omit<AgreementReport, 'generatedAt'> | undefined;
  if (memo) return { ...memo, tookMs: Math.round(performance.now() - started) };
  const only = job.annotators && job.annotators.length > 0 ? new Set(job.annotators) : null;
  const from = job.from ?? -Infinity;
  const to = job.to ?? Infinity;
  const labels = new Set(job.labels);
  const allLabels = job.labels.length === job.scheme.spanLabels.length;
  const passages: LoadedPassage[] = [];
  for (const passage of snapshot.passages) {
    const sets = passage.sets.filter((set) => (only === null || only.has(set.userId)) && set.submittedAt >= from && set.submittedAt <= to);
    if (sets.length < 2) continue;
    passages.push({ ...passage, sets: allLabels ? sets : sets.map((set) => ({ ...set, spans: set.spans.filter((span) => labels.has(span.label)) })) });
  }
  const users = data.users();
  const involved = new Set(passages.flatMap((p) => p.sets.map((s) => s.userId)));
  const annotators = [...involved]
    .map((id) => users.get(id) ?? { id, username: id, displayName: id })
    .sort((a, b) => (a.username < b.username ? -1 : 1));
  const body = buildReport({ passages, scheme: job.scheme, labels: job.labels, annotators, progress: data.progress(job.projectId, only), resamples: RESAMPLES });
  forgetPrepared(passages.flatMap((p) => p.sets));
  const report = { tookMs: Math.round(performance.now() - started), ...body };
  snapshot.derived.set(key, report);
  return report;
}
