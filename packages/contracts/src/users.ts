import { z } from 'zod';
import { entityId, isoDateTime, locale } from './common.ts';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,39}$/;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 1024;

/** Usernames are case-insensitive: stored and compared in lower case. */
export const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(USERNAME_PATTERN, 'use 2-40 characters: letters a-z, digits, ".", "_" or "-", starting with a letter or digit')
  // Exports name the adjudicated version's records "gold": no annotator may be called that.
  .refine((name) => name !== 'gold', '"gold" is reserved for adjudicated versions: choose another name');

/** Passwords are taken exactly as typed (no trimming, no normalisation). */
export const password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `at most ${PASSWORD_MAX_LENGTH} characters`);

export const displayName = z.string().trim().min(1).max(100);

export const user = z.object({
  id: entityId,
  username: z.string(),
  displayName: z.string(),
  isAdmin: z.boolean(),
  canCreateProjects: z.boolean(),
  disabled: z.boolean(),
  /** Brought in with a corpus: holds annotation sets, never signs in. */
  imported: z.boolean(),
  locale,
  createdAt: isoDateTime,
});
export type User = z.infer<typeof user>;

export const createUserBody = z.object({
  username,
  displayName: displayName.optional(),
  /** Omit to have the server generate one, returned once in the response. */
  password: password.optional(),
  isAdmin: z.boolean().default(false),
  canCreateProjects: z.boolean().default(false),
});
export type CreateUserBody = z.input<typeof createUserBody>;

export const createdUserResponse = z.object({
  user,
  /** Present only when the server generated the password; shown once, never stored in clear. */
  generatedPassword: z.string().optional(),
});
export type CreatedUserResponse = z.infer<typeof createdUserResponse>;

export const updateUserBody = z
  .object({
    displayName: displayName.optional(),
    isAdmin: z.boolean().optional(),
    canCreateProjects: z.boolean().optional(),
    disabled: z.boolean().optional(),
  })
  .strict();
export type UpdateUserBody = z.infer<typeof updateUserBody>;

export const userList = z.object({ users: z.array(user) });
export type UserList = z.infer<typeof userList>;
