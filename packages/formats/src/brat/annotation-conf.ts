import { toBratType } from './brat-type.ts';

export interface BratRelationType {
  key: string;
  /** Labels a relation of this type may start from; all entity types when absent or empty. */
  sources?: string[];
  /** Labels it may point to; all entity types when absent or empty. */
  targets?: string[];
}

/** Characters the annotation.conf syntax gives a meaning (argument lists, alternatives, macros). */
const RESERVED = /[,|:<>={}]/;

function confType(name: string, what: string): string {
  const type = toBratType(name);
  if (type === '' || RESERVED.test(type) || type.startsWith('!') || type.startsWith('#')) {
    throw new RangeError(
      `${what} '${name}' cannot be written in annotation.conf: it must be non-empty, must not start with '!' or '#', ` +
        `and must not contain any of , | : < > = { }`,
    );
  }
  return type;
}

function argTypes(labels: string[] | undefined, what: string): string {
  if (!labels || labels.length === 0) return '<ENTITY>';
  return [...new Set(labels.map((label) => confType(label, what)))].join('|');
}

/**
 * A brat annotation.conf declaring the labels as entity types and each relation type with its
 * allowed argument labels (`support Arg1:premise|claim, Arg2:claim`; `<ENTITY>` when any
 * label is allowed). Names go through the same whitespace rule as the .ann (`major claim` ->
 * `major_claim`). [events] and [attributes] are empty: the exporter writes neither. A name the
 * conf syntax cannot hold throws RangeError.
 */
export function annotationConf(labels: string[], relationTypes: BratRelationType[]): string {
  const entities = [...new Set(labels.map((label) => confType(label, 'label')))];
  const relations = new Map<string, string>();
  for (const relation of relationTypes) {
    const key = confType(relation.key, 'relation type');
    if (relations.has(key)) throw new RangeError(`relation type '${key}' is declared twice`);
    const sources = argTypes(relation.sources, `source label of '${relation.key}'`);
    const targets = argTypes(relation.targets, `target label of '${relation.key}'`);
    relations.set(key, `${key} Arg1:${sources}, Arg2:${targets}`);
  }
  return [
    '[entities]',
    ...entities,
    '',
    '[relations]',
    ...relations.values(),
    '',
    '[events]',
    '',
    '[attributes]',
    '',
  ].join('\n');
}
