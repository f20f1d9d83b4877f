import { describe, expect, it } from 'vitest';
import { endOfDayIso, readFilters, reportQuery, startOfDayIso, toggleSelection, writeFilters } from './filters.ts';

describe('agreement filters in the address', () => {
  it('reads lists, days and the measure', () => {
    const filters = readFilters(new URLSearchParams('labels=premise,,conclusion&annotators=u1&from=2025-03-01&to=2025-03-31&measure=exact'));
    expect(filters).toEqual({ labels: ['premise', 'conclusion'], annotators: ['u1'], from: '2025-03-01', to: '2025-03-31', measure: 'exact' });
  });

  it('treats missing, empty and malformed values as "no filter"', () => {
    expect(readFilters(new URLSearchParams('labels=&from=yesterday&to=2025-13-45&measure=nonsense'))).toEqual({
      labels: null,
      annotators: null,
      from: null,
      to: null,
      measure: 'category',
    });
  });

  it('writes only what differs from the defaults, and reads back the same', () => {
    expect(writeFilters({ labels: null, annotators: null, from: null, to: null, measure: 'category' }).toString()).toBe('');
    const filters = { labels: ['premise'], annotators: ['a', 'b'], from: '2025-01-06', to: null, measure: 'relations' } as const;
    const params = writeFilters({ ...filters, labels: [...filters.labels], annotators: [...filters.annotators] });
    expect(params.toString()).toBe('labels=premise&annotators=a%2Cb&from=2025-01-06&measure=relations');
    expect(readFilters(params)).toEqual(filters);
  });

  it('asks the server for whole days, the "to" day included', () => {
    const from = startOfDayIso('2025-03-01');
    const to = endOfDayIso('2025-03-31');
    expect(new Date(from).getTime()).toBe(new Date(2025, 2, 1).getTime());
    expect(new Date(to).getTime()).toBe(new Date(2025, 3, 1).getTime());
    expect(reportQuery({ labels: ['a', 'b'], annotators: null, from: '2025-03-01', to: '2025-03-31', measure: 'exact' })).toEqual({
      labels: 'a,b',
      annotators: undefined,
      from,
      to,
    });
  });
});

describe('toggleSelection', () => {
  const options = ['premise', 'inference', 'conclusion'];

  it('starts from "all" and goes back to "all" when everything is ticked again', () => {
    const one = toggleSelection(null, options, 'inference', false);
    expect(one).toEqual(['premise', 'conclusion']);
    expect(toggleSelection(one, options, 'inference', true)).toBeNull();
  });

  it('keeps the options order and forgets values that are no longer options', () => {
    expect(toggleSelection(['conclusion', 'gone'], options, 'premise', true)).toEqual(['premise', 'conclusion']);
  });
});
