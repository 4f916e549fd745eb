/** Public surface of the processors part. */
export { runProcessCommand, type RunProcessOptions, type RunProcessResult } from './run-command.js';
export {
  PROCESSOR_KINDS,
  processorKindNames,
  startProcessors,
  stopProcessors,
  type ProcessorKind,
  type ProcessorStartDeps,
} from './start.js';
export { featureTopics, startFeatureProcessor, type FeatureRuntimeDeps, type ProcessorHandle } from './runtime/feature-runtime.js';
export {
  createFeatureProcessor,
  type FeatureProcessor,
  type FeatureProcessorDeps,
  type CommitOffset,
  type InputMessage,
} from './features/processor.js';
export { createProcessorMetrics, type ProcessorMetrics } from './features/processor-metrics.js';
export { createClickHouseFeatureStore } from './runtime/clickhouse-store.js';
export type { FeatureStore, PartialRow, StoredCheckpoint, WindowKey } from './features/store.js';
export { ENTITY_TYPES, combinationKey, featureTable, type EntityType, type FeatureEvent } from './features/entities.js';
export { WINDOW_SIZES, classify, windowStart, type LatenessPolicy, type Timeliness, type WindowSizeName } from './features/windows.js';
export { SKETCH_RELATIVE_ACCURACY } from './features/sketch.js';
export { RAW_TABLES } from './features/raw-rows.js';
export type { FeatureMetrics } from './features/feature-row.js';
export type { CombinationState } from './features/combination-state.js';
