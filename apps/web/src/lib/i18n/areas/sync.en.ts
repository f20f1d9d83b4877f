import type { PluralForms } from '../plural.ts';

/** The sync area's strings (English, the source). Keys start with 'sync.'. */
export const syncEn = {
  'sync.saved': 'All changes saved',
  'sync.saving': { one: 'Saving {count} change…', other: 'Saving {count} changes…' },
  'sync.savingVolatile': {
    one: 'Saving {count} change… This browser cannot keep unsent changes on this device: keep this tab open until it is saved.',
    other: 'Saving {count} changes… This browser cannot keep unsent changes on this device: keep this tab open until they are saved.',
  },
  'sync.offline': {
    one: 'Offline: {count} change is kept on this device and will be sent when the connection returns.',
    other: 'Offline: {count} changes are kept on this device and will be sent when the connection returns.',
  },
  'sync.offlineVolatile': {
    one: 'Offline: {count} change is NOT kept on this device (this browser cannot store it); it will be sent when the connection returns if this tab stays open.',
    other: 'Offline: {count} changes are NOT kept on this device (this browser cannot store them); they will be sent when the connection returns if this tab stays open.',
  },
  'sync.signedOut': {
    one: 'Your session has ended: {count} change is kept on this device. Log in again to send it.',
    other: 'Your session has ended: {count} changes are kept on this device. Log in again to send them.',
  },
  'sync.signedOutVolatile': {
    one: 'Your session has ended: {count} change is NOT kept on this device, only in this tab. Log in again in another tab to send it.',
    other: 'Your session has ended: {count} changes are NOT kept on this device, only in this tab. Log in again in another tab to send them.',
  },
  'sync.conflict': 'This passage was changed elsewhere since you opened it. Choose which version to keep.',
  'sync.refused': {
    one: '{count} edit was not saved: the server refused {edit} because {cause}. The passage now shows what is saved.',
    other: '{count} edits were not saved; the first, {edit}, was refused because {cause}. The passage now shows what is saved.',
  },
  'sync.notRestored': {
    one: '{count} edit left unsaved earlier no longer fits this passage: {edit} could not be saved because {cause}.',
    other: '{count} edits left unsaved earlier no longer fit this passage and were not saved, among them {edit}, because {cause}.',
  },
  'sync.unavailable': {
    one: 'The server cannot store changes right now; {count} change is kept on this device and will be sent automatically.',
    other: 'The server cannot store changes right now; {count} changes are kept on this device and will be sent automatically.',
  },
  'sync.unavailableVolatile': {
    one: 'The server cannot store changes right now; {count} change is NOT kept on this device, only in this tab, and will be sent automatically while it stays open.',
    other: 'The server cannot store changes right now; {count} changes are NOT kept on this device, only in this tab, and will be sent automatically while it stays open.',
  },
  'sync.notFound': 'This annotation is no longer available to you on the server. Your unsent changes are kept on this device.',
  'sync.notFoundVolatile': 'This annotation is no longer available to you on the server. Your unsent changes are NOT kept on this device: they are lost when this tab closes.',
  'sync.forbidden': 'The server did not accept changes from this page. Your changes are kept on this device: reload the page.',
  'sync.forbiddenVolatile': 'The server did not accept changes from this page. Your changes are NOT kept on this device (this browser cannot store them): reloading would lose them.',
  'sync.storage': {
    one: 'This device could not store {count} change; it is kept in this tab only and still being sent. Trying to store it again…',
    other: 'This device could not store {count} changes; they are kept in this tab only and still being sent. Trying to store them again…',
  },

  // What a dropped edit did (the object of "the server refused …").
  'sync.edit.addSpan': 'the new span “{text}” ({label})',
  'sync.edit.addSpanNoText': 'a new span ({label})',
  'sync.edit.updateSpan': 'the change to the span “{text}”',
  'sync.edit.updateSpanNoText': 'a change to a span',
  'sync.edit.deleteSpan': 'the removal of the span “{text}”',
  'sync.edit.deleteSpanNoText': 'the removal of a span',
  'sync.edit.addRelation': 'a new “{label}” relation',
  'sync.edit.updateRelation': 'the change of a relation to “{label}”',
  'sync.edit.deleteRelation': 'the removal of a relation',
  'sync.edit.setCategory': 'the category “{label}”',
  'sync.edit.clearCategory': 'clearing the category',
  'sync.edit.setStatus': 'the change of the passage’s status',
  'sync.edit.unknown': 'an edit',
  // Why (after "because").
  'sync.cause.scheme': '“{label}” is no longer in the project’s label scheme',
  'sync.cause.schemeRelation': 'the relation type “{label}” is no longer in the project’s label scheme',
  'sync.cause.schemeCategory': 'the category “{label}” is no longer in the project’s label scheme',
  'sync.cause.schemeUnnamed': 'the project’s label scheme has changed',
  'sync.cause.missing': 'something it refers to no longer exists',
  'sync.cause.duplicate': 'the same mark exists already',
  'sync.cause.offsets': 'its position does not fit the passage text',
  'sync.cause.offsetsPastEnd': 'it reaches past the end of the passage text',
  'sync.cause.offsetsEmpty': 'it covers no text',
  'sync.cause.offsetsSurrogate': 'it cuts a character in two',
  'sync.cause.tooLarge': 'it is too large to send',
  'sync.cause.invalid': 'the annotation rules do not allow it',
  // What else holds edits back, after a notice about dropped ones.
  'sync.waiting.offline': { one: 'Offline: {count} other change waits on this device.', other: 'Offline: {count} other changes wait on this device.' },
  'sync.waiting.signedOut': {
    one: 'Your session has ended: log in again to send {count} other change.',
    other: 'Your session has ended: log in again to send {count} other changes.',
  },
  'sync.waiting.unavailable': {
    one: 'The server cannot store changes right now; {count} other change will be sent automatically.',
    other: 'The server cannot store changes right now; {count} other changes will be sent automatically.',
  },
  'sync.waiting.notFound': 'This annotation is no longer available to you on the server.',
  'sync.waiting.forbidden': 'The server did not accept changes from this page: reload it.',
  'sync.waiting.storage': 'This device could not store your latest changes; they are kept in this tab only.',
  'sync.waiting.volatile': 'This browser cannot keep unsent changes on this device: keep this tab open.',

  // Logging out with unsent work.
  'sync.logout.pending': {
    one: '{count} change has not reached the server yet. It stays on this device and is sent when you log in here again, but nobody can see it until then. Log out anyway?',
    other: '{count} changes have not reached the server yet. They stay on this device and are sent when you log in here again, but nobody can see them until then. Log out anyway?',
  },
} as const satisfies Record<string, string | PluralForms>;
