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
export {
  DATASET_FILE_EXTENSIONS,
  DATASET_READ_FORMATS,
  readDatasetFiles,
  type DatasetFile,
  type DatasetReadFormat,
  type ReadDatasetOptions,
  type ReadDatasetResult,
} from './dataset/read-files.ts';
export { bratDocumentId, parseBrat, type BratInput, type BratParseResult } from './brat/parse-brat.ts';
export { writeBrat, type BratWriteResult } from './brat/write-brat.ts';
export { annotationConf, type BratRelationType } from './brat/annotation-conf.ts';
export {
  ARG_MICROTEXT_SOURCE,
  parseArgMicrotext,
  type ArgMicrotextInput,
  type ArgMicrotextLanguage,
  type ArgMicrotextResult,
} from './arg-microtext/parse-arg-microtext.ts';
export { writeAif, type AifWriteResult } from './aif/write-aif.ts';
export { parseAif, type AifParseInput, type AifParseResult } from './aif/parse-aif.ts';
export { AIF_SOURCE, type AifEdge, type AifFile, type AifNode } from './aif/aif.ts';
export { DEFAULT_CHAIN_RELATION_TYPES, deriveChains, type ChainOptions, type SemanticChain } from './semantic-jsonl/chains.ts';
export { SEMANTIC_JSONL_FORMATS, parseSemanticJsonl, streamSemanticJsonl, type SemanticParseResult } from './semantic-jsonl/parse.ts';
export {
  datasetSemanticRecords,
  writeSemanticJsonl,
  type DatasetSemanticRecord,
  type WriteResult,
  type WriteSemanticOptions,
} from './semantic-jsonl/write.ts';
export { conllTokens, writeConll, type ConllOptions, type ConllResult, type ConllToken } from './conll/write.ts';
export { CSV_COLUMNS, csvCell, writeCsv, type CsvResult } from './csv/write.ts';
export { DEFAULT_SPLIT_RATIOS, RELEASE_SPLITS, splitAt, splitOf, splitPoint, validateSplitRatios, type ReleaseSplit, type SplitOptions, type SplitRatios } from './release/split.ts';
export { ReleaseTally, type ReleaseCounts, type ReleaseSplitCounts, type ReleaseTallyOptions } from './release/tally.ts';
export { MANIFEST_VERSION, RELEASE_FORMAT_NAME, RELEASE_SCHEMA_FILE, buildManifest, type ManifestFile, type ManifestInput, type ReleaseManifest, type ReleaseSelectionInput } from './release/manifest.ts';
export { renderDatasetCard, type AgreementFigure, type CardScheme, type DatasetCardInput } from './release/dataset-card.ts';
export { sha256Hex } from './release/sha256-hex.ts';
export { SEMANTIC_DATASET_SCHEMA } from './semantic-jsonl/schema.ts';
