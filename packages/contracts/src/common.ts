import { z } from 'zod';

/** Server-generated ids: random, never sequential, so guessing one reveals nothing. */
export const entityId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not a valid id');
export const isoDateTime = z.string();
export const locale = z.enum(['en', 'ru']);
export type Locale = z.infer<typeof locale>;

export const idParams = z.object({ id: entityId });
export const projectMemberParams = z.object({ id: entityId, userId: entityId });
