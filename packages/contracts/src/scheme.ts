import { COLOR_PATTERN, KEY_PATTERN, type LabelScheme } from '@warrant/domain';
import { z } from 'zod';

const key = z.string().regex(KEY_PATTERN, 'lower-case letters, digits, "-" or "_", starting with a letter (at most 32)');
const name = z.string().trim().min(1).max(60);
const color = z.string().regex(COLOR_PATTERN, 'a colour like #1f77b4');
/** One printable character, or empty for none. */
const hotkey = z.string().regex(/^[a-z0-9]?$/, 'a single lower-case letter or digit, or empty');
const description = z.string().max(2000).default('');

export const spanLabel = z.object({ key, name, color, hotkey, description });
export const relationType = z.object({
  key,
  name,
  color,
  hotkey,
  description,
  target: z.enum(['span', 'relation']),
  /** Span labels the relation may start from / point at (absent or empty: any); a warning, never a refusal. */
  sources: z.array(key).max(50).optional(),
  targets: z.array(key).max(50).optional(),
});
export const passageCategory = z.object({ key, name, hotkey, description });

export const labelScheme = z.object({
  spanLabels: z.array(spanLabel).min(1).max(50),
  relationTypes: z.array(relationType).max(50),
  categories: z.array(passageCategory).max(50),
}) satisfies z.ZodType<LabelScheme, unknown>;

export const updateSchemeBody = z.object({
  scheme: labelScheme,
  /** The scheme version the edit started from: a newer one on the server answers 409 CONFLICT, so no lead overwrites another's save unseen. */
  baseSchemeVersion: z.number().int().min(1).optional(),
});
export type UpdateSchemeBody = z.input<typeof updateSchemeBody>;
