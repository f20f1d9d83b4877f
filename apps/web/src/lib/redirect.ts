export const LOGIN_PATH = '/login';

const BASE = 'http://warrant.invalid';

/**
 * The local path to go to after login, or `fallback`. Only same-origin paths pass: no scheme,
 * no protocol-relative `//host`, no backslashes (browsers read `/\host` as `//host`), no control
 * characters, and never the login page itself.
 */
export function safeRedirectTarget(raw: string | null | undefined, fallback = '/'): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048) return fallback;
  if (!raw.startsWith('/') || raw.startsWith('//')) return fallback;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return fallback;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  // Dot segments can leave a protocol-relative path behind: `/..//evil.example` -> `//evil.example`.
  if (url.pathname.startsWith('//')) return fallback;
  if (url.pathname === LOGIN_PATH || url.pathname.startsWith(`${LOGIN_PATH}/`)) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The login page, remembering where the user wanted to go. */
export function loginPath(from: string): string {
  const target = safeRedirectTarget(from, '');
  return target && target !== '/' ? `${LOGIN_PATH}?next=${encodeURIComponent(target)}` : LOGIN_PATH;
}
