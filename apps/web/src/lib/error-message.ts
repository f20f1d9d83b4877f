import { isApiError } from './api-error.ts';
import type { Translate } from './i18n/translate.ts';

/**
 * A sentence for the user about a failed call, in their language. Screens handle the codes that
 * mean something particular to them (a wrong password, an unknown username) before falling back here.
 */
export function errorMessage(error: unknown, t: Translate): string {
  if (!isApiError(error)) return t('error.internal');
  switch (error.code) {
    case 'NETWORK_ERROR':
      return t('error.network');
    case 'ABORTED':
      return t('error.aborted');
    case 'UNEXPECTED_RESPONSE':
      return t('error.unexpected');
    case 'INTERNAL':
      return t('error.internal');
    case 'UNAUTHENTICATED':
      return t('error.sessionEnded');
    case 'FORBIDDEN':
      return t('error.forbidden');
    case 'NOT_FOUND':
      return t('error.notFound');
    case 'CSRF_FAILED':
      return t('error.csrf');
    case 'STORAGE_UNAVAILABLE':
      return t('error.storage');
    case 'PAYLOAD_TOO_LARGE':
      return t('error.tooLarge');
    case 'RATE_LIMITED':
      return t('error.rateLimited');
    case 'VALIDATION_FAILED':
      return t('error.validation', { message: error.message });
    case 'CONFLICT':
      return t('error.conflict');
    default:
      // The server's own sentence (English): better than a vague one for codes like LABEL_IN_USE.
      return t('error.other', { message: error.message });
  }
}
