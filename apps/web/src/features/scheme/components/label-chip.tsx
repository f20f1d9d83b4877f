import { useT } from '../../../lib/i18n/use-t.ts';
import { textColorOn } from '../../../lib/text-color.ts';

/**
 * How a span label will look on text: its colour behind a sample phrase, the text black or white
 * by luminance. Colours are set through the style property (CSSOM), which the CSP allows.
 */
export function LabelChip({ color, name }: { color: string; name: string }) {
  const t = useT();
  return (
    <p className="label-preview">
      <span className="visually-hidden">{t('scheme.preview.caption')} </span>
      <span className="label-chip" style={{ backgroundColor: color, color: textColorOn(color) }} data-testid="label-chip">
        <span className="label-chip__name">{name.trim() || t('scheme.preview.unnamed')}</span>
        <span className="label-chip__text">{t('scheme.preview.sample')}</span>
      </span>
    </p>
  );
}
