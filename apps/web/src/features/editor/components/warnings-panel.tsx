import type { LabelScheme, StructureWarning } from '@warrant/domain';
import { useT } from '../../../lib/i18n/use-t.ts';
import type { EditorSession } from '../core/session.ts';
import { useEditorStore } from '../stores/editor-store.ts';

/** Structural warnings as the annotator works; never blocking. */
export function WarningsPanel({
  warnings,
  session,
  scheme,
  onShowSpan,
}: {
  warnings: readonly StructureWarning[];
  session: EditorSession;
  /** The scheme as shown (names in the interface language). */
  scheme: LabelScheme;
  onShowSpan: (spanId: string) => void;
}) {
  const t = useT();
  if (warnings.length === 0) return <p className="muted">{t('editor.warnings.none')}</p>;
  const excerpt = (id: string) => {
    const span = session.state.spans.get(id);
    if (!span) return id;
    const points = Array.from(session.text.slice(span.start, span.end));
    return points.length > 40 ? `${points.slice(0, 40).join('')}…` : points.join('');
  };
  const relationSpan = (id: string) => session.state.relations.get(id)?.source;
  return (
    <ul className="warning-list" aria-label={t('editor.warnings.title')}>
      {warnings.map((warning, i) => {
        let text: string;
        let target: string | undefined;
        switch (warning.kind) {
          case 'cycle':
            text = t('editor.warnings.cycle', { count: warning.spanIds.length });
            target = warning.spanIds[0];
            break;
          case 'unconnected-span':
            text = t('editor.warnings.unconnected', { text: excerpt(warning.spanId) });
            target = warning.spanId;
            break;
          case 'no-conclusion':
            text = t('editor.warnings.noConclusion');
            break;
          case 'several-conclusions':
            text = t('editor.warnings.severalConclusions', { count: warning.spanIds.length });
            target = warning.spanIds[0];
            break;
          case 'relation-not-allowed': {
            const relation = session.state.relations.get(warning.relationId);
            const type = scheme.relationTypes.find((r) => r.key === relation?.type)?.name ?? relation?.type ?? '';
            const end = warning.reason === 'target-label' ? relation?.target : relation?.source;
            const labelKey = end ? session.state.spans.get(end)?.label : undefined;
            const label = scheme.spanLabels.find((l) => l.key === labelKey)?.name ?? labelKey ?? '';
            if (warning.reason === 'source-label') text = t('editor.warnings.sourceLabel', { type, label, text: excerpt(end ?? '') });
            else if (warning.reason === 'target-label') text = t('editor.warnings.targetLabel', { type, label, text: excerpt(end ?? '') });
            else text = t('editor.warnings.notAllowed');
            target = relationSpan(warning.relationId);
            break;
          }
        }
        return (
          <li key={`${warning.kind}-${i}`}>
            {target ? (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  useEditorStore.getState().selectSpan(target ?? null);
                  onShowSpan(target ?? '');
                }}
              >
                {text}
              </button>
            ) : (
              <span>{text}</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
