import { DEFAULT_SCHEME } from '@warrant/domain';
import type { MessageKey } from '../../../lib/i18n/en.ts';
import type { Translate } from '../../../lib/i18n/translate.ts';
import type { DroppedEdit } from './refusal.ts';
import type { SaveStatus, SaveWaiting } from './save-engine.ts';

const DEFAULT_NAMES = new Map<string, string>(
  [...DEFAULT_SCHEME.spanLabels, ...DEFAULT_SCHEME.relationTypes, ...DEFAULT_SCHEME.categories].map((item) => [item.key, item.name]),
);

/** A scheme name as the editor shows it: the default scheme's own names in the user's language, a lead's as written. */
function labelName(label: { key: string; name: string } | undefined, t: Translate): string {
  if (!label) return '';
  return DEFAULT_NAMES.get(label.key) === label.name ? t(`editor.default.${label.key}` as MessageKey) : label.name;
}

/** What a dropped edit did, as the object of a sentence ("the new span “…” (Claim)"). */
export function droppedEditText(edit: DroppedEdit | undefined, t: Translate): string {
  if (!edit) return t('sync.edit.unknown');
  const label = labelName(edit.label, t);
  const text = edit.text ?? '';
  switch (edit.op) {
    case 'addSpan':
      return text ? t('sync.edit.addSpan', { text, label }) : t('sync.edit.addSpanNoText', { label });
    case 'updateSpan':
      return text ? t('sync.edit.updateSpan', { text }) : t('sync.edit.updateSpanNoText');
    case 'deleteSpan':
      return text ? t('sync.edit.deleteSpan', { text }) : t('sync.edit.deleteSpanNoText');
    case 'addRelation':
      return t('sync.edit.addRelation', { label });
    case 'updateRelation':
      return t('sync.edit.updateRelation', { label });
    case 'deleteRelation':
      return t('sync.edit.deleteRelation');
    case 'setCategory':
      return edit.label ? t('sync.edit.setCategory', { label }) : t('sync.edit.clearCategory');
    case 'setStatus':
      return t('sync.edit.setStatus');
  }
}

/** Why it was refused, from the error code and `details.reason` (never the server's English sentence). */
export function refusalCauseText(edit: DroppedEdit | undefined, t: Translate): string {
  switch (edit?.cause) {
    case 'scheme': {
      if (!edit.label) return t('sync.cause.schemeUnnamed');
      const label = labelName(edit.label, t);
      if (edit.op === 'addRelation' || edit.op === 'updateRelation') return t('sync.cause.schemeRelation', { label });
      if (edit.op === 'setCategory') return t('sync.cause.schemeCategory', { label });
      return t('sync.cause.scheme', { label });
    }
    case 'missing':
      return t('sync.cause.missing');
    case 'duplicate':
      return t('sync.cause.duplicate');
    case 'offsets':
      switch (edit.offsets) {
        case 'past_end':
          return t('sync.cause.offsetsPastEnd');
        case 'empty_or_reversed':
          return t('sync.cause.offsetsEmpty');
        case 'inside_surrogate_pair':
          return t('sync.cause.offsetsSurrogate');
        default:
          return t('sync.cause.offsets');
      }
    case 'too-large':
      return t('sync.cause.tooLarge');
    default:
      return t('sync.cause.invalid');
  }
}

/** What else holds edits back, after a notice about dropped ones. */
function waitingText(waiting: SaveWaiting, count: number, t: Translate): string {
  switch (waiting) {
    case 'offline':
      return t('sync.waiting.offline', { count });
    case 'signed-out':
      return t('sync.waiting.signedOut', { count });
    case 'unavailable':
      return t('sync.waiting.unavailable', { count });
    case 'not-found':
      return t('sync.waiting.notFound');
    case 'forbidden':
      return t('sync.waiting.forbidden');
    case 'storage':
      return t('sync.waiting.storage');
  }
}

/**
 * The sentence a save indicator shows for a status, in the user's language. Only catalogue
 * strings and the user's own data (passage text, scheme names): the server's English message is
 * in `status.message` for logs and tooltips.
 */
export function saveStatusText(status: SaveStatus, t: Translate): string {
  const count = status.pending;
  switch (status.kind) {
    case 'saved':
      return t('sync.saved');
    case 'saving':
      return status.volatile ? t('sync.savingVolatile', { count }) : t('sync.saving', { count });
    case 'offline':
      return status.volatile ? t('sync.offlineVolatile', { count }) : t('sync.offline', { count });
    case 'signed-out':
      return status.volatile ? t('sync.signedOutVolatile', { count }) : t('sync.signedOut', { count });
    case 'conflict':
      return t('sync.conflict');
    case 'error':
      switch (status.reason) {
        case 'refused':
        case 'not-restored': {
          const first = status.edits?.[0];
          const params = { count: status.dropped ?? 1, edit: droppedEditText(first, t), cause: refusalCauseText(first, t) };
          const sentences = [status.reason === 'refused' ? t('sync.refused', params) : t('sync.notRestored', params)];
          if (status.waiting) sentences.push(waitingText(status.waiting, count, t));
          if (status.volatile) sentences.push(t('sync.waiting.volatile'));
          return sentences.join(' ');
        }
        case 'storage':
          return t('sync.storage', { count });
        case 'unavailable':
          return status.volatile ? t('sync.unavailableVolatile', { count }) : t('sync.unavailable', { count });
        case 'not-found':
          return status.volatile ? t('sync.notFoundVolatile') : t('sync.notFound');
        case 'forbidden':
          return status.volatile ? t('sync.forbiddenVolatile') : t('sync.forbidden');
      }
  }
}
