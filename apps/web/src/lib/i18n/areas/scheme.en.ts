import type { PluralForms } from '../plural.ts';

/** The scheme area's strings (English, the source). Keys start with 'scheme.'. */
export const schemeEn = {
  'scheme.tab': 'Settings',

  'scheme.state.unsaved': 'Unsaved changes',
  'scheme.state.saving': 'Saving…',

  'scheme.leave.title': 'Leave without saving?',
  'scheme.leave.text': 'Your changes to the guidelines or the label scheme are not saved yet. If you leave now, they are lost.',
  'scheme.leave.stay': 'Stay and keep editing',
  'scheme.leave.leave': 'Leave without saving',

  'scheme.guidelines.title': 'Guidelines',
  'scheme.guidelines.intro':
    'Annotators find the guidelines folded at the top of the project page. Write them in Markdown; the preview shows what they will see.',
  'scheme.guidelines.source': 'Guidelines (Markdown)',
  'scheme.guidelines.hint':
    '# Heading, **bold**, *italic*, - list, 1. numbered list, > quote, `code`, [link](https://…), tables. HTML is shown as plain text; links open in a new tab.',
  'scheme.guidelines.preview': 'Preview',
  'scheme.guidelines.empty': 'Nothing written yet.',
  'scheme.guidelines.save': 'Save guidelines',
  'scheme.guidelines.saved': 'Guidelines saved.',

  'scheme.title': 'Label scheme',
  'scheme.intro':
    'Keys are stored with every annotation, so a key cannot change once saved; names, colours, hotkeys and descriptions can change at any time. Each hotkey may be used once in the whole scheme.',
  'scheme.section.spanLabels': 'Span labels',
  'scheme.section.spanLabels.hint': 'What annotators mark in the text.',
  'scheme.section.relationTypes': 'Relation types',
  'scheme.section.relationTypes.hint': 'How marked spans are connected. A relation points at a span, or (like an undercut) at another relation.',
  'scheme.section.categories': 'Passage categories',
  'scheme.section.categories.hint': 'One for each passage as a whole.',
  'scheme.section.empty': 'None yet.',
  'scheme.kind.spanLabels': 'Span label',
  'scheme.kind.relationTypes': 'Relation type',
  'scheme.kind.categories': 'Category',
  'scheme.add.spanLabels': 'Add span label',
  'scheme.add.relationTypes': 'Add relation type',
  'scheme.add.categories': 'Add category',
  'scheme.new.spanLabels': 'New span label',
  'scheme.new.relationTypes': 'New relation type',
  'scheme.new.categories': 'New category',

  'scheme.field.name': 'Name',
  'scheme.field.key': 'Key',
  'scheme.field.keyHint': 'a–z, 0–9, - or _; fixed once saved.',
  'scheme.field.keyFixed': 'Fixed: annotations refer to it.',
  'scheme.field.color': 'Colour',
  'scheme.field.hotkey': 'Hotkey',
  'scheme.field.hotkeyHint': 'One letter or digit.',
  'scheme.field.description': 'Description',
  'scheme.field.sources': 'May start from',
  'scheme.field.targets': 'May point at',
  'scheme.field.target': 'Points at',
  'scheme.field.targetFixed': 'Fixed once saved.',
  'scheme.target.span': 'A span',
  'scheme.target.relation': 'A relation',
  'scheme.item.delete': 'Delete {name}',

  'scheme.preview.caption': 'Preview:',
  'scheme.preview.unnamed': 'Label',
  'scheme.preview.sample': 'the bridge costs too much',

  'scheme.removed.title': 'Deleted when you save:',
  'scheme.removed.undo': 'Undo deleting {name}',

  'scheme.problem.nameRequired': 'Give it a name.',
  'scheme.problem.nameTooLong': 'At most 60 characters.',
  'scheme.problem.keyRequired': 'Give it a key.',
  'scheme.problem.keyPattern': 'Use lower-case letters a–z, digits, “-” or “_”, starting with a letter (at most 32).',
  'scheme.problem.keyDuplicate': 'Another item in this section already has this key.',
  'scheme.problem.hotkeyPattern': 'Use one letter a–z or a digit, or leave it empty.',
  'scheme.problem.hotkeyDuplicate': '“{hotkey}” is already the hotkey of {owner} ({section}).',
  'scheme.problem.needSpanLabel': 'The scheme needs at least one span label.',
  'scheme.problemCount': {
    one: 'Not saved: fix the {count} problem marked above first.',
    other: 'Not saved: fix the {count} problems marked above first.',
  },

  'scheme.save': 'Save label scheme',
  'scheme.saved': 'Label scheme saved.',
  'scheme.conflict':
    'The label scheme was changed elsewhere since you started editing here. Saving replaces that version with yours.',
  'scheme.conflict.reload': 'Discard my edits and load the new version',

  'scheme.inUse.title': 'Not saved: annotations still use what you deleted.',
  'scheme.inUse.count': {
    one: 'used {count} time',
    other: 'used {count} times',
  },
  'scheme.inUse.keep': 'Keep {name}',
  'scheme.inUse.help': 'Keep these, or have those annotations relabelled or deleted first. Your other edits are still here.',
  'scheme.invalid.title': 'Not saved: the server found problems in the scheme.',
  'scheme.invalid.whole': 'The whole scheme',
} as const satisfies Record<string, string | PluralForms>;
