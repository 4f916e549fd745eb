/** Public surface of the api part: the fastify app, its collaborators' interfaces, the directive engine. */
export { buildApp, type AppDeps, type AppExtension, type AppLimits, type PulseApp } from './app.js';
export { generateLocalToken, parseTokens, SCOPES, type Principal, type Scope, type TokenTable } from './auth/tokens.js';
export { bearerToken, createAuthorize, principalOf, type AuthHook, type Authorize } from './plugins/auth.js';
export { toPulseError, fieldPath } from './plugins/errors.js';
export type { ReadinessCheck } from './plugins/health.js';
export type { PredictInput, Prediction, Predictor } from './predict/predictor.js';
export { adaptModelPredictor } from './predict/models-adapter.js';
export { loadPredictor } from './predict/load.js';
export { unavailablePredictor } from './predict/unavailable.js';
export type { ApiStore, DirectiveView, PoolFeatureRow, AlertRow, ModelVersionRow, CombinationTrend } from './store/types.js';
export { createClickHouseStore } from './store/clickhouse-store.js';
export { jobSinkFromProducer, type JobSink } from './jobs/job-sink.js';
export {
  createDirectiveIssuer,
  type DirectiveDraft,
  type DirectiveIssuer,
  type DirectiveSink,
  type IssuedDirective,
} from './directives/issuer.js';
export { createDirectiveRecorder, type DirectiveRecorder, type EffectRecord, type PendingEffect } from './directives/recorder.js';
export { createDirectiveEngine, type DirectiveEngine, type EngineDeps, type EngineOptions, type TickResult } from './directives/engine.js';
export { createEffectMeter, type EffectMeter } from './directives/effect.js';
export { createAckConsumer, type AckConsumer } from './directives/ack-consumer.js';
export { createClickHousePoolState } from './directives/clickhouse-pool-state.js';
export type { PoolObservation, PoolStateSource, WindowStats } from './directives/pool-state.js';
export { significantChange } from './directives/significance.js';
export { createRuntime, type Runtime, type RuntimeOptions } from './server/runtime.js';
