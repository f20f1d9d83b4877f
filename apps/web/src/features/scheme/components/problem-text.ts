import { useT } from '../../../lib/i18n/use-t.ts';
import type { DraftProblem } from '../stores/draft-problems.ts';

/** Puts a draft problem into words in the interface language. */
export function useProblemText(): (problem: DraftProblem) => string {
  const t = useT();
  return (problem) => {
    switch (problem.code) {
      case 'hotkeyDuplicate':
        return t('scheme.problem.hotkeyDuplicate', {
          hotkey: problem.hotkey,
          owner: problem.ownerName,
          section: t(`scheme.kind.${problem.ownerSection}`),
        });
      default:
        return t(`scheme.problem.${problem.code}`);
    }
  };
}
