import type { PluralForms } from './plural.ts';

/**
 * The source catalog: every visible string. Plain entries take `{name}` placeholders; entries
 * with plural forms are picked by `count` with Intl.PluralRules. `ru.ts` must have the same keys.
 */
import { adjudicationEn } from './areas/adjudication.en.ts';
import { agreementEn } from './areas/agreement.en.ts';
import { datasetsEn } from './areas/datasets.en.ts';
import { editorEn } from './areas/editor.en.ts';
import { schemeEn } from './areas/scheme.en.ts';
import { syncEn } from './areas/sync.en.ts';

/** Strings of the first screens; each later area keeps its own file in ./areas, merged here. */
const coreEn = {
  'app.name': 'Warrant',
  'app.skipToContent': 'Skip to content',
  'app.loading': 'Loading…',
  'app.retry': 'Try again',

  'header.mainNav': 'Main',
  'header.projects': 'Projects',
  'header.signedInAs': 'Signed in as',
  'header.logout': 'Log out',
  'header.language': 'Language',
  'locale.en': 'English',
  'locale.ru': 'Русский',
  'header.languageSaveFailed': 'The language could not be saved to your account: {message}',

  'login.title': 'Log in',
  'login.intro': 'Warrant is a studio for marking premises, inferences and conclusions in texts.',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Log in',
  'login.submitting': 'Logging in…',
  'login.sessionEnded': 'Log in to continue to the page you asked for.',
  'login.invalidCredentials': 'Wrong username or password.',
  'login.rateLimitedSeconds': {
    one: 'Too many failed attempts. Try again in {count} second.',
    other: 'Too many failed attempts. Try again in {count} seconds.',
  },
  'login.rateLimitedMinutes': {
    one: 'Too many failed attempts. Try again in {count} minute.',
    other: 'Too many failed attempts. Try again in {count} minutes.',
  },
  'login.disabled': 'This account is disabled: ask an administrator.',

  'error.network': 'The server could not be reached. Check the connection and try again.',
  'error.internal': 'Something went wrong on the server. Try again in a moment.',
  'error.unexpected': 'The server gave an answer this page does not understand. Reload the page and try again.',
  'error.forbidden': 'You are not allowed to do this here.',
  'error.notFound': 'This was not found, or you do not have access to it.',
  'error.csrf': 'This page is out of date. Reload it and try again.',
  'error.storage': 'The server cannot store changes right now; nothing was saved. Try again shortly.',
  'error.conflict': 'Someone else changed this meanwhile. Reload the page to see their version, then make your change again.',
  'error.validation': 'Please check the form: {message}',
  'error.tooLarge': 'The request is too large.',
  'error.sessionEnded': 'Your session has ended. Log in again.',
  'error.rateLimited': 'Too many requests. Wait a little and try again.',
  'error.aborted': 'Cancelled.',
  'error.other': 'The request failed: {message}',

  'projects.title': 'Projects',
  'projects.new': 'New project',
  'projects.empty': 'You are not in any project yet. A project lead can add you.',
  'projects.emptyCreator': 'There are no projects yet. Create the first one.',
  'projects.listLabel': 'Your projects',
  'projects.role': 'Your role',
  'projects.noDescription': 'No description.',
  'projects.passages': { one: '{count} passage', other: '{count} passages' },
  'projects.progressLabel': 'Progress of {name}',
  'projects.progressText': '{submitted} of {required} annotations submitted',
  'projects.myProgress': 'You: {submitted} submitted, {open} open, {skipped} skipped',

  'role.lead': 'Lead',
  'role.annotator': 'Annotator',
  'role.none': 'Administrator',

  'status.draft': 'In progress',
  'status.submitted': 'Submitted',
  'status.skipped': 'Skipped',

  'createProject.title': 'New project',
  'createProject.name': 'Name',
  'createProject.description': 'Description',
  'createProject.annotatorsPerPassage': 'Annotators per passage',
  'createProject.annotatorsPerPassageHint': 'How many people annotate each passage independently (1–20).',
  'createProject.guidelines': 'Guidelines for annotators',
  'createProject.guidelinesHint': 'Markdown (headings, lists, emphasis, links). Annotators read it beside the text they annotate.',
  'createProject.schemeNote': 'The project starts with the default argument labels: premise, inference and conclusion.',
  'createProject.submit': 'Create project',
  'createProject.submitting': 'Creating…',
  'createProject.cancel': 'Cancel',
  'createProject.notAllowed': 'Your account cannot create projects. Ask an administrator.',
  'createProject.nameRequired': 'A project needs a name.',

  'project.allProjects': 'All projects',
  'project.sections': 'Project sections',
  'project.tab.passages': 'Passages',
  'project.tab.import': 'Import',
  'project.tab.members': 'Members',
  'project.tab.export': 'Export',
  'project.tab.agreement': 'Agreement',
  'project.progress': 'Progress',
  'project.guidelines': 'Guidelines',
  'project.annotatorsPerPassage': { one: '{count} annotator per passage', other: '{count} annotators per passage' },
  'progress.passages': 'Passages',
  'progress.required': 'Annotations needed',
  'progress.assigned': 'Handed out',
  'progress.submitted': 'Submitted',
  'progress.skipped': 'Skipped',
  'progress.barLabel': 'Annotations submitted',

  'passages.title': 'Passages',
  'passages.col.externalId': 'ID',
  'passages.col.preview': 'Text',
  'passages.col.length': 'Length',
  'passages.col.annotators': 'Annotators',
  'passages.col.gold': 'Gold',
  'passages.col.actions': 'Actions',
  'passages.compare': 'Compare',
  'passages.compareNamed': 'Compare passage {id}',
  'passages.empty': 'No passages yet. Import a file to add some.',
  'passages.notHandedOut': 'Not handed out yet',
  'passages.range': 'Passages {from}–{to} of {total}',
  'passages.pages': 'Pages',
  'passages.previous': 'Previous page',
  'passages.next': 'Next page',

  'import.title': 'Import passages',
  'import.help':
    'Plain text (.txt: passages separated by blank lines), JSON Lines (.jsonl: one {"text": …, "id": …} object per line) or CSV (.csv). A file is imported whole or not at all.',
  'import.file': 'File to import',
  'import.submit': 'Upload',
  'import.cancel': 'Cancel upload',
  'import.chooseFile': 'Choose a file first.',
  'import.unsupported': 'Use a .txt, .jsonl or .csv file.',
  'import.tooLarge': 'The file is larger than {size} MB. Split it and import the parts.',
  'import.progress': 'Upload progress',
  'import.uploading': 'Uploading {filename}…',
  'import.checking': 'Checking {filename} on the server…',
  'import.uploaded': '{filename} uploaded.',
  'import.done': { one: '{count} passage imported', other: '{count} passages imported' },
  'import.doneFrom': 'From {filename}.',
  'import.warnings': 'Warnings',
  'import.rejectedTitle': '{filename} was not imported',
  'import.rejectedCount': { one: '{count} problem found.', other: '{count} problems found.' },
  'import.rejectedShown': 'The first {shown} are listed.',
  'import.rejectedHelp': 'Nothing was imported. Fix these lines and upload the file again.',
  'import.problems': 'Problems in {filename}',
  'import.line': 'line {line}',
  'import.wholeFile': 'whole file',
  'import.field': 'field “{field}”',
  'import.failed': 'The upload failed.',

  'members.title': 'Members',
  'members.col.username': 'Username',
  'members.col.displayName': 'Display name',
  'members.col.role': 'Role',
  'members.col.assigned': 'Assigned',
  'members.col.submitted': 'Submitted',
  'members.col.skipped': 'Skipped',
  'members.disabled': 'disabled',
  'members.add.title': 'Add annotator',
  'members.add.username': 'Username',
  'members.add.displayName': 'Display name',
  'members.add.displayNameHint': 'Optional; used when a new account is created.',
  'members.add.createAccount': 'Create the account if it does not exist',
  'members.add.submit': 'Add annotator',
  'members.add.submitting': 'Adding…',
  'members.add.added': '{username} was added to the project.',
  'members.add.notFound': 'There is no account named “{username}”. Tick “Create the account if it does not exist” to create one.',
  'members.add.alreadyMember': '{username} is already a member of this project.',
  'members.password.title': 'New account: {username}',
  'members.password.label': 'Generated password',
  'members.password.once':
    'This password is shown only once and will not be shown again. Copy it now and pass it to {username} privately.',
  'members.password.copy': 'Copy password',
  'members.password.copied': 'Copied to the clipboard.',
  'members.password.copyFailed': 'Copying failed: select the password and copy it by hand.',
  'members.password.dismiss': 'I have saved it',

  'export.title': 'Export',
  'export.help':
    'Download every annotator’s annotations and the gold versions. Passages nobody has been handed yet are not included. The file is written as it downloads, so even a large project starts at once.',
  'export.format': 'Format',
  'export.download': 'Download {format}',
  'export.name.jsonl': 'JSONL',
  'export.name.csv': 'CSV',
  'export.name.conll': 'CoNLL',
  'export.name.brat': 'brat',
  'export.name.aif': 'AIF',
  'export.about.jsonl':
    'Warrant’s semantic dataset (docs/semantic-dataset.md): one line per annotator and passage, and one per gold version, with the text, spans, relations, chains and provenance; offsets in code points and in UTF-16 code units. Nothing is lost.',
  'export.about.csv': 'A spreadsheet: one row per span (passage, annotator, label, offsets in code points, text, note, category). Relations are not in it. Cells that a spreadsheet would run as formulas start with an apostrophe.',
  'export.about.conll': 'Token classification: one token per line with its BIO label, a block per passage and annotator. Overlapping spans and relations cannot be carried; they are listed at the end of the file.',
  'export.about.brat': 'brat standoff, as a .tar.gz: a .txt and an .ann per passage and annotator (offsets in code points), annotation.conf, and losses.json listing what brat cannot carry (undercuts, categories).',
  'export.about.aif': 'Argument Interchange Format, as a .tar.gz: one AIF JSON per passage and annotator (I-nodes, RA and CA nodes; offsets kept in a warrant field), and losses.json.',

  'queue.myProgress': 'My progress',
  'queue.title': 'My queue',
  'queue.col.externalId': 'ID',
  'queue.col.preview': 'Text',
  'queue.col.status': 'Status',
  'queue.empty': 'Your queue is empty. Take the next passage to begin.',
  'queue.next': 'Next passage',
  'queue.taking': 'Taking…',
  'queue.nothingLeft': 'There is nothing left to annotate in this project right now.',

  'passage.title': 'Passage {id}',
  'passage.back': 'Back to the project',
  'passage.status': 'Status',
  'passage.length': { one: '{count} character', other: '{count} characters' },
  'passage.text': 'Passage text',
  'passage.readOnly': 'Read-only view of the passage.',
  'passage.annotators': 'Annotators',
  'passage.compare': 'Compare side by side and adjudicate',

  'notFound.title': 'Page not found',
  'notFound.text': 'There is nothing at this address, or you do not have access to it.',
  'notFound.home': 'Go to your projects',

  'crash.title': 'Something went wrong',
  'crash.text': 'An unexpected error stopped this page. Reload it to try again.',
  'crash.reload': 'Reload the page',
} as const satisfies Record<string, string | PluralForms>;

export const en = { ...coreEn, ...editorEn, ...schemeEn, ...syncEn, ...agreementEn, ...adjudicationEn, ...datasetsEn } as const satisfies Record<string, string | PluralForms>;

export type Catalog = typeof en;
export type MessageKey = keyof Catalog;
/** Keys whose entry has plural forms: they need a `count`. */
export type PluralKey = { [K in MessageKey]: Catalog[K] extends string ? never : K }[MessageKey];
export type TextKey = Exclude<MessageKey, PluralKey>;
