import { DEFAULT_SCHEME } from '@warrant/domain';
import { describe, expect, it } from 'vitest';
import { distinctTags, labelLooks, lookOf } from './looks.ts';

describe('label looks', () => {
  it('tags labels with the shortest prefixes that tell them apart', () => {
    expect(distinctTags(['Premise', 'Inference', 'Conclusion'])).toEqual(['P', 'I', 'C']);
    expect(distinctTags(['Посылка', 'Пример', 'Вывод'])).toEqual(['По', 'Пр', 'Вы']);
  });

  it('gives every label of the default scheme a readable ink, and unknown keys a grey look', () => {
    const { spans } = labelLooks(DEFAULT_SCHEME);
    expect(lookOf(spans, 'premise')).toMatchObject({ name: 'Premise', color: '#2f6fb0', ink: '#ffffff', tag: 'P' });
    expect(lookOf(spans, 'removed-label')).toMatchObject({ name: 'removed-label', tag: '?' });
  });
});
