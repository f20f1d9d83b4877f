import { z } from 'zod';
import { locale } from './common.ts';
import { displayName, password, user } from './users.ts';

/** The header every state-changing request must carry, with the token from the session. */
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_COOKIE = 'warrant_session';

export const loginBody = z.object({
  // Not the strict username shape: a login with a malformed name is simply a failed login.
  username: z.string().trim().toLowerCase().min(1).max(200),
  password: z.string().min(1).max(4096),
});
export type LoginBody = z.infer<typeof loginBody>;

export const sessionResponse = z.object({
  user,
  csrfToken: z.string(),
});
export type SessionResponse = z.infer<typeof sessionResponse>;

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(4096),
  newPassword: password,
});
export type ChangePasswordBody = z.infer<typeof changePasswordBody>;

export const updateMeBody = z
  .object({
    locale: locale.optional(),
    displayName: displayName.optional(),
  })
  .strict();
export type UpdateMeBody = z.infer<typeof updateMeBody>;

export const healthResponse = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeSeconds: z.number(),
});
export type HealthResponse = z.infer<typeof healthResponse>;
