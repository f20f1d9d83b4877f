import { PROJECT_ROLES } from '@warrant/domain';
import { z } from 'zod';
import { entityId, isoDateTime } from './common.ts';
import { labelScheme } from './scheme.ts';
import { displayName, user, username } from './users.ts';

export const projectRole = z.enum(PROJECT_ROLES);

const projectName = z.string().trim().min(1, 'a project needs a name').max(200);
const projectDescription = z.string().max(5000);
const guidelines = z.string().max(200_000);
const annotatorsPerPassage = z.number().int().min(1).max(20);

export const progress = z.object({
  passages: z.number().int(),
  /** passages x annotators per passage: the annotation sets the project needs in all. */
  required: z.number().int(),
  assigned: z.number().int(),
  submitted: z.number().int(),
  skipped: z.number().int(),
});
export type Progress = z.infer<typeof progress>;

export const projectSummary = z.object({
  id: entityId,
  name: z.string(),
  description: z.string(),
  role: projectRole.nullable(),
  annotatorsPerPassage: z.number().int(),
  createdAt: isoDateTime,
  progress,
  /** For an annotator: their own queue; for a lead: null. */
  myProgress: z
    .object({ assigned: z.number().int(), submitted: z.number().int(), skipped: z.number().int() })
    .nullable(),
});
export type ProjectSummary = z.infer<typeof projectSummary>;

export const projectList = z.object({ projects: z.array(projectSummary) });
export type ProjectList = z.infer<typeof projectList>;

export const project = projectSummary.extend({
  guidelines: z.string(),
  scheme: labelScheme,
  schemeVersion: z.number().int(),
  updatedAt: isoDateTime,
});
export type Project = z.infer<typeof project>;

export const createProjectBody = z.object({
  name: projectName,
  description: projectDescription.default(''),
  guidelines: guidelines.default(''),
  annotatorsPerPassage: annotatorsPerPassage.default(2),
  /** Omit for the default argument scheme (premise / inference / conclusion). */
  scheme: labelScheme.optional(),
});
export type CreateProjectBody = z.input<typeof createProjectBody>;
export type CreateProjectInput = z.output<typeof createProjectBody>;

export const updateProjectBody = z
  .object({
    name: projectName.optional(),
    description: projectDescription.optional(),
    guidelines: guidelines.optional(),
    annotatorsPerPassage: annotatorsPerPassage.optional(),
  })
  .strict();
export type UpdateProjectBody = z.infer<typeof updateProjectBody>;

export const member = z.object({
  user: user.pick({ id: true, username: true, displayName: true, disabled: true }),
  role: projectRole,
  addedAt: isoDateTime,
  assigned: z.number().int(),
  submitted: z.number().int(),
  skipped: z.number().int(),
});
export type Member = z.infer<typeof member>;

export const memberList = z.object({ members: z.array(member) });
export type MemberList = z.infer<typeof memberList>;

export const addMemberBody = z.object({
  username,
  role: projectRole.default('annotator'),
  /** When no account has this username: create it (with a generated password, returned once). */
  createAccount: z.boolean().default(false),
  displayName: displayName.optional(),
});
export type AddMemberBody = z.input<typeof addMemberBody>;

export const addMemberResponse = z.object({
  member,
  accountCreated: z.boolean(),
  generatedPassword: z.string().optional(),
});
export type AddMemberResponse = z.infer<typeof addMemberResponse>;

export const labelInUseDetails = z.object({
  usages: z.array(
    z.object({
      kind: z.enum(['spanLabel', 'relationType', 'category']),
      key: z.string(),
      count: z.number().int(),
    }),
  ),
});
export type LabelInUseDetails = z.infer<typeof labelInUseDetails>;
