import type { ComparedRelation, ComparedSpan, Comparison } from '@warrant/contracts';
import type { KeyboardEvent } from 'react';
import { Badge } from '../../../components/ui/badge.tsx';
import { useLocale, useT } from '../../../lib/i18n/use-t.ts';
import { quoted } from '../core/describe.ts';
import { AcceptRejectCell, ActionsHeader, EmptyRow } from './item-table-parts.tsx';
import {
  categoryDecision,
  isAgreed,
  relationDecision,
  spanDecision,
  type ComparisonIndex,
  type GoldAction,
  type GoldDraft,
  type SpanDecision,
} from '../core/gold-draft.ts';
import { lookOf, type LabelLook } from '../core/looks.ts';

export function DecisionBadge({ decision }: { decision: SpanDecision }) {
  const t = useT();
  switch (decision) {
    case 'accepted':
      return <Badge tone="success">{t('adjudication.decision.accepted')}</Badge>;
    case 'changed':
      return <Badge tone="accent">{t('adjudication.decision.changed')}</Badge>;
    case 'rejected':
      return <Badge tone="neutral">{t('adjudication.decision.rejected')}</Badge>;
    case 'open':
      return <Badge tone="warning">{t('adjudication.decision.open')}</Badge>;
  }
}

export interface ItemListsProps {
  comparison: Comparison;
  index: ComparisonIndex;
  draft: GoldDraft;
  looks: { spans: Map<string, LabelLook>; relations: Map<string, LabelLook> };
  nameOf: (annotatorId: string) => string;
  categoryName: (key: string) => string;
  dispatch: (action: GoldAction, announce: string) => void;
  onActive: (keys: ReadonlySet<string>) => void;
}

const NONE: ReadonlySet<string> = new Set();

/** `a` accepts and `r` rejects the focused row (by physical key, so a Russian layout works too). */
function rowKeys(accept: () => void, reject: () => void) {
  return (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (event.target !== event.currentTarget || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.code === 'KeyA') {
      event.preventDefault();
      accept();
    } else if (event.code === 'KeyR') {
      event.preventDefault();
      reject();
    }
  };
}

function AnnotatorMarks({ annotators, ids }: { annotators: Comparison['annotators']; ids: Record<string, string> }) {
  const t = useT();
  return (
    <>
      {annotators.map((annotator) => (
        <td key={annotator.id} className="mark">
          {annotator.id in ids ? (
            <>
              <span aria-hidden="true">✓</span>
              <span className="visually-hidden">{t('adjudication.marked')}</span>
            </>
          ) : (
            <>
              <span aria-hidden="true" className="muted">
                –
              </span>
              <span className="visually-hidden">{t('adjudication.notMarked')}</span>
            </>
          )}
        </td>
      ))}
    </>
  );
}

