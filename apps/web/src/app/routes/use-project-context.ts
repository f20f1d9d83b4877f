import type { Project } from '@warrant/contracts';
import { useOutletContext } from 'react-router';

/** The project ProjectRoute loaded, for the section rendered inside it. */
export function useProjectContext(): Project {
  return useOutletContext<Project>();
}
