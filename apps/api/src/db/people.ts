import { sql } from 'drizzle-orm';
import { annotationSets } from './schema/annotations.ts';
import { users } from './schema/users.ts';

/**
 * A condition on annotation_sets: the set is a person's, not an imported annotator's. Imported
 * sets take no place among a passage's annotators and are not the project's progress (the same
 * rule as the assignment triggers of migration 0005).
 */
export const personsSet = sql`${annotationSets.userId} NOT IN (SELECT ${users.id} FROM ${users} WHERE ${users.imported} = 1)`;
