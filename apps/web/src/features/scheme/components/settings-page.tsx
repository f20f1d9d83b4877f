import type { Project } from '@warrant/contracts';
import { useReducer, useState } from 'react';
import { UnsavedChangesGuard } from '../../../components/unsaved-changes-guard.tsx';
import { useT } from '../../../lib/i18n/use-t.ts';
import { createDraft, isDraftDirty, schemeDraftReducer } from '../stores/scheme-draft.ts';
import { GuidelinesEditor } from './guidelines-editor.tsx';
import { SchemeEditor } from './scheme-editor.tsx';
import './scheme.css';

export interface SettingsPageProps {
  project: Project;
  /** A save went through: the caller refreshes whatever shows the project. */
  onSaved: (saved: Project) => void;
}

/** A lead's settings: the guidelines and the label scheme, each saved on its own. */
export function SettingsPage({ project, onSaved }: SettingsPageProps) {
  const t = useT();
  const [guidelinesBase, setGuidelinesBase] = useState(project.guidelines);
  const [guidelines, setGuidelines] = useState(project.guidelines);
  const [draft, dispatch] = useReducer(schemeDraftReducer, project, (initial) => createDraft(initial.scheme, initial.schemeVersion));

  const guidelinesDirty = guidelines !== guidelinesBase;
  const schemeDirty = isDraftDirty(draft);

  // Saved elsewhere (another tab, another lead) while nothing was edited here: follow along.
  if (project.guidelines !== guidelinesBase && !guidelinesDirty) {
    setGuidelinesBase(project.guidelines);
    setGuidelines(project.guidelines);
  }
  if (project.schemeVersion !== draft.baseVersion && !schemeDirty) {
    dispatch({ type: 'reset', scheme: project.scheme, version: project.schemeVersion });
  }

  return (
    <div className="settings">
      <UnsavedChangesGuard
        when={guidelinesDirty || schemeDirty}
        title={t('scheme.leave.title')}
        text={t('scheme.leave.text')}
        stayLabel={t('scheme.leave.stay')}
        leaveLabel={t('scheme.leave.leave')}
      />
      <GuidelinesEditor
        projectId={project.id}
        value={guidelines}
        dirty={guidelinesDirty}
        onChange={setGuidelines}
        onSaved={(saved) => {
          setGuidelinesBase(saved.guidelines);
          onSaved(saved);
        }}
      />
      <SchemeEditor
        projectId={project.id}
        draft={draft}
        dirty={schemeDirty}
        dispatch={dispatch}
        latestVersion={project.schemeVersion}
        onDiscard={() => dispatch({ type: 'reset', scheme: project.scheme, version: project.schemeVersion })}
        onSaved={onSaved}
      />
    </div>
  );
}
