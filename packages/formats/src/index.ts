export {
  PASSAGE_FORMATS,
  PassageSizeLimitError,
  detectPassageFormat,
  parsePassages,
  type ImportProblem,
  type ImportedPassage,
  type PassageFormat,
  type PassageParseOptions,
  type PassageParseResult,
} from './passages/parse-passages.ts';
export {
  SEMANTIC_JSONL_VERSION,
  serializeSemanticRecord,
  toGoldRecord,
  toSemanticRecord,
  type GoldProvenance,
  type GoldRecord,
  type GoldRecordInput,
  type SemanticRecord,
  type SemanticRecordInput,
  type SemanticSpan,
} from './semantic-jsonl/record.ts';
export {
  FormatError,
  type DatasetAnnotation,
  type DatasetDocument,
  type DatasetRelation,
  type DatasetSpan,
  type FormatLoss,
  type FormatProblem,
} from './dataset/document.ts';
