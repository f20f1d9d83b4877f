import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFromResponse } from '../../../lib/api-error.ts';
import { labelUsages, normalizePath, schemeIssues } from './scheme-errors.ts';

const answer = (status: number, code: string, message: string, details?: unknown) =>
  apiErrorFromResponse(status, JSON.stringify({ error: { code, message, details } }));

describe('reading scheme errors', () => {
  it('reads the usages of a LABEL_IN_USE answer', () => {
    const error = answer(409, 'LABEL_IN_USE', "still used by annotations: 'premise' (3)", {
      usages: [{ kind: 'spanLabel', key: 'premise', count: 3 }],
    });
    expect(labelUsages(error)).toEqual([{ kind: 'spanLabel', key: 'premise', count: 3 }]);
    expect(labelUsages(answer(409, 'LABEL_IN_USE', 'x', { nonsense: true }))).toEqual([]);
    expect(labelUsages(new ApiError(0, 'NETWORK_ERROR', 'offline'))).toBeUndefined();
  });

  it('reads INVALID_SCHEME and VALIDATION_FAILED issues into one path notation', () => {
    const invalid = answer(400, 'INVALID_SCHEME', 'x', {
      issues: [{ path: 'scheme.spanLabels[1].hotkey', message: "hotkey 'p' is already used by spanLabels 'premise'" }],
    });
    expect(schemeIssues(invalid)).toEqual([{ path: 'spanLabels[1].hotkey', message: "hotkey 'p' is already used by spanLabels 'premise'" }]);
    const validation = answer(400, 'VALIDATION_FAILED', 'x', {
      issues: [
        { path: 'body.scheme.relationTypes.0.name', message: 'Too small' },
        { path: 'body.scheme.spanLabels', message: 'Too small: expected array to have >=1 items' },
      ],
    });
    expect(schemeIssues(validation)).toEqual([
      { path: 'relationTypes[0].name', message: 'Too small' },
      { path: 'spanLabels', message: 'Too small: expected array to have >=1 items' },
    ]);
    expect(schemeIssues(answer(400, 'VALIDATION_FAILED', 'body must be object'))).toEqual([{ path: '', message: 'body must be object' }]);
    expect(schemeIssues(answer(409, 'LABEL_IN_USE', 'x'))).toBeUndefined();
  });

  it('normalises paths', () => {
    expect(normalizePath('body.scheme')).toBe('');
    expect(normalizePath('scheme.categories[2].key')).toBe('categories[2].key');
    expect(normalizePath('body.scheme.categories.12.key')).toBe('categories[12].key');
  });
});
