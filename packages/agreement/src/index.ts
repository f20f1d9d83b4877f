export type { BootstrapOptions, Estimate, UndefinedReason } from './estimate.ts';
export type { BootstrapInterval } from './bootstrap.ts';
export { bootstrap, Resampler, type Pending, type ResamplerOptions, type UnitsOption } from './resampler.ts';
export { resampleSums, sumsWidth, type ResampleHelper, type SumsLayout, type SumsTable, type SumsTask } from './resample-sums.ts';
export { cohenKappa, cohenKappaDetail, cohenKappaWithInterval, scottPi, type CohenDetail } from './cohen.ts';
export { fleissKappa, fleissKappaWithInterval, type FleissResult } from './fleiss.ts';
export {
  alphaWithInterval,
  krippendorffAlpha,
  krippendorffAlphaDetail,
  type AlphaDetail,
  type Level,
  type ReliabilityValue,
} from './krippendorff.ts';
export {
  unitizingAlpha,
  unitizingPairParts,
  unitizingParts,
  type LabelDisagreement,
  type UnitizingPairParts,
  type UnitizingInput,
  type UnitizingParts,
  type UnitizingResult,
  type UnitizingUnit,
} from './unitizing.ts';
export { pooledUnitizingAlpha, type PooledUnitizingOptions, type PooledUnitizingResult } from './pooled-unitizing.ts';
export { spanF1, type F1, type Span } from './span-f1.ts';
export {
  NO_RELATION,
  pooledRelationAlpha,
  pooledRelationFleissKappa,
  relationAgreement,
  relationAgreementParts,
  relationPairParts,
  type RelationInput,
  type RelationPairInput,
  type RelationPairParts,
  type RelationParts,
} from './relations.ts';
export {
  RESAMPLES,
  buildReport,
  passageFigures,
  passagePart,
  reduceReport,
  toEstimate,
  type PassagePart,
  type ReportInput,
  type ReportMeta,
} from './report/report.ts';
export { packParts, unpackParts, type PackedParts } from './report/packed-parts.ts';
export {
  forgetPrepared,
  relationKeys,
  spanKey,
  unitsForUnitizing,
  type LoadedPassage,
  type LoadedRelation,
  type LoadedSet,
  type LoadedSpan,
} from './report/passage-data.ts';
export type {
  PassageDisagreement,
  ProjectReport,
  ReportAnnotator,
  ReportEstimate,
  ReportF1,
  ReportPair,
  ReportProgressRow,
  ReportScheme,
} from './report/types.ts';
