import { sessionResponse, type SessionResponse } from '@warrant/contracts';

/**
 * The last live session, kept so that a reload without a connection still opens the app for the
 * user who was working (their unsent edits wait in IndexedDB). Only ever used when the server
 * cannot be reached: a 401 or a logout forgets it.
 */
const STORAGE_KEY = 'warrant-session';

/** Session objects that came from here, not from the server (see sessionQueryOptions' staleTime). */
const remembered = new WeakSet<SessionResponse>();

export function rememberSession(session: SessionResponse): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // No storage: offline reloads will ask for a connection, nothing else changes.
  }
}

export function rememberedSession(): SessionResponse | null {
  let text: string | null;
  try {
    text = localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
  if (!text) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = sessionResponse.safeParse(json);
  if (!parsed.success) return null;
  remembered.add(parsed.data);
  return parsed.data;
}

export function isRememberedSession(session: SessionResponse | null | undefined): boolean {
  return !!session && remembered.has(session);
}

export function forgetRememberedSession(): void {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing was stored.
  }
}
