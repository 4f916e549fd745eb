/** Fleet simulator: deterministic event generator, ground truth, demand curve and incidents. */
export { createFleetSimulation, generateFleet, type FleetOptions, type FleetSimulation } from './fleet.js';
export type { SimEvent } from './emit.js';
export type { GroundTruth, MinuteBuilds } from './truth.js';
export type { Incident, IncidentKind } from './incidents.js';
export { demandFactor, nextArrival, PEAK_DEMAND } from './demand.js';
export { eventRateModel, expectedEventsPerSecond, virtualDurationFor, type EstimateOptions } from './estimate.js';
export { buildFleet, pickMenuItem, type MenuItem, type SimExecutor, type SimPool } from './fleet-model.js';
export { createRng, hash32, type Rng } from './rng.js';
export { DEFAULT_START, parseStart } from './run.js';
export { writeSimulatedHistory, HISTORY_CSV_HEADER, type SimulatedHistoryOptions, type SimulatedHistoryReport } from './history-csv.js';
