import type { Project } from '@warrant/contracts';
import { useEffect, useId, useRef, useState, type Dispatch, type FormEvent } from 'react';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { errorMessage } from '../../../lib/error-message.ts';
import { useT } from '../../../lib/i18n/use-t.ts';
import { labelUsages, schemeIssues, type LabelUsage, type SchemeIssue } from '../api/scheme-errors.ts';
import { useUpdateScheme } from '../api/update-project-settings.ts';
import { findDraftProblems, type DraftField, type DraftProblem, type DraftProblems } from '../stores/draft-problems.ts';
import {
  SCHEME_SECTIONS,
  draftToScheme,
  parseItemPath,
  type DraftAction,
  type DraftItem,
  type SchemeDraft,
  type SchemeSection,
} from '../stores/scheme-draft.ts';
import { useProblemText } from './problem-text.ts';
import { SaveState } from './save-state.tsx';
import { SchemeItemEditor } from './scheme-item-editor.tsx';

const SECTION_OF_USAGE = { spanLabel: 'spanLabels', relationType: 'relationTypes', category: 'categories' } as const;
const EMPTY_FIELDS: Partial<Record<DraftField, DraftProblem>> = {};

export interface SchemeEditorProps {
  projectId: string;
  draft: SchemeDraft;
  dirty: boolean;
  dispatch: Dispatch<DraftAction>;
  /** The project's scheme version now, to notice a change made elsewhere while editing. */
  latestVersion: number;
  onDiscard: () => void;
  onSaved: (saved: Project) => void;
}

/** Span labels, relation types and categories, edited together and saved as one scheme. */
export function SchemeEditor({ projectId, draft, dirty, dispatch, latestVersion, onDiscard, onSaved }: SchemeEditorProps) {
  const t = useT();
  const id = useId();
  const problemText = useProblemText();
  const summaryRef = useRef<HTMLDivElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  // Save pressed while the draft had problems: how often, so each press brings the summary into view.
  const [refusedSaves, setRefusedSaves] = useState(0);
  const attempted = refusedSaves > 0;
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const save = useUpdateScheme(projectId, (saved) => {
    dispatch({ type: 'reset', scheme: saved.scheme, version: saved.schemeVersion });
    setRefusedSaves(0);
    setTouched(new Set());
    onSaved(saved);
  });

  // Focus moves to what went wrong once it is on screen (before that, the scroll would stop short).
  useEffect(() => {
    if (refusedSaves > 0) summaryRef.current?.focus();
  }, [refusedSaves]);
  useEffect(() => {
    if (save.error) errorRef.current?.focus();
  }, [save.error]);

  const problems = findDraftProblems(draft);
  const usages = labelUsages(save.error);
  const issues = schemeIssues(save.error);
  // A refused deletion stays listed until the item is kept or the next save.
  const openUsages = usages?.filter((usage) => draft.removed[SECTION_OF_USAGE[usage.kind]].some((item) => item.key === usage.key));

  const edit: Dispatch<DraftAction> = (action) => {
    // Server issues are located by index: after an edit they may point at the wrong item.
    if (issues) save.reset();
    dispatch(action);
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (problems.count > 0) {
      setRefusedSaves((count) => count + 1);
      return;
    }
    save.mutate({ scheme: draftToScheme(draft), baseSchemeVersion: draft.baseVersion });
  };

  const visible = (item: DraftItem): Partial<Record<DraftField, DraftProblem>> => {
    const found = problems.byItem.get(item.id);
    if (!found) return EMPTY_FIELDS;
    // An empty field of a new item is not a mistake until the lead leaves it or tries to save.
    const shown: Partial<Record<DraftField, DraftProblem>> = {};
    for (const [field, problem] of Object.entries(found) as [DraftField, DraftProblem][]) {
      const empty = problem.code === 'nameRequired' || problem.code === 'keyRequired';
      if (!empty || attempted || !item.isNew || touched.has(`${item.id}.${field}`)) shown[field] = problem;
    }
    return shown;
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('scheme.title')}</h2>
      <p className="muted settings-intro">{t('scheme.intro')}</p>
      {latestVersion !== draft.baseVersion && !save.isPending ? (
        <Alert tone="warning">
          <p>{t('scheme.conflict')}</p>
          <Button onClick={onDiscard}>{t('scheme.conflict.reload')}</Button>
        </Alert>
      ) : null}
      <form onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
        <fieldset className="scheme-editor__body" disabled={save.isPending}>
          {SCHEME_SECTIONS.map((section) => (
            <SchemeSectionEditor
              key={section}
              section={section}
              draft={draft}
              dispatch={edit}
              problems={problems}
              visible={visible}
              issues={issues}
              onBlurField={(item, field) => setTouched((current) => new Set(current).add(`${item.id}.${field}`))}
              problemText={problemText}
            />
          ))}
        </fieldset>
        <div className="scheme-editor__feedback">
          <div ref={summaryRef} tabIndex={-1}>
            {attempted && problems.count > 0 ? <Alert tone="error">{t('scheme.problemCount', { count: problems.count })}</Alert> : null}
          </div>
          <div ref={errorRef} tabIndex={-1}>
            {openUsages && openUsages.length > 0 ? (
              <InUseAlert usages={openUsages} draft={draft} onKeep={(section, key) => dispatch({ type: 'restore', section, key })} />
            ) : null}
            {issues ? <IssuesAlert issues={issues} draft={draft} /> : null}
            {save.isError && !usages && !issues ? <Alert tone="error">{errorMessage(save.error, t)}</Alert> : null}
          </div>
        </div>
        <div className="actions scheme-editor__actions">
          <Button type="submit" variant="primary" busy={save.isPending} disabled={!dirty}>
            {t('scheme.save')}
          </Button>
          <SaveState dirty={dirty} saving={save.isPending} saved={save.isSuccess} savedText={t('scheme.saved')} />
        </div>
      </form>
    </section>
  );
}

