import type { ReactNode } from 'react';
import { NotFound } from '../../components/not-found.tsx';
import { useProjectContext } from './use-project-context.ts';

/** Lead sections do not exist for an annotator (the API would answer 403 anyway). */
export function LeadOnly({ children }: { children: ReactNode }) {
  const project = useProjectContext();
  return project.role === 'lead' ? children : <NotFound />;
}
