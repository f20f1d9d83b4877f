import type { SpanLabel } from '@warrant/domain';
import { useEffect, useRef } from 'react';
import { useT } from '../../../lib/i18n/use-t.ts';
import { useEditorStore } from '../stores/editor-store.ts';

export interface LabelPopoverProps {
  labels: readonly SpanLabel[];
  onLabel: (key: string) => void;
}

/** After a mouse selection: the labels, with their hotkeys, next to the pointer. */
export function LabelPopover({ labels, onLabel }: LabelPopoverProps) {
  const t = useT();
  const at = useEditorStore((s) => s.popover);
  const setPopover = useEditorStore((s) => s.setPopover);
  const ref = useRef<HTMLDivElement | null>(null);

  useEffect(() => {
    if (!at) return;
    const close = (event: MouseEvent) => {
      if (ref.current && !ref.current.contains(event.target as Node)) setPopover(null);
    };
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, [at, setPopover]);

  if (!at) return null;
  const left = Math.min(at.x, window.innerWidth - 240);
  const top = Math.min(at.y + 12, window.innerHeight - 60 - labels.length * 40);
  return (
    <div ref={ref} className="label-popover" role="dialog" aria-label={t('editor.popover.title')} style={{ left, top }}>
      <p className="label-popover__title">{t('editor.popover.title')}</p>
      <div className="label-popover__buttons">
        {labels.map((label) => (
          <button key={label.key} type="button" className="label-button" onClick={() => onLabel(label.key)}>
            <span className="label-swatch" style={{ backgroundColor: label.color }} aria-hidden="true" />
            {label.name}
            {label.hotkey ? <kbd>{label.hotkey}</kbd> : null}
          </button>
        ))}
      </div>
    </div>
  );
}
