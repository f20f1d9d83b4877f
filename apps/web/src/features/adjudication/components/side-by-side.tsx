import type { Comparison } from '@warrant/contracts';
import type { LabelScheme } from '@warrant/domain';
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { useLocale, useT } from '../../../lib/i18n/use-t.ts';
import { offsetFromDomPoint, selectionToRange } from '../core/dom-offsets.ts';
import { isAgreed, type ComparisonIndex, type GoldDraft } from '../core/gold-draft.ts';
import { quoted } from '../core/describe.ts';
import type { LabelLook } from '../core/looks.ts';
import type { MarkedSpan } from '../core/text-segments.ts';
import { TextColumn } from './text-column.tsx';

export interface SideBySideProps {
  comparison: Comparison;
  index: ComparisonIndex;
  draft: GoldDraft;
  scheme: LabelScheme;
  looks: Map<string, LabelLook>;
  activeKeys: ReadonlySet<string>;
  nameOf: (annotatorId: string) => string;
  categoryName: (key: string) => string;
  onAddSpan: (range: { start: number; end: number }, label: string) => void;
}

/** Each annotator's spans over the text, one column each, and the gold version being built. */
export function SideBySide({ comparison, index, draft, scheme, looks, activeKeys, nameOf, categoryName, onAddSpan }: SideBySideProps) {
  const t = useT();
  const text = comparison.passage.text;
  const goldRoot = useRef<HTMLDivElement | null>(null);

  const columns = useMemo(
    () =>
      comparison.annotators.map((annotator) => ({
        annotator,
        spans: comparison.spans
          .filter((span) => annotator.id in span.ids)
          .map(
            (span): MarkedSpan => ({
              id: span.ids[annotator.id] ?? span.key,
              label: span.label,
              start: span.start,
              end: span.end,
              disputed: !isAgreed(index, span.ids),
              key: span.key,
            }),
          ),
      })),
    [comparison, index],
  );
  const goldSpans = useMemo(
    () => draft.spans.map((span): MarkedSpan => ({ id: span.id, label: span.label, start: span.start, end: span.end, disputed: false, key: span.origin })),
    [draft.spans],
  );

  return (
    <section className="cmp" aria-labelledby="cmp-title">
      <div className="cmp__head">
        <h2 id="cmp-title">{t('adjudication.sideBySide')}</h2>
        <ul className="cmp-legend" aria-label={t('adjudication.legend')}>
          {scheme.spanLabels.map((label) => (
            <li key={label.key}>
              <span className="cmp-legend__swatch" style={{ backgroundColor: label.color }} aria-hidden="true" />
              {label.name}
            </li>
          ))}
          <li>
            <span className="cmp-legend__agreed" aria-hidden="true" />
            {t('adjudication.legend.agreed')}
          </li>
          <li>
            <span className="cmp-legend__disputed" aria-hidden="true" />
            {t('adjudication.legend.disputed')}
          </li>
        </ul>
      </div>
      <AddSpanBar text={text} scheme={scheme} goldRoot={goldRoot} onAddSpan={onAddSpan} />
      <div className="cmp__columns" style={{ gridTemplateColumns: `repeat(${columns.length + 1}, minmax(15rem, 1fr))` }}>
        {columns.map(({ annotator, spans }) => (
          <section key={annotator.id} className="cmp-column" aria-labelledby={`cmp-col-${annotator.id}`}>
            <header className="cmp-column__head">
              <h3 id={`cmp-col-${annotator.id}`}>{nameOf(annotator.id)}</h3>
              <p className="cmp-column__meta">
                {t('adjudication.category')}:{' '}
                {annotator.category === null ? <span className="muted">{t('adjudication.noCategory')}</span> : <strong>{categoryName(annotator.category)}</strong>}
                {' · '}
                {t('adjudication.spanCount', { count: spans.length })}
              </p>
            </header>
            <TextColumn text={text} spans={spans} looks={looks} activeKeys={activeKeys} label={t('adjudication.columnText', { name: nameOf(annotator.id) })} />
          </section>
        ))}
        <section className="cmp-column cmp-column--gold" aria-labelledby="cmp-col-gold">
          <header className="cmp-column__head">
            <h3 id="cmp-col-gold">{t('adjudication.gold')}</h3>
            <p className="cmp-column__meta">
              {t('adjudication.category')}:{' '}
              {draft.category === null ? <span className="muted">{t('adjudication.noCategory')}</span> : <strong>{categoryName(draft.category)}</strong>}
              {' · '}
              {t('adjudication.spanCount', { count: draft.spans.length })}
            </p>
          </header>
          <TextColumn text={text} spans={goldSpans} looks={looks} activeKeys={activeKeys} rootRef={goldRoot} label={t('adjudication.goldText')} />
        </section>
      </div>
    </section>
  );
}

