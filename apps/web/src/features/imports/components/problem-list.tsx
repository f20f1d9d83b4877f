import type { Problem } from '@warrant/contracts';
import type { Translate } from '../../../lib/i18n/translate.ts';
import { useT } from '../../../lib/i18n/use-t.ts';

/** Where a problem is: "line 2", "a.ann, line 4" (several files), "whole file". */
function where(problem: Problem, t: Translate): string {
  const line = problem.line === undefined || problem.line === 0 ? null : t('import.line', { line: problem.line });
  if (problem.path) return line ? `${problem.path}, ${line}` : problem.path;
  return line ?? t('import.wholeFile');
}

/** Located problems as "line 2: message (field “text”)", in a box that scrolls when the list is long. */
export function ProblemList({ label, problems }: { label: string; problems: readonly Problem[] }) {
  const t = useT();
  return (
    // Focusable so a keyboard user can scroll a long list.
    <ol className="problem-list" aria-label={label} tabIndex={0}>
      {problems.map((problem, index) => (
        <li key={`${problem.path ?? ''}-${problem.line ?? 'x'}-${index}`}>
          <span className="problem-list__where">{where(problem, t)}</span>
          {': '}
          <span className="problem-list__message">{problem.message}</span>
          {problem.field ? <span className="muted"> ({t('import.field', { field: problem.field })})</span> : null}
        </li>
      ))}
    </ol>
  );
}
