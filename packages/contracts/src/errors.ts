import { z } from 'zod';

/** Stable error codes: clients switch on these, never on messages. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'CSRF_FAILED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'USERNAME_TAKEN',
  'WEAK_PASSWORD',
  'ALREADY_MEMBER',
  'VERSION_CONFLICT',
  'CONFLICT',
  'INVALID_OFFSETS',
  'INVALID_CHANGE',
  'IMPORT_REJECTED',
  'INVALID_SCHEME',
  'LABEL_IN_USE',
  'STORAGE_UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const errorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;

/** One located problem: an import line, a body field, an op index. */
export const problem = z.object({
  line: z.number().int().optional(),
  path: z.string().optional(),
  field: z.string().optional(),
  message: z.string(),
});
export type Problem = z.infer<typeof problem>;
