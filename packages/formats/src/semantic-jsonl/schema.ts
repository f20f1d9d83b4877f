import schema from './semantic-dataset.schema.json' with { type: 'json' };

/**
 * The JSON Schema of one semantic dataset record (docs/semantic-dataset.md), shipped in every
 * release beside the data it describes.
 */
export const SEMANTIC_DATASET_SCHEMA: object = schema;
