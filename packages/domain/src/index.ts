export {
  ANNOTATION_STATUSES,
  CLIENT_ID_PATTERN,
  PROJECT_ROLES,
  type AnnotationContent,
  type AnnotationOp,
  type AnnotationOpKind,
  type AnnotationStatus,
  type ProjectRole,
  type Relation,
  type Span,
} from './model.ts';
export {
  COLOR_PATTERN,
  DEFAULT_SCHEME,
  KEY_PATTERN,
  findSchemeProblems,
  retargetedRelationTypes,
  schemeRemovals,
  type LabelScheme,
  type PassageCategory,
  type RelationTarget,
  type RelationType,
  type SchemeProblem,
  type SchemeRemovals,
  type SpanLabel,
} from './scheme.ts';
export {
  OffsetIndex,
  checkSpanOffsets,
  codePointToUtf16,
  isCodePointBoundary,
  utf16ToCodePoint,
  type ExportedOffsets,
  type OffsetProblem,
  type OffsetProblemCode,
} from './offsets.ts';
export { Utf8DecodeError, Utf8StreamDecoder, decodeUtf8, type DecodedText } from './utf8.ts';
export {
  AnnotationOpError,
  annotationStateToContent,
  applyOp,
  applyOps,
  cloneAnnotationState,
  createAnnotationState,
  dependentRelations,
  diffAnnotationStates,
  type AnnotationContext,
  type AnnotationOpErrorCode,
  type AnnotationState,
  type AnnotationStateContent,
  type AnnotationStateInput,
} from './annotation-state.ts';
export {
  STRUCTURE_WARNING_KINDS,
  analyzeStructure,
  chainOf,
  type StructureOptions,
  type StructureWarning,
  type StructureWarningKind,
} from './structure.ts';
export {
  nextGraphemeBoundary,
  nextWordBoundary,
  previousGraphemeBoundary,
  previousWordBoundary,
  snapToGraphemes,
  snapToWords,
} from './segmentation.ts';