/** The comparison's items, each with its decision and Accept / Reject; the lead's decisions build the gold. */
export function ItemLists({ comparison, index, draft, looks, nameOf, categoryName, dispatch, onActive }: ItemListsProps) {
  const t = useT();
  const locale = useLocale();
  const text = comparison.passage.text;
  const annotators = comparison.annotators;
  const spans = [...comparison.spans].sort((a, b) => a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : 1));

  const spanWords = (span: ComparedSpan) => quoted(text.slice(span.start, span.end), 60, locale);
  const describeEnd = (key: string, depth = 0): string => {
    const span = index.spans.get(key);
    if (span) return quoted(text.slice(span.start, span.end), 32, locale);
    const relation = index.relations.get(key);
    if (relation && depth < 3) return `[${describeRelation(relation, depth + 1)}]`;
    return '?';
  };
  const describeRelation = (relation: ComparedRelation, depth = 0): string =>
    `${lookOf(looks.relations, relation.type).name}: ${describeEnd(relation.sourceKey, depth)} → ${describeEnd(relation.targetKey, depth)}`;
  const relationEnds = (relation: ComparedRelation): Set<string> => new Set([relation.key, relation.sourceKey, relation.targetKey]);

  const noCategory = annotators.filter((annotator) => annotator.category === null);

  return (
    <section className="items" aria-labelledby="items-title">
      <div className="items__head">
        <div>
          <h2 id="items-title">{t('adjudication.items')}</h2>
          <p className="muted">{t('adjudication.itemsHelp')}</p>
        </div>
      </div>

      <div className="table-wrap">
        <table className="table table--items">
          <caption className="table__caption">{t('adjudication.categories')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adjudication.col.category')}</th>
              <th scope="col">{t('adjudication.col.givenBy')}</th>
              <th scope="col">{t('adjudication.col.decision')}</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {index.categories.length === 0 ? (
              <EmptyRow columns={4} text={t('adjudication.noCategories')} />
            ) : (
              index.categories.map((entry) => {
                const name = categoryName(entry.category);
                const decision = categoryDecision(draft, entry.category);
                const accept = () => dispatch({ type: 'acceptCategory', category: entry.category }, t('adjudication.announce.accepted', { item: name }));
                const reject = () => dispatch({ type: 'rejectCategory', category: entry.category }, t('adjudication.announce.rejected', { item: name }));
                return (
                  <tr key={entry.category} tabIndex={0} className="item-row" onKeyDown={rowKeys(accept, reject)}>
                    <td>
                      <strong>{name}</strong>
                      {entry.annotators.length === annotators.length ? <span className="item-agreed">{t('adjudication.allAgree')}</span> : null}
                    </td>
                    <td>{entry.annotators.map(nameOf).join(', ')}</td>
                    <td>
                      <DecisionBadge decision={decision} />
                    </td>
                    <AcceptRejectCell item={name} onAccept={accept} onReject={reject} />
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
      {noCategory.length > 0 ? <p className="muted items__note">{t('adjudication.gaveNoCategory', { names: noCategory.map((a) => nameOf(a.id)).join(', ') })}</p> : null}

      <div className="table-wrap">
        <table className="table table--items">
          <caption className="table__caption">{t('adjudication.spans')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adjudication.col.text')}</th>
              <th scope="col">{t('adjudication.col.label')}</th>
              <th scope="col" className="numeric">
                {t('adjudication.col.offsets')}
              </th>
              {annotators.map((annotator) => (
                <th key={annotator.id} scope="col" className="mark">
                  {nameOf(annotator.id)}
                </th>
              ))}
              <th scope="col">{t('adjudication.col.decision')}</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {spans.length === 0 ? (
              <EmptyRow columns={5 + annotators.length} text={t('adjudication.noSpans')} />
            ) : (
              spans.map((span) => {
                const look = lookOf(looks.spans, span.label);
                const words = spanWords(span);
                const item = `${words} (${look.name})`;
                const decision = spanDecision(draft, span.key);
                const agreed = isAgreed(index, span.ids);
                const accept = () => dispatch({ type: 'acceptSpan', key: span.key }, t('adjudication.announce.accepted', { item }));
                const reject = () => dispatch({ type: 'rejectSpan', key: span.key }, t('adjudication.announce.rejected', { item }));
                const active = new Set([span.key]);
                return (
                  <tr
                    key={span.key}
                    tabIndex={0}
                    className={agreed ? 'item-row' : 'item-row item-row--disputed'}
                    onKeyDown={rowKeys(accept, reject)}
                    onFocus={() => onActive(active)}
                    onBlur={() => onActive(NONE)}
                    onMouseEnter={() => onActive(active)}
                    onMouseLeave={() => onActive(NONE)}
                  >
                    <td className="item-text">
                      {words}
                      {span.notes.length > 0 ? (
                        <ul className="item-notes">
                          {span.notes.map((note) => (
                            <li key={note.annotator}>
                              {nameOf(note.annotator)}: {note.note}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </td>
                    <td className="item-label">
                      <span className="item-swatch" style={{ backgroundColor: look.color }} aria-hidden="true" />
                      {look.name}
                    </td>
                    <td className="numeric">
                      {span.start}–{span.end}
                    </td>
                    <AnnotatorMarks annotators={annotators} ids={span.ids} />
                    <td>
                      <DecisionBadge decision={decision} />
                    </td>
                    <AcceptRejectCell item={item} onAccept={accept} onReject={reject} />
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>

      <div className="table-wrap">
        <table className="table table--items">
          <caption className="table__caption">
            {t('adjudication.relations')}
            <span className="table__caption-note">{t('adjudication.relationsHelp')}</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('adjudication.col.relation')}</th>
              {annotators.map((annotator) => (
                <th key={annotator.id} scope="col" className="mark">
                  {nameOf(annotator.id)}
                </th>
              ))}
              <th scope="col">{t('adjudication.col.decision')}</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {comparison.relations.length === 0 ? (
              <EmptyRow columns={3 + annotators.length} text={t('adjudication.noRelations')} />
            ) : (
              comparison.relations.map((relation) => {
                const item = describeRelation(relation);
                const decision = relationDecision(draft, relation.key);
                const agreed = isAgreed(index, relation.ids);
                const accept = () => dispatch({ type: 'acceptRelation', key: relation.key }, t('adjudication.announce.accepted', { item }));
                const reject = () => dispatch({ type: 'rejectRelation', key: relation.key }, t('adjudication.announce.rejected', { item }));
                const active = relationEnds(relation);
                return (
                  <tr
                    key={relation.key}
                    tabIndex={0}
                    className={agreed ? 'item-row' : 'item-row item-row--disputed'}
                    onKeyDown={rowKeys(accept, reject)}
                    onFocus={() => onActive(active)}
                    onBlur={() => onActive(NONE)}
                    onMouseEnter={() => onActive(active)}
                    onMouseLeave={() => onActive(NONE)}
                  >
                    <td className="item-text">{item}</td>
                    <AnnotatorMarks annotators={annotators} ids={relation.ids} />
                    <td>
                      <DecisionBadge decision={decision} />
                    </td>
                    <AcceptRejectCell item={item} onAccept={accept} onReject={reject} />
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
