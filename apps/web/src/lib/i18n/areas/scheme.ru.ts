/** The scheme area's strings in Russian: exactly the keys of ./scheme.en.ts. */
export const schemeRu = {
  'scheme.tab': 'Настройки',

  'scheme.state.unsaved': 'Есть несохранённые изменения',
  'scheme.state.saving': 'Сохранение…',

  'scheme.leave.title': 'Уйти без сохранения?',
  'scheme.leave.text': 'Изменения в инструкции или в схеме разметки ещё не сохранены. Если уйти сейчас, они пропадут.',
  'scheme.leave.stay': 'Остаться и продолжить',
  'scheme.leave.leave': 'Уйти без сохранения',

  'scheme.guidelines.title': 'Инструкция',
  'scheme.guidelines.intro':
    'Разметчики видят инструкцию в свёрнутом виде вверху страницы проекта. Пишите её в Markdown; в предпросмотре видно, как она будет выглядеть.',
  'scheme.guidelines.source': 'Инструкция (Markdown)',
  'scheme.guidelines.hint':
    '# Заголовок, **жирный**, *курсив*, - список, 1. нумерованный список, > цитата, `код`, [ссылка](https://…), таблицы. HTML показывается как обычный текст; ссылки открываются в новой вкладке.',
  'scheme.guidelines.preview': 'Предпросмотр',
  'scheme.guidelines.empty': 'Пока ничего не написано.',
  'scheme.guidelines.save': 'Сохранить инструкцию',
  'scheme.guidelines.saved': 'Инструкция сохранена.',

  'scheme.title': 'Схема разметки',
  'scheme.intro':
    'Ключ хранится в каждой разметке, поэтому после сохранения его нельзя изменить; названия, цвета, горячие клавиши и описания можно менять в любое время. Каждая горячая клавиша может использоваться в схеме только один раз.',
  'scheme.section.spanLabels': 'Метки отрезков',
  'scheme.section.spanLabels.hint': 'То, что разметчики выделяют в тексте.',
  'scheme.section.relationTypes': 'Типы связей',
  'scheme.section.relationTypes.hint':
    'Как связаны выделенные отрезки. Связь указывает на отрезок или (как подрыв) на другую связь.',
  'scheme.section.categories': 'Категории фрагментов',
  'scheme.section.categories.hint': 'Одна на весь фрагмент.',
  'scheme.section.empty': 'Пока нет.',
  'scheme.kind.spanLabels': 'Метка отрезка',
  'scheme.kind.relationTypes': 'Тип связи',
  'scheme.kind.categories': 'Категория',
  'scheme.add.spanLabels': 'Добавить метку',
  'scheme.add.relationTypes': 'Добавить тип связи',
  'scheme.add.categories': 'Добавить категорию',
  'scheme.new.spanLabels': 'Новая метка',
  'scheme.new.relationTypes': 'Новый тип связи',
  'scheme.new.categories': 'Новая категория',

  'scheme.field.name': 'Название',
  'scheme.field.key': 'Ключ',
  'scheme.field.keyHint': 'a–z, 0–9, - или _; после сохранения не меняется.',
  'scheme.field.keyFixed': 'Не меняется: на него ссылаются разметки.',
  'scheme.field.color': 'Цвет',
  'scheme.field.hotkey': 'Горячая клавиша',
  'scheme.field.hotkeyHint': 'Одна буква или цифра.',
  'scheme.field.description': 'Описание',
  'scheme.field.sources': 'Может начинаться от',
  'scheme.field.targets': 'Может указывать на',
  'scheme.field.target': 'Указывает на',
  'scheme.field.targetFixed': 'После сохранения не меняется.',
  'scheme.target.span': 'Отрезок',
  'scheme.target.relation': 'Связь',
  'scheme.item.delete': 'Удалить «{name}»',

  'scheme.preview.caption': 'Так это выглядит:',
  'scheme.preview.unnamed': 'Метка',
  'scheme.preview.sample': 'мост обойдётся слишком дорого',

  'scheme.removed.title': 'Будут удалены при сохранении:',
  'scheme.removed.undo': 'Вернуть «{name}»',

  'scheme.problem.nameRequired': 'Укажите название.',
  'scheme.problem.nameTooLong': 'Не больше 60 символов.',
  'scheme.problem.keyRequired': 'Укажите ключ.',
  'scheme.problem.keyPattern': 'Строчные латинские буквы a–z, цифры, «-» или «_», первой — буква (не больше 32 символов).',
  'scheme.problem.keyDuplicate': 'Этот ключ уже есть у другого элемента в этом разделе.',
  'scheme.problem.hotkeyPattern': 'Одна латинская буква a–z или цифра; можно оставить пустым.',
  'scheme.problem.hotkeyDuplicate': '«{hotkey}» уже назначена для «{owner}» ({section}).',
  'scheme.problem.needSpanLabel': 'В схеме должна быть хотя бы одна метка отрезков.',
  'scheme.problemCount': {
    one: 'Не сохранено: сначала исправьте {count} ошибку, отмеченную выше.',
    few: 'Не сохранено: сначала исправьте {count} ошибки, отмеченные выше.',
    many: 'Не сохранено: сначала исправьте {count} ошибок, отмеченных выше.',
    other: 'Не сохранено: сначала исправьте {count} ошибки, отмеченные выше.',
  },

  'scheme.save': 'Сохранить схему разметки',
  'scheme.saved': 'Схема разметки сохранена.',
  'scheme.conflict':
    'Пока вы редактировали, схему разметки изменили в другом месте. При сохранении та версия будет заменена вашей.',
  'scheme.conflict.reload': 'Отменить мои правки и загрузить новую версию',

  'scheme.inUse.title': 'Не сохранено: удалённое ещё используется в разметке.',
  'scheme.inUse.count': {
    one: 'используется {count} раз',
    few: 'используется {count} раза',
    many: 'используется {count} раз',
    other: 'используется {count} раза',
  },
  'scheme.inUse.keep': 'Оставить «{name}»',
  'scheme.inUse.help':
    'Оставьте их или сначала переразметьте либо удалите эти разметки. Остальные ваши правки на месте.',
  'scheme.invalid.title': 'Не сохранено: сервер нашёл ошибки в схеме.',
  'scheme.invalid.whole': 'Вся схема',
} as const;
