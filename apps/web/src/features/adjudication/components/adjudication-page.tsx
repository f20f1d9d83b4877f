import type { Comparison, GoldStatus, GoldVersion } from '@warrant/contracts';
import type { LabelScheme } from '@warrant/domain';
import { useCallback, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { GoldBadge } from '../../../components/gold-badge.tsx';
import { NotFound } from '../../../components/not-found.tsx';
import { UnsavedChangesGuard } from '../../../components/unsaved-changes-guard.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Loading } from '../../../components/ui/loading.tsx';
import { ModalDialog } from '../../../components/ui/modal-dialog.tsx';
import { estimateText, figureText } from '../../../lib/coefficients.ts';
import { isApiError } from '../../../lib/api-error.ts';
import { errorMessage } from '../../../lib/error-message.ts';
import { useLocale, useT } from '../../../lib/i18n/use-t.ts';
import { paths } from '../../../lib/paths.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { conflictingGold, useComparison, useDiscardGold, useReloadComparison, useSaveGold } from '../api/comparison.ts';
import {
  applyGoldAction,
  bodyOf,
  draftFromGold,
  indexComparison,
  isAgreed,
  isDirty,
  openCount,
  relationDecision,
  spanDecision,
  type GoldAction,
  type GoldDraft,
} from '../core/gold-draft.ts';
import { quoted } from '../core/describe.ts';
import { labelLooks } from '../core/looks.ts';
import { GoldEditor } from './gold-editor.tsx';
import { ItemLists } from './item-lists.tsx';
import { SideBySide } from './side-by-side.tsx';
import './adjudication.css';
import { QueryError } from '../../../components/query-error.tsx';

export interface AdjudicationPageProps {
  projectId: string;
  projectName: string;
  passageId: string;
  /** The project's scheme as shown (names in the interface language). */
  scheme: LabelScheme;
  /** The gold version was saved or discarded: lists that show gold status are out of date. */
  onGoldChanged: () => void;
}

/** Loads a passage's comparison; the adjudication itself starts once it is here. */
export function AdjudicationPage(props: AdjudicationPageProps) {
  const t = useT();
  const comparison = useComparison(props.projectId, props.passageId);
  if (comparison.isPending) return <Loading label={t('adjudication.loading')} />;
  if (comparison.isError) {
    if (isApiError(comparison.error) && comparison.error.code === 'NOT_FOUND') return <NotFound />;
    return (
      <QueryError error={comparison.error} onRetry={() => comparison.refetch()} />
    );
  }
  return <Adjudication {...props} comparison={comparison.data} />;
}

function Adjudication({ projectId, projectName, passageId, scheme, onGoldChanged, comparison }: AdjudicationPageProps & { comparison: Comparison }) {
  const t = useT();
  const locale = useLocale();
  const title = t('adjudication.title', { id: comparison.passage.externalId });
  useDocumentTitle(title, t('app.name'));

  const index = useMemo(() => indexComparison(comparison), [comparison]);
  const looks = useMemo(() => labelLooks(scheme), [scheme]);
  const [draft, setDraft] = useState<GoldDraft>(() => draftFromGold(comparison.gold, index));
  const [announcement, setAnnouncement] = useState('');
  const [activeKeys, setActiveKeys] = useState<ReadonlySet<string>>(() => new Set());
  const [saved, setSaved] = useState<GoldVersion | null>(null);
  const [conflict, setConflict] = useState<GoldVersion | null>(null);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const save = useSaveGold(projectId, passageId);
  const discard = useDiscardGold(projectId, passageId);
  const reloadComparison = useReloadComparison(projectId, passageId);
  const [reloading, setReloading] = useState(false);

  const dirty = isDirty(draft);
  // Saved elsewhere while nothing was changed here: follow along.
  const serverVersion = comparison.gold?.version ?? 0;
  if (serverVersion !== draft.baseVersion && !dirty && !save.isPending) {
    setDraft(draftFromGold(comparison.gold, index, draft.rejected));
  }

  const dispatch = useCallback(
    (action: GoldAction, announce: string) => {
      setDraft((current) => applyGoldAction(current, index, action));
      setSaved(null);
      if (announce) setAnnouncement(announce);
    },
    [index],
  );

  const nameOf = (id: string) => {
    const annotator = comparison.annotators.find((candidate) => candidate.id === id);
    return annotator ? annotator.displayName || annotator.username : id;
  };
  const categoryName = (key: string) => scheme.categories.find((category) => category.key === key)?.name ?? key;

  // Agreed items still undecided: what "Accept all agreed items" would take.
  const agreedOpen =
    comparison.spans.filter((span) => isAgreed(index, span.ids) && spanDecision(draft, span.key) === 'open').length +
    comparison.relations.filter((relation) => isAgreed(index, relation.ids) && relationDecision(draft, relation.key) === 'open').length;
  const agreedAny = comparison.spans.some((span) => isAgreed(index, span.ids)) || comparison.relations.some((relation) => isAgreed(index, relation.ids));
  const undecided = openCount(draft, index);

  const submit = (status: GoldStatus) => {
    const body = bodyOf({ ...draft, status });
    save.mutate(body, {
      onSuccess: (gold) => {
        setDraft((current) => draftFromGold(gold, index, current.rejected));
        setSaved(gold);
        setConflict(null);
        onGoldChanged();
      },
      onError: (error) => setConflict(conflictingGold(error)),
    });
  };

  // Someone else saved meanwhile: take their version (this page's unsaved edits are dropped).
  const reload = async () => {
    setReloading(true);
    try {
      const fresh = await reloadComparison();
      setDraft((previous) => draftFromGold(fresh.gold, indexComparison(fresh), previous.rejected));
      setConflict(null);
      save.reset();
    } catch {
      // The failed fetch shows through the query; the conflict stays on screen to try again.
    } finally {
      setReloading(false);
    }
  };

  const conflicted = conflict !== null || (isApiError(save.error) && save.error.code === 'VERSION_CONFLICT');
  const saveError = save.error && !conflicted ? save.error : null;
  const figures = comparison.figures;

  return (
    <div className="adjudication">
      <UnsavedChangesGuard
        when={dirty}
        title={t('adjudication.leave.title')}
        text={t('adjudication.leave.text')}
        stayLabel={t('adjudication.leave.stay')}
        leaveLabel={t('adjudication.leave.leave')}
      />
      <nav className="breadcrumbs" aria-label={t('adjudication.breadcrumbs')}>
        <Link className="breadcrumb" to={paths.project(projectId)}>
          ← {projectName}
        </Link>
        <Link className="breadcrumb" to={paths.projectDisagreements(projectId)}>
          {t('adjudication.backToQueue')}
        </Link>
        <Link className="breadcrumb" to={paths.passage(projectId, passageId)}>
          {t('adjudication.readPassage')}
        </Link>
      </nav>
      <div className="page-header">
        <div>
          <h1>{title}</h1>
          <p className="page-header__lead">
            {t('adjudication.figures', {
              exact: figureText(figures.exactF1, locale, t),
              unitizing: estimateText(figures.unitizing, locale, t),
              relations: figureText(figures.relationF1, locale, t),
            })}
          </p>
        </div>
        <p className="adjudication__status">
          {t('adjudication.goldStatus')}: <GoldBadge status={comparison.gold?.status ?? null} />
        </p>
      </div>

      {comparison.annotators.length < 2 ? <Alert tone="info">{t('adjudication.fewSets')}</Alert> : null}

      <SideBySide
        comparison={comparison}
        index={index}
        draft={draft}
        scheme={scheme}
        looks={looks.spans}
        activeKeys={activeKeys}
        nameOf={nameOf}
        categoryName={categoryName}
        onAddSpan={(range, label) =>
          dispatch(
            { type: 'addSpan', start: range.start, end: range.end, label },
            t('adjudication.announce.added', { item: quoted(comparison.passage.text.slice(range.start, range.end), 60, locale) }),
          )
        }
      />

      <div className="adjudication__merge">
        <Button variant="primary" disabled={agreedOpen === 0} onClick={() => dispatch({ type: 'acceptAllAgreed' }, t('adjudication.announce.agreed'))}>
          {t('adjudication.acceptAgreed')}
        </Button>
        <p className="muted">{agreedAny ? t('adjudication.acceptAgreedHelp') : t('adjudication.noneAgreed')}</p>
      </div>

      <ItemLists
        comparison={comparison}
        index={index}
        draft={draft}
        looks={looks}
        nameOf={nameOf}
        categoryName={categoryName}
        dispatch={dispatch}
        onActive={setActiveKeys}
      />

      <GoldEditor
        comparison={comparison}
        draft={draft}
        scheme={scheme}
        looks={looks}
        nameOf={nameOf}
        categoryName={categoryName}
        dispatch={dispatch}
        onActive={setActiveKeys}
      />

      <p className="visually-hidden" role="status">
        {announcement}
      </p>

      <div className="save-bar" role="region" aria-label={t('adjudication.saveBar')}>
        <div className="save-bar__state">
          {conflicted ? (
            <Alert tone="warning" title={t('adjudication.conflict.title')}>
              <p>
                {conflict
                  ? t('adjudication.conflict.text', {
                      name: conflict.adjudicator.displayName || conflict.adjudicator.username,
                      version: conflict.version,
                    })
                  : t('adjudication.conflict.textUnknown')}
              </p>
              <Button busy={reloading} onClick={() => void reload()}>
                {t('adjudication.conflict.reload')}
              </Button>
            </Alert>
          ) : saveError ? (
            <Alert tone="error" title={t('adjudication.saveFailed')}>
              <p>{errorMessage(saveError, t)}</p>
            </Alert>
          ) : discard.error ? (
            <Alert tone="error" title={t('adjudication.discardFailed')}>
              <p>{errorMessage(discard.error, t)}</p>
            </Alert>
          ) : (
            <p className={dirty ? 'gold-save-state gold-save-state--unsaved' : saved ? 'gold-save-state gold-save-state--saved' : 'gold-save-state'} role="status">
              {save.isPending
                ? t('adjudication.saving')
                : dirty
                  ? t('adjudication.unsaved')
                  : saved
                    ? t(saved.status === 'done' ? 'adjudication.savedDone' : 'adjudication.saved', { version: saved.version })
                    : ''}
            </p>
          )}
          <p className="muted save-bar__count">{t('adjudication.undecided', { count: undecided })}</p>
        </div>
        <div className="actions">
          {comparison.gold ? (
            <Button variant="danger" onClick={() => setConfirmDiscard(true)} disabled={save.isPending || discard.isPending}>
              {t('adjudication.discard')}
            </Button>
          ) : null}
          {draft.status === 'done' ? (
            <Button onClick={() => submit('in_progress')} busy={save.isPending}>
              {t('adjudication.reopen')}
            </Button>
          ) : null}
          <Button onClick={() => submit(draft.status)} busy={save.isPending} disabled={!dirty && comparison.gold !== null} variant={draft.status === 'done' ? 'primary' : 'secondary'}>
            {t('adjudication.save')}
          </Button>
          {draft.status !== 'done' ? (
            <Button variant="primary" onClick={() => submit('done')} busy={save.isPending}>
              {t('adjudication.markDone')}
            </Button>
          ) : null}
        </div>
      </div>

      <ModalDialog open={confirmDiscard} onCancel={() => setConfirmDiscard(false)} labelledBy="discard-title" role="alertdialog">
        <h2 id="discard-title">{t('adjudication.discardTitle')}</h2>
        <p>{t('adjudication.discardText')}</p>
        <div className="actions">
          <Button variant="primary" autoFocus onClick={() => setConfirmDiscard(false)}>
            {t('adjudication.discardKeep')}
          </Button>
          <Button
            variant="danger"
            busy={discard.isPending}
            onClick={() =>
              discard.mutate(undefined, {
                onSuccess: () => {
                  setConfirmDiscard(false);
                  setDraft(draftFromGold(null, index));
                  setSaved(null);
                  onGoldChanged();
                },
                onError: () => setConfirmDiscard(false),
              })
            }
          >
            {t('adjudication.discardConfirm')}
          </Button>
        </div>
      </ModalDialog>
    </div>
  );
}
