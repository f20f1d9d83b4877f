import type { LabelScheme } from '@warrant/domain';
import { useT } from '../../../lib/i18n/use-t.ts';
import type { EditorSession } from '../core/session.ts';
import { useEditorStore } from '../stores/editor-store.ts';

function quote(text: string): string {
  const points = Array.from(text.replace(/\s+/g, ' ').trim());
  return points.length > 120 ? `${points.slice(0, 120).join('')}…` : points.join('');
}

/**
 * What a screen reader hears as the annotator works: the selected span with its label, the
 * selected text, and what a link is waiting for. The bands and tags themselves are drawing only.
 */
export function Announcer({ session, scheme }: { session: EditorSession; scheme: LabelScheme }) {
  const t = useT();
  const selectedSpanId = useEditorStore((s) => s.selectedSpanId);
  const anchor = useEditorStore((s) => s.anchor);
  const focus = useEditorStore((s) => s.focus);
  const mode = useEditorStore((s) => s.mode);
  let message = '';
  if (mode.kind === 'link') {
    const type = scheme.relationTypes.find((r) => r.key === mode.relationType)?.name ?? mode.relationType;
    const target = mode.candidateId ? session.state.spans.get(mode.candidateId) : undefined;
    message = target
      ? t('editor.announce.linkTarget', { type, text: quote(session.text.slice(target.start, target.end)) })
      : t('editor.announce.link', { type });
  } else if (selectedSpanId) {
    const span = session.state.spans.get(selectedSpanId);
    if (span) {
      const label = scheme.spanLabels.find((l) => l.key === span.label)?.name ?? span.label;
      message = t('editor.announce.span', { label, text: quote(session.text.slice(span.start, span.end)) });
    }
  } else if (anchor !== null && focus !== null && anchor !== focus) {
    message = t('editor.announce.selection', { text: quote(session.text.slice(Math.min(anchor, focus), Math.max(anchor, focus))) });
  }
  return (
    <>
      <p id="editor-text-help" className="visually-hidden">
        {t('editor.announce.help')}
      </p>
      <p className="visually-hidden" role="status" aria-live="polite">
        {message}
      </p>
    </>
  );
}
