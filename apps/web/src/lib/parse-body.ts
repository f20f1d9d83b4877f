import type { z } from 'zod';
import { ApiError } from './api-error.ts';

/** Parses a 2xx body with its contract; a body that does not match is an error, not data. */
export function parseBody<S extends z.ZodType>(schema: S, status: number, text: string): z.output<S> {
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new ApiError(status, 'UNEXPECTED_RESPONSE', 'the server answered with something that is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError(status, 'UNEXPECTED_RESPONSE', 'the server answered in an unexpected shape', parsed.error.issues);
  }
  return parsed.data;
}
