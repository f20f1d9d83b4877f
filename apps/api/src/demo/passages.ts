/**
 * The demo project's passages: written for Warrant (never taken from the test corpora), in
 * English and Russian, mixing arguments with one passage of plain knowledge and one of noise.
 */
export const DEMO_GUIDELINES = `# How to annotate

Read the whole passage first, then mark its reasoning.

## Spans
- **Premise** (\`p\`): a statement offered as a reason for another one.
- **Inference** (\`i\`): an intermediate claim drawn from premises and used to reach the conclusion.
- **Conclusion** (\`c\`): the claim the passage argues for. Usually one per passage.

Mark the shortest stretch of text that states the claim; leave out connectives such as
*because*, *therefore*, *поэтому*.

## Relations
- **Supports**: the source gives a reason to accept the target.
- **Attacks**: the source gives a reason to reject the target.
- **Undercuts**: the source denies that a support or attack holds (it points at the relation).

## Passage category
- **Reasoning**: the passage argues for something.
- **Knowledge**: it states or explains facts without arguing.
- **Noise**: navigation text, fragments, anything without usable content.

When unsure, add a note to the span and move on.
`;

export const DEMO_PASSAGES: { id: string; text: string; meta: Record<string, unknown> }[] = [
  {
    id: 'en-library-hours',
    meta: { language: 'en', topic: 'public services' },
    text:
      'The town library should stay open until nine in the evening. Most people who work full time cannot reach it before six, ' +
      'and the reading room is fullest in the last hour it is open. Keeping the lights on for three more hours costs less than ' +
      'one new shelf of books a year. So the longer hours would serve more readers for very little money.',
  },
  {
    id: 'en-bike-lanes',
    meta: { language: 'en', topic: 'transport' },
    text:
      'Some say the new bike lanes have made Main Street more dangerous, since cyclists now ride faster. But the accident ' +
      'reports tell another story: collisions fell by a third in the year after the lanes were painted. Faster riding ' +
      'is not the same as riskier riding when cars and bikes no longer share one lane. The lanes should stay.',
  },
  {
    id: 'en-homework',
    meta: { language: 'en', topic: 'education' },
    text:
      'Homework in primary school does little for learning. Children of that age gain most from play and sleep, and ' +
      'studies of young pupils find almost no link between homework time and test results.\r\nOf course, a short reading ' +
      'task can build a habit. Yet a habit built under pressure rarely lasts. Schools should therefore drop homework ' +
      'before the age of ten.',
  },
  {
    id: 'en-tides',
    meta: { language: 'en', topic: 'science' },
    text:
      'Tides are caused mainly by the Moon’s gravity pulling on the oceans. The Sun has a smaller effect; when Sun and Moon ' +
      'line up, at new and full moon, the tides are higher than usual. These are called spring tides.',
  },
  {
    id: 'en-menu',
    meta: { language: 'en', topic: 'noise' },
    text: 'Home | About us | Contact ▸ Sign in ▸ Cookie settings © 2026 — all rights reserved 👍',
  },
  {
    id: 'ru-school-uniform',
    meta: { language: 'ru', topic: 'образование' },
    text:
      'Школьная форма не должна быть обязательной. Родители и так тратят на детей немало, а форма покупается ' +
      'отдельно и быстро становится мала. К тому же одежда помогает подростку выразить себя. Конечно, форма ' +
      'скрывает разницу в достатке, но дорогие телефоны и обувь всё равно её показывают.',
  },
  {
    id: 'ru-city-trees',
    meta: { language: 'ru', topic: 'город' },
    text:
      'Город должен сажать больше деревьев во дворах. Летом в дворах без зелени асфальт нагревается до 50 °C, ' +
      'а под кронами на несколько градусов прохладнее. Деревья также задерживают пыль. Значит, новые посадки ' +
      'сделают жизнь в жару заметно легче — особенно для пожилых людей.',
  },
  {
    id: 'ru-volga',
    meta: { language: 'ru', topic: 'география' },
    text:
      'Волга — самая длинная река Европы: её длина около 3 530 километров. Она начинается на Валдайской ' +
      'возвышенности и впадает в Каспийское море.',
  },
];
