/** Public surface of the models part (features, training, registry, serving). */
export { initBackend, recordTensorCount, type BackendName } from './backend.js';
export { HistoryState } from './features/history-state.js';
export { featureVector, writeFeatures, FEATURE_DIM, FEATURE_VERSION, NUMERIC_FEATURES } from './features/vector.js';
export { baselinePrediction, type BaselinePrediction } from './features/baselines.js';
export { replayHistory, sortByStart, inputOf } from './features/replay.js';
export { inputOfEvent } from './features/event-input.js';
export type { BuildInput, BuildOutcome, HistoryRecord, OutcomeStatus } from './features/types.js';
export { readHistoryCsv, type CsvHistory } from './data/csv-history.js';
export { readClickHouseHistory } from './data/clickhouse-history.js';
export { createRegistry, type ModelRegistry, type ModelVersionRow } from './registry/registry.js';
export { createPredictor, type Predictor, type PredictorDeps, type Prediction, type ObservedEvent } from './serving/predictor.js';
export { createDriftMonitor, type DriftMonitor, type DriftSnapshot } from './serving/drift.js';
export { startRetrainSchedule, type RetrainSchedule } from './serving/retrain-schedule.js';
export { runTraining, type TrainResult, type TrainRunOptions } from './train.js';
