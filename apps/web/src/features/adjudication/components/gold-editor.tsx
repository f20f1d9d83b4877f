import type { Comparison } from '@warrant/contracts';
import type { LabelScheme } from '@warrant/domain';
import { useState } from 'react';
import { Badge } from '../../../components/ui/badge.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { SelectField } from '../../../components/ui/select-field.tsx';
import { TextAreaField } from '../../../components/ui/text-area-field.tsx';
import { useLocale, useT } from '../../../lib/i18n/use-t.ts';
import { quoted } from '../core/describe.ts';
import { ActionsHeader, EmptyRow, RemoveCell } from './item-table-parts.tsx';
import { spanKeyOf, type DraftRelation, type DraftSpan, type GoldAction, type GoldDraft } from '../core/gold-draft.ts';
import { lookOf, type LabelLook } from '../core/looks.ts';

export interface GoldEditorProps {
  comparison: Comparison;
  draft: GoldDraft;
  scheme: LabelScheme;
  looks: { spans: Map<string, LabelLook>; relations: Map<string, LabelLook> };
  nameOf: (annotatorId: string) => string;
  categoryName: (key: string) => string;
  dispatch: (action: GoldAction, announce: string) => void;
  onActive: (keys: ReadonlySet<string>) => void;
}

const NONE: ReadonlySet<string> = new Set();

