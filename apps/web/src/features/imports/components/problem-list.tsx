import type { Problem } from '@warrant/contracts';
import { useT } from '../../../lib/i18n/use-t.ts';

/** Located problems as "line 2: message (field “text”)", in a box that scrolls when the list is long. */
export function ProblemList({ label, problems }: { label: string; problems: readonly Problem[] }) {
  const t = useT();
  return (
    // Focusable so a keyboard user can scroll a long list.
    <ol className="problem-list" aria-label={label} tabIndex={0}>
      {problems.map((problem, index) => (
        <li key={`${problem.line ?? 'x'}-${index}`}>
          <span className="problem-list__where">
            {problem.line === undefined || problem.line === 0 ? t('import.wholeFile') : t('import.line', { line: problem.line })}
          </span>
          {': '}
          <span className="problem-list__message">{problem.message}</span>
          {problem.field ? <span className="muted"> ({t('import.field', { field: problem.field })})</span> : null}
        </li>
      ))}
    </ol>
  );
}
