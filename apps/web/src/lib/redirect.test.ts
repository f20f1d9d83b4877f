import { describe, expect, it } from 'vitest';
import { loginPath, safeRedirectTarget } from './redirect.ts';

describe('safeRedirectTarget', () => {
  it.each([
    ['/projects/abc123456', '/projects/abc123456'],
    ['/projects/abc123456/members?x=1#top', '/projects/abc123456/members?x=1#top'],
    ['/', '/'],
    ['/a/../projects', '/projects'],
  ])('keeps the local path %s', (raw, expected) => {
    expect(safeRedirectTarget(raw)).toBe(expected);
  });

  it.each([
    ['https://evil.example/', 'another site'],
    ['//evil.example/path', 'protocol-relative'],
    ['/\\evil.example', 'backslash read as a slash by browsers'],
    ['\\\\evil.example', 'backslashes only'],
    ['javascript:alert(1)', 'a script URL'],
    ['/\u0000x', 'a NUL'],
    ['/\tevil', 'a tab (stripped by URL parsers)'],
    ['/..//evil.example', 'dot segments that leave a protocol-relative path'],
    ['/.//evil.example/x', 'a dot segment before a double slash'],
    ['/a/..//evil.example', 'a climb back to a double slash'],
    ['/%2e%2e//evil.example', 'encoded dot segments'],
    ['/login', 'the login page itself'],
    ['/login?next=/x', 'the login page with its own next'],
    ['projects', 'a relative path'],
    ['', 'nothing'],
    [null, 'no value'],
    [undefined, 'no value'],
  ])('refuses %j (%s)', (raw, _why) => {
    expect(safeRedirectTarget(raw, '/fallback')).toBe('/fallback');
  });

  it('keeps percent-encoded characters encoded, where they are only part of the path', () => {
    expect(safeRedirectTarget('/%0d%0aSet-Cookie')).toBe('/%0d%0aSet-Cookie');
  });

  it('refuses very long values', () => {
    expect(safeRedirectTarget(`/${'a'.repeat(3000)}`)).toBe('/');
  });
});

describe('loginPath', () => {
  it('remembers a local page to come back to', () => {
    expect(loginPath('/projects/abc123456?page=2')).toBe('/login?next=%2Fprojects%2Fabc123456%3Fpage%3D2');
  });

  it('does not remember the home page or a foreign address', () => {
    expect(loginPath('/')).toBe('/login');
    expect(loginPath('//evil.example')).toBe('/login');
  });
});