interface AddSpanBarProps {
  text: string;
  scheme: LabelScheme;
  goldRoot: RefObject<HTMLDivElement | null>;
  onAddSpan: (range: { start: number; end: number }, label: string) => void;
}

/**
 * Adds a span to the gold version: words selected in the gold column (or offsets typed in), then a
 * label. It sits above the columns, so the texts stay aligned side by side, and keeps a fixed
 * height, so nothing moves under the mouse while a selection is being dragged.
 */
function AddSpanBar({ text, scheme, goldRoot, onAddSpan }: AddSpanBarProps) {
  const t = useT();
  const locale = useLocale();
  const [range, setRange] = useState<{ start: number; end: number } | null>(null);
  const [manual, setManual] = useState({ start: '', end: '' });

  useEffect(() => {
    const update = () => {
      const root = goldRoot.current;
      const selection = document.getSelection();
      if (!root || !selection || selection.rangeCount === 0) return;
      const current = selection.getRangeAt(0);
      if (current.collapsed) {
        // A click in the gold text (not on the add buttons, which keep the selection) forgets it.
        if (root.contains(current.startContainer)) {
          setRange(null);
          setManual({ start: '', end: '' });
        }
        return;
      }
      const a = offsetFromDomPoint(root, current.startContainer, current.startOffset);
      const b = offsetFromDomPoint(root, current.endContainer, current.endOffset);
      if (a === null || b === null) return;
      const next = selectionToRange(text, a, b);
      setRange(next);
      if (next) setManual({ start: String(next.start), end: String(next.end) });
    };
    document.addEventListener('selectionchange', update);
    return () => document.removeEventListener('selectionchange', update);
  }, [text, goldRoot]);

  const manualRange = (() => {
    const start = Number(manual.start);
    const end = Number(manual.end);
    if (manual.start === '' || manual.end === '' || !Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return null;
    return selectionToRange(text, start, end);
  })();
  const chosen = range ?? manualRange;

  const add = (label: string) => {
    if (!chosen) return;
    onAddSpan(chosen, label);
    setRange(null);
    setManual({ start: '', end: '' });
    document.getSelection()?.removeAllRanges();
  };

  return (
    <div className="add-span" role="group" aria-label={t('adjudication.addSpan')}>
      <p className="add-span__selection" aria-live="polite">
        {chosen ? (
          <>
            {t('adjudication.selected')} {quoted(text.slice(chosen.start, chosen.end), 60, locale)}{' '}
            <span className="muted">
              ({chosen.start}–{chosen.end})
            </span>
          </>
        ) : (
          <span className="muted">{t('adjudication.selectHint')}</span>
        )}
      </p>
      <div className="add-span__labels">
        {scheme.spanLabels.map((label) => (
          <Button
            key={label.key}
            className="add-span__button"
            disabled={!chosen}
            // Keep the text selection when the button is pressed with the mouse.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => add(label.key)}
            aria-label={t('adjudication.addAs', { label: label.name })}
          >
            <span className="cmp-legend__swatch" style={{ backgroundColor: label.color }} aria-hidden="true" />
            {label.name}
          </Button>
        ))}
      </div>
      <details className="add-span__offsets">
        <summary>{t('adjudication.byOffsets')}</summary>
        <div className="add-span__fields">
          <label>
            {t('adjudication.start')}
            <input
              className="input"
              type="number"
              min={0}
              max={text.length}
              value={manual.start}
              onChange={(event) => {
                setRange(null);
                setManual((current) => ({ ...current, start: event.target.value }));
              }}
            />
          </label>
          <label>
            {t('adjudication.end')}
            <input
              className="input"
              type="number"
              min={0}
              max={text.length}
              value={manual.end}
              onChange={(event) => {
                setRange(null);
                setManual((current) => ({ ...current, end: event.target.value }));
              }}
            />
          </label>
          <p className="field__hint">{t('adjudication.offsetsHint', { length: text.length })}</p>
        </div>
      </details>
    </div>
  );
}