/** The gold version itself: its items with where they came from, edited directly; the category and the note. */
export function GoldEditor({ comparison, draft, scheme, looks, nameOf, categoryName, dispatch, onActive }: GoldEditorProps) {
  const t = useT();
  const locale = useLocale();
  const text = comparison.passage.text;
  const gold = comparison.gold;
  const spans = [...draft.spans].sort((a, b) => a.start - b.start || a.end - b.end);

  const spanWords = (span: DraftSpan, max = 48) => quoted(text.slice(span.start, span.end), max, locale);
  const describeEnd = (id: string, depth = 0): string => {
    const span = draft.spans.find((candidate) => candidate.id === id);
    if (span) return spanWords(span, 32);
    const relation = draft.relations.find((candidate) => candidate.id === id);
    if (relation && depth < 3) return `[${describeRelation(relation, depth + 1)}]`;
    return '?';
  };
  const describeRelation = (relation: DraftRelation, depth = 0) =>
    `${lookOf(looks.relations, relation.type).name}: ${describeEnd(relation.source, depth)} → ${describeEnd(relation.target, depth)}`;
  const provenance = (item: { sources: string[]; edited: boolean }) => (
    <>
      {item.sources.length > 0 ? item.sources.map(nameOf).join(', ') : <span className="muted">{t('adjudication.byLead')}</span>}
      {item.edited ? (
        <>
          {' '}
          <Badge tone="accent">{t('adjudication.edited')}</Badge>
        </>
      ) : null}
    </>
  );

  const categoryOptions = [
    { value: '', label: t('adjudication.categoryNone') },
    ...scheme.categories.map((category) => ({ value: category.key, label: category.name })),
    ...(draft.category !== null && !scheme.categories.some((category) => category.key === draft.category)
      ? [{ value: draft.category, label: draft.category }]
      : []),
  ];

  const savedLine = gold
    ? t('adjudication.savedBy', {
        version: gold.version,
        name: gold.adjudicator.displayName || gold.adjudicator.username,
        at: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(gold.updatedAt)),
      })
    : t('adjudication.notSaved');

  return (
    <section className="gold" aria-labelledby="gold-title">
      <div className="items__head">
        <div>
          <h2 id="gold-title">{t('adjudication.goldVersion')}</h2>
          <p className="muted">{savedLine}</p>
        </div>
      </div>

      <div className="gold__category">
        <SelectField
          label={t('adjudication.goldCategory')}
          value={draft.category ?? ''}
          options={categoryOptions}
          onChange={(event) => {
            const category = event.target.value === '' ? null : event.target.value;
            dispatch({ type: 'setCategory', category }, t('adjudication.announce.category', { category: category === null ? t('adjudication.categoryNone') : categoryName(category) }));
          }}
        />
        {draft.category !== null ? (
          <p className="muted gold__sources">
            {t('adjudication.from')}: {provenance({ sources: draft.categorySources, edited: false })}
          </p>
        ) : null}
      </div>

      <div className="table-wrap">
        <table className="table table--items">
          <caption className="table__caption">{t('adjudication.goldSpans')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adjudication.col.text')}</th>
              <th scope="col">{t('adjudication.col.label')}</th>
              <th scope="col" className="numeric">
                {t('adjudication.col.offsets')}
              </th>
              <th scope="col">{t('adjudication.col.from')}</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {spans.length === 0 ? (
              <EmptyRow columns={5} text={t('adjudication.goldEmpty')} />
            ) : (
              spans.map((span) => {
                const words = spanWords(span);
                const active = new Set(span.origin ? [span.origin] : []);
                const taken = new Set(draft.spans.filter((other) => other.id !== span.id).map(spanKeyOf));
                return (
                  <tr key={span.id} onMouseEnter={() => onActive(active)} onMouseLeave={() => onActive(NONE)}>
                    <td className="item-text">{words}</td>
                    <td>
                      <select
                        className="input input--select input--small"
                        aria-label={t('adjudication.labelOf', { item: words })}
                        value={span.label}
                        onChange={(event) =>
                          dispatch(
                            { type: 'changeSpanLabel', id: span.id, label: event.target.value },
                            t('adjudication.announce.relabelled', { item: words, label: lookOf(looks.spans, event.target.value).name }),
                          )
                        }
                      >
                        {[...scheme.spanLabels.map((label) => label.key), ...(scheme.spanLabels.some((l) => l.key === span.label) ? [] : [span.label])].map((key) => (
                          <option key={key} value={key} disabled={taken.has(spanKeyOf({ ...span, label: key }))}>
                            {lookOf(looks.spans, key).name}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="numeric">
                      {span.start}–{span.end}
                    </td>
                    <td>{provenance(span)}</td>
                    <RemoveCell item={words} onRemove={() => dispatch({ type: 'deleteSpan', id: span.id }, t('adjudication.announce.removed', { item: words }))} />
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>

      <div className="table-wrap">
        <table className="table table--items">
          <caption className="table__caption">{t('adjudication.goldRelations')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adjudication.col.relation')}</th>
              <th scope="col">{t('adjudication.col.type')}</th>
              <th scope="col">{t('adjudication.col.from')}</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {draft.relations.length === 0 ? (
              <EmptyRow columns={4} text={t('adjudication.goldNoRelations')} />
            ) : (
              draft.relations.map((relation) => {
                const item = describeRelation(relation);
                const kind = scheme.relationTypes.find((type) => type.key === relation.type)?.target ?? 'span';
                const types = scheme.relationTypes.filter((type) => type.target === kind);
                return (
                  <tr key={relation.id}>
                    <td className="item-text">{item}</td>
                    <td>
                      <select
                        className="input input--select input--small"
                        aria-label={t('adjudication.typeOf', { item })}
                        value={relation.type}
                        onChange={(event) =>
                          dispatch(
                            { type: 'changeRelationType', id: relation.id, relationType: event.target.value },
                            t('adjudication.announce.retyped', { type: lookOf(looks.relations, event.target.value).name }),
                          )
                        }
                      >
                        {[...types.map((type) => type.key), ...(types.some((type) => type.key === relation.type) ? [] : [relation.type])].map((key) => (
                          <option
                            key={key}
                            value={key}
                            disabled={draft.relations.some((other) => other.id !== relation.id && other.source === relation.source && other.target === relation.target && other.type === key)}
                          >
                            {lookOf(looks.relations, key).name}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>{provenance(relation)}</td>
                    <RemoveCell item={item} onRemove={() => dispatch({ type: 'deleteRelation', id: relation.id }, t('adjudication.announce.removed', { item }))} />
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>

      <AddRelationForm draft={draft} scheme={scheme} describeEnd={describeEnd} dispatch={dispatch} />

      <TextAreaField
        label={t('adjudication.note')}
        hint={t('adjudication.noteHint')}
        value={draft.note}
        maxLength={5000}
        rows={3}
        onChange={(event) => dispatch({ type: 'setNote', note: event.target.value }, '')}
      />
    </section>
  );
}

function AddRelationForm({
  draft,
  scheme,
  describeEnd,
  dispatch,
}: {
  draft: GoldDraft;
  scheme: LabelScheme;
  describeEnd: (id: string) => string;
  dispatch: (action: GoldAction, announce: string) => void;
}) {
  const t = useT();
  const [type, setType] = useState(scheme.relationTypes[0]?.key ?? '');
  const [source, setSource] = useState('');
  const [target, setTarget] = useState('');
  if (scheme.relationTypes.length === 0 || draft.spans.length < 2) {
    return <p className="muted gold__hint">{t('adjudication.addRelationHint')}</p>;
  }
  const kind = scheme.relationTypes.find((candidate) => candidate.key === type)?.target ?? 'span';
  const spanOptions = [...draft.spans].sort((a, b) => a.start - b.start).map((span) => ({ value: span.id, label: describeEnd(span.id) }));
  const targetOptions = kind === 'relation' ? draft.relations.map((relation) => ({ value: relation.id, label: describeEnd(relation.id) })) : spanOptions;
  const chosenSource = spanOptions.some((option) => option.value === source) ? source : (spanOptions[0]?.value ?? '');
  const chosenTarget = targetOptions.some((option) => option.value === target) ? target : (targetOptions.find((option) => option.value !== chosenSource)?.value ?? '');
  const duplicate = draft.relations.some((relation) => relation.source === chosenSource && relation.target === chosenTarget && relation.type === type);
  const possible = chosenSource !== '' && chosenTarget !== '' && chosenSource !== chosenTarget && !duplicate;
  return (
    <fieldset className="add-relation">
      <legend>{t('adjudication.addRelation')}</legend>
      <div className="add-relation__fields">
        <SelectField label={t('adjudication.relationSource')} value={chosenSource} options={spanOptions} onChange={(event) => setSource(event.target.value)} />
        <SelectField
          label={t('adjudication.col.type')}
          value={type}
          options={scheme.relationTypes.map((candidate) => ({ value: candidate.key, label: candidate.name }))}
          onChange={(event) => setType(event.target.value)}
        />
        {targetOptions.length > 0 ? (
          <SelectField label={t('adjudication.relationTarget')} value={chosenTarget} options={targetOptions} onChange={(event) => setTarget(event.target.value)} />
        ) : (
          <p className="muted">{t('adjudication.noRelationToTarget')}</p>
        )}
        <Button
          disabled={!possible}
          onClick={() =>
            dispatch(
              { type: 'addRelation', source: chosenSource, target: chosenTarget, relationType: type },
              t('adjudication.announce.relationAdded', { item: `${describeEnd(chosenSource)} → ${describeEnd(chosenTarget)}` }),
            )
          }
        >
          {t('adjudication.addRelationButton')}
        </Button>
      </div>
    </fieldset>
  );
}
