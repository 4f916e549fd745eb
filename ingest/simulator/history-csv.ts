/**
 * History export of the fleet simulator: runs a simulation without Kafka and writes its finished builds
 * as a history CSV in the import format (`build_id,pool,started_at,duration_ms,status,combination,
 * executor,queued_at,arch`), the input of `pulse import builds` and `pulse backtest`. Deterministic for a
 * seed; rows are in finish order (readers sort by start).
 */
import { InputError } from '../../common/errors.js';
import { openTextFile } from '../import/csv-file.js';
import { createFleetSimulation, type FleetOptions } from './fleet.js';

/** Options of {@link writeSimulatedHistory}. */
export interface SimulatedHistoryOptions extends Omit<FleetOptions, 'durationMs' | 'maxEvents'> {
  /** Stop after this many finished builds. */
  builds: number;
  /** Longest virtual time to simulate (default 365 days; stops earlier at `builds`). */
  durationMs?: number;
  /** Called every 10 000 builds. */
  onProgress?: (builds: number) => void;
}

/** What {@link writeSimulatedHistory} wrote. */
export interface SimulatedHistoryReport {
  file: string;
  builds: number;
  failed: number;
  cancelled: number;
  virtualStart: string;
  virtualEnd: string;
}

/** The CSV header of the export. */
export const HISTORY_CSV_HEADER = 'build_id,pool,started_at,duration_ms,status,combination,executor,queued_at,arch';

/** Simulates the fleet and writes `options.builds` finished builds to `file`. */
export async function writeSimulatedHistory(file: string, options: SimulatedHistoryOptions): Promise<SimulatedHistoryReport> {
  if (!Number.isInteger(options.builds) || options.builds < 1) throw new InputError('--builds', 'must be a positive integer');
  const { builds: wanted, onProgress, durationMs, ...fleet } = options;
  // Resource samples do not enter the history: sample rarely so the export runs fast.
  const sim = createFleetSimulation({ resourceIntervalSec: 3600, ...fleet, durationMs: durationMs ?? 365 * 86_400_000 });
  const out = await openTextFile(file);
  let chunk = `${HISTORY_CSV_HEADER}\n`;
  const report: SimulatedHistoryReport = { file, builds: 0, failed: 0, cancelled: 0, virtualStart: '', virtualEnd: '' };
  let lastAt = options.startMs;
  for (const ev of sim.events()) {
    if (ev.family !== 'build' || ev.value.type !== 'FINISHED') continue;
    const b = ev.value;
    const duration = b.duration_ms ?? 0;
    const startedAt = b.event_time - duration;
    const queuedAt = startedAt - (b.queue_wait_ms ?? 0);
    const status = (b.status ?? 'PASSED').toLowerCase();
    if (status === 'failed' || status === 'errored') report.failed++;
    if (status === 'cancelled') report.cancelled++;
    chunk += `${b.build_id},${b.pool},${new Date(startedAt).toISOString()},${duration},${status},${b.combination.join(';')},${b.executor ?? ''},${queuedAt},${b.arch}\n`;
    lastAt = b.event_time;
    report.builds++;
    if (report.builds % 10_000 === 0) onProgress?.(report.builds);
    if (chunk.length > 1 << 16) {
      await out.write(chunk);
      chunk = '';
    }
    if (report.builds >= wanted) break;
  }
  await out.write(chunk);
  await out.close();
  report.virtualStart = new Date(options.startMs).toISOString();
  report.virtualEnd = new Date(lastAt).toISOString();
  return report;
}
