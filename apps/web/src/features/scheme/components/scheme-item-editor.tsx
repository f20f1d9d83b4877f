import type { Dispatch } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { SelectField } from '../../../components/ui/select-field.tsx';
import { TextAreaField } from '../../../components/ui/text-area-field.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { useT } from '../../../lib/i18n/use-t.ts';
import { NAME_MAX, type DraftField, type DraftProblem } from '../stores/draft-problems.ts';
import type { DraftAction, DraftFields, DraftItem, SchemeSection } from '../stores/scheme-draft.ts';
import { ColorField } from './color-field.tsx';
import { LabelChip } from './label-chip.tsx';
import { useProblemText } from './problem-text.ts';

export interface SchemeItemEditorProps {
  section: SchemeSection;
  item: DraftItem;
  dispatch: Dispatch<DraftAction>;
  /** This item's problems that are to be shown now. */
  problems: Partial<Record<DraftField, DraftProblem>>;
  /** A problem the server reported for one of this item's fields (by field name). */
  serverProblems: Partial<Record<string, string>>;
  onBlurField: (field: DraftField) => void;
  /** The draft's span labels: relation types choose among them where they may start and point. */
  spanLabels: DraftItem[];
}

const DESCRIPTION_MAX = 2000;

/** A hotkey is one character: typing into a filled box replaces it rather than being refused. */
function nextHotkey(previous: string, typed: string): string {
  const value = typed.toLowerCase();
  if (value.length <= 1) return value;
  return (value.replace(previous, '') || previous).slice(-1);
}

/** One label, relation type or category: its fields, the span label's preview, and Delete. */
export function SchemeItemEditor({ section, item, dispatch, problems, serverProblems, onBlurField, spanLabels }: SchemeItemEditorProps) {
  const t = useT();
  const problemText = useProblemText();
  const update = (fields: Partial<DraftFields>) => dispatch({ type: 'update', section, id: item.id, fields });
  const error = (field: DraftField | 'description' | 'color' | 'target') => {
    const problem = field === 'name' || field === 'key' || field === 'hotkey' ? problems[field] : undefined;
    return problem ? problemText(problem) : serverProblems[field];
  };
  const displayName = item.name.trim() || t(`scheme.new.${section}`);
  const hasColor = section !== 'categories';

  return (
    <fieldset className="scheme-item">
      <legend className="scheme-item__legend">
        {displayName}
        {item.key ? <code className="scheme-item__legend-key"> ({item.key})</code> : null}
      </legend>
      <div className={`scheme-item__grid scheme-item__grid--${section}`}>
        <TextField
          label={t('scheme.field.name')}
          className="scheme-item__name"
          value={item.name}
          maxLength={NAME_MAX}
          required
          onChange={(event) => update({ name: event.target.value })}
          onBlur={() => onBlurField('name')}
          error={error('name')}
        />
        {item.isNew ? (
          <TextField
            label={t('scheme.field.key')}
            hint={t('scheme.field.keyHint')}
            className="input--code"
            value={item.key}
            maxLength={32}
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            required
            onChange={(event) => update({ key: event.target.value.toLowerCase() })}
            onBlur={() => onBlurField('key')}
            error={error('key')}
          />
        ) : (
          <TextField
            label={t('scheme.field.key')}
            title={t('scheme.field.keyFixed')}
            className="input--code input--readonly"
            value={item.key}
            readOnly
          />
        )}
        {hasColor ? <ColorField label={t('scheme.field.color')} value={item.color} onChange={(color) => update({ color })} /> : null}
        <TextField
          label={t('scheme.field.hotkey')}
          hint={item.isNew ? t('scheme.field.hotkeyHint') : undefined}
          className="input--code input--hotkey"
          value={item.hotkey}
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          onChange={(event) => update({ hotkey: nextHotkey(item.hotkey, event.target.value) })}
          onBlur={() => onBlurField('hotkey')}
          error={error('hotkey')}
        />
        {section === 'relationTypes' ? (
          item.isNew ? (
            <SelectField
              label={t('scheme.field.target')}
              value={item.target}
              options={[
                { value: 'span', label: t('scheme.target.span') },
                { value: 'relation', label: t('scheme.target.relation') },
              ]}
              onChange={(event) => update({ target: event.target.value === 'relation' ? 'relation' : 'span' })}
            />
          ) : (
            <TextField
              label={t('scheme.field.target')}
              title={t('scheme.field.targetFixed')}
              className="input--readonly"
              value={t(`scheme.target.${item.target}`)}
              readOnly
            />
          )
        ) : null}
      </div>
      {section === 'relationTypes' ? (
        <div className="scheme-item__labels">
          <LabelList
            legend={t('scheme.field.sources')}
            spanLabels={spanLabels}
            value={item.sources}
            onChange={(sources) => update({ sources })}
          />
          {item.target === 'span' ? (
            <LabelList
              legend={t('scheme.field.targets')}
              spanLabels={spanLabels}
              value={item.targets}
              onChange={(targets) => update({ targets })}
            />
          ) : null}
        </div>
      ) : null}
      <div className="scheme-item__bottom">
        <TextAreaField
          label={t('scheme.field.description')}
          rows={2}
          className="scheme-item__description"
          value={item.description}
          maxLength={DESCRIPTION_MAX}
          onChange={(event) => update({ description: event.target.value })}
          error={error('description')}
        />
        <div className="scheme-item__aside">
          {section === 'spanLabels' ? <LabelChip color={item.color} name={item.name} /> : null}
          <Button variant="danger" className="scheme-item__delete" onClick={() => dispatch({ type: 'remove', section, id: item.id })}>
            {t('scheme.item.delete', { name: displayName })}
          </Button>
        </div>
      </div>
    </fieldset>
  );
}

/**
 * Which span labels a relation type may start from (or point at). All ticked means "any", which
 * is stored as no list at all; a relation outside the list is a warning for annotators, not an error.
 */
function LabelList({
  legend,
  spanLabels,
  value,
  onChange,
}: {
  legend: string;
  spanLabels: DraftItem[];
  value: string[] | null;
  onChange: (next: string[] | null) => void;
}) {
  const keys = spanLabels.map((label) => label.key).filter((key) => key !== '');
  const chosen = new Set(value ?? keys);
  const toggle = (key: string) => {
    const next = new Set(chosen);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    const list = keys.filter((k) => next.has(k));
    onChange(list.length === keys.length ? null : list);
  };
  return (
    <fieldset className="scheme-item__label-list">
      <legend>{legend}</legend>
      {spanLabels
        .filter((label) => label.key !== '')
        .map((label) => (
          <label key={label.id} className="checkbox-inline">
            <input type="checkbox" checked={chosen.has(label.key)} onChange={() => toggle(label.key)} />
            {label.name || label.key}
          </label>
        ))}
    </fieldset>
  );
}
