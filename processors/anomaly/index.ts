/** Public surface of the anomaly part: detectors, lifecycle, offline detection, the streaming processor. */
import { runAnomalyProcessor, type AnomalyProcessor, type AnomalyProcessorDeps } from './stream/anomaly-processor.js';

export { createSeriesDetector, type SeriesDetector, type SeriesDetectorOptions } from './detectors/series-detector.js';
export { createRateDetector, type RateDetector, type RateDetectorOptions } from './detectors/rate-detector.js';
export { createStuckQueueDetector, type StuckQueueDetector } from './detectors/stuck-queue.js';
export { createDriftDetector, type DriftDetector } from './detectors/drift-detector.js';
export type { DetectorKind, PointScore } from './detectors/score.js';
export { createAlertLifecycle, type AlertLifecycle, type AlertTransition, type LifecycleOptions } from './lifecycle.js';
export { detectSeries, type DetectedRow, type DetectResult } from './offline/detect-series.js';
export { createFleetMonitor, type FleetMonitor } from './stream/fleet-monitor.js';
export type { AnomalyProcessor, AnomalyProcessorDeps };

/**
 * Starts the streaming anomaly processor (its own consumer group over the event topics); `pulse process`
 * calls this. Resolves once the consumer runs; call `stop()` on shutdown.
 */
export function startAnomalyProcessor(deps: AnomalyProcessorDeps): Promise<AnomalyProcessor> {
  return runAnomalyProcessor(deps);
}
