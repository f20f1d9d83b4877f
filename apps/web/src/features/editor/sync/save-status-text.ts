import type { Translate } from '../../../lib/i18n/translate.ts';
import type { SaveStatus } from './save-engine.ts';

/** The sentence a save indicator shows for a status, in the user's language. */
export function saveStatusText(status: SaveStatus, t: Translate): string {
  const count = status.pending;
  switch (status.kind) {
    case 'saved':
      return t('sync.saved');
    case 'saving':
      return t('sync.saving', { count });
    case 'offline':
      return t('sync.offline', { count });
    case 'signed-out':
      return t('sync.signedOut', { count });
    case 'conflict':
      return t('sync.conflict');
    case 'error':
      switch (status.reason) {
        case 'refused':
          return t('sync.refused', { count: status.dropped ?? 1, message: status.message });
        case 'not-restored':
          return t('sync.notRestored', { count: status.dropped ?? 1, message: status.message });
        case 'unavailable':
          return t('sync.unavailable', { count });
        case 'not-found':
          return t('sync.notFound');
        case 'forbidden':
          return t('sync.forbidden', { message: status.message });
      }
  }
}
