import type { PluralForms } from '../plural.ts';

/** The sync area's strings (English, the source). Keys start with 'sync.'. */
export const syncEn = {
  'sync.saved': 'All changes saved',
  'sync.saving': { one: 'Saving {count} change…', other: 'Saving {count} changes…' },
  'sync.offline': {
    one: 'Offline: {count} change is kept on this device and will be sent when the connection returns.',
    other: 'Offline: {count} changes are kept on this device and will be sent when the connection returns.',
  },
  'sync.signedOut': {
    one: 'Your session has ended: {count} change is kept on this device. Log in again to send it.',
    other: 'Your session has ended: {count} changes are kept on this device. Log in again to send them.',
  },
  'sync.conflict': 'This passage was changed elsewhere since you opened it. Choose which version to keep.',
  'sync.refused': {
    one: '{count} edit was not saved: the server refused it ({message}). The passage now shows what is saved.',
    other: '{count} edits were not saved: the server refused them ({message}). The passage now shows what is saved.',
  },
  'sync.notRestored': {
    one: '{count} edit left unsaved earlier no longer fits this passage and was not saved ({message}).',
    other: '{count} edits left unsaved earlier no longer fit this passage and were not saved ({message}).',
  },
  'sync.unavailable': {
    one: 'The server cannot store changes right now; {count} change is kept on this device and will be sent automatically.',
    other: 'The server cannot store changes right now; {count} changes are kept on this device and will be sent automatically.',
  },
  'sync.notFound': 'This annotation is no longer available to you on the server. Your unsent changes are kept on this device.',
  'sync.forbidden': 'The server did not accept changes from this page ({message}). Your changes are kept on this device: reload the page.',
} as const satisfies Record<string, string | PluralForms>;