interface SchemeSectionEditorProps {
  section: SchemeSection;
  draft: SchemeDraft;
  dispatch: Dispatch<DraftAction>;
  problems: DraftProblems;
  visible: (item: DraftItem) => Partial<Record<DraftField, DraftProblem>>;
  issues: SchemeIssue[] | undefined;
  onBlurField: (item: DraftItem, field: DraftField) => void;
  problemText: (problem: DraftProblem) => string;
}

function SchemeSectionEditor({ section, draft, dispatch, problems, visible, issues, onBlurField, problemText }: SchemeSectionEditorProps) {
  const t = useT();
  const id = useId();
  const items = draft.items[section];
  const removed = draft.removed[section];
  const sectionProblem = problems.bySection[section];
  const serverProblems = (index: number) => {
    const found: Partial<Record<string, string>> = {};
    for (const issue of issues ?? []) {
      const place = parseItemPath(issue.path);
      if (place?.section === section && place.index === index && place.field) found[place.field] ??= issue.message;
    }
    return found;
  };

  return (
    <section className="scheme-section" aria-labelledby={`${id}-title`}>
      <div className="scheme-section__header">
        <h3 id={`${id}-title`}>{t(`scheme.section.${section}`)}</h3>
        <p className="muted">{t(`scheme.section.${section}.hint`)}</p>
      </div>
      {sectionProblem ? <p className="field__error">{problemText(sectionProblem)}</p> : null}
      {items.length > 0 ? (
        <ul className="scheme-items">
          {items.map((item, index) => (
            <li key={item.id}>
              <SchemeItemEditor
                section={section}
                item={item}
                dispatch={dispatch}
                problems={visible(item)}
                serverProblems={serverProblems(index)}
                onBlurField={(field) => onBlurField(item, field)}
                spanLabels={draft.items.spanLabels}
              />
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('scheme.section.empty')}</p>
      )}
      {removed.length > 0 ? (
        <div className="scheme-removed">
          <p className="scheme-removed__title">{t('scheme.removed.title')}</p>
          <ul>
            {removed.map((item) => (
              <li key={item.id}>
                <span className="scheme-removed__name">{item.name}</span> <code>{item.key}</code>{' '}
                <Button variant="quiet" onClick={() => dispatch({ type: 'restore', section, key: item.key })}>
                  {t('scheme.removed.undo', { name: item.name })}
                </Button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Button onClick={() => dispatch({ type: 'add', section })}>
        <span aria-hidden="true">+</span> {t(`scheme.add.${section}`)}
      </Button>
    </section>
  );
}

function savedName(draft: SchemeDraft, section: SchemeSection, key: string): string {
  return draft.base[section].find((item) => item.key === key)?.name ?? key;
}

function InUseAlert({ usages, draft, onKeep }: { usages: LabelUsage[]; draft: SchemeDraft; onKeep: (section: SchemeSection, key: string) => void }) {
  const t = useT();
  return (
    <Alert tone="error" title={t('scheme.inUse.title')}>
      <ul className="in-use-list">
        {usages.map((usage) => {
          const section = SECTION_OF_USAGE[usage.kind];
          const name = savedName(draft, section, usage.key);
          return (
            <li key={`${usage.kind}-${usage.key}`}>
              <span>
                {t(`scheme.kind.${section}`)} <strong>{name}</strong> <code>({usage.key})</code>: {t('scheme.inUse.count', { count: usage.count })}
              </span>{' '}
              <Button variant="secondary" onClick={() => onKeep(section, usage.key)}>
                {t('scheme.inUse.keep', { name })}
              </Button>
            </li>
          );
        })}
      </ul>
      <p>{t('scheme.inUse.help')}</p>
    </Alert>
  );
}

function IssuesAlert({ issues, draft }: { issues: SchemeIssue[]; draft: SchemeDraft }) {
  const t = useT();
  const where = (path: string): string => {
    if (path === '') return t('scheme.invalid.whole');
    const place = parseItemPath(path);
    if (!place) {
      const section = SCHEME_SECTIONS.find((candidate) => candidate === path);
      return section ? t(`scheme.section.${section}`) : path;
    }
    const item = draft.items[place.section][place.index];
    const parts = [t(`scheme.section.${place.section}`), item?.name.trim() || `#${place.index + 1}`];
    const field = place.field;
    if (field === 'name' || field === 'key' || field === 'color' || field === 'hotkey' || field === 'description' || field === 'target') {
      parts.push(t(`scheme.field.${field}`));
    } else if (field) {
      parts.push(field);
    }
    return parts.join(' › ');
  };
  return (
    <Alert tone="error" title={t('scheme.invalid.title')}>
      <ul className="problem-list">
        {issues.map((issue, index) => (
          <li key={index}>
            <span className="problem-list__where">{where(issue.path)}</span>: <span className="problem-list__message">{issue.message}</span>
          </li>
        ))}
      </ul>
    </Alert>
  );
}
