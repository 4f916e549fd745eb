/** `pulse process`: starts the processors, reports progress, stops cleanly on SIGINT/SIGTERM. */
import type { Config } from '../common/config.js';
import type { Logger } from '../common/logger.js';
import type { Metrics } from '../common/metrics.js';
import { startProcessors, stopProcessors } from './start.js';

/** Options of {@link runProcessCommand}. */
export interface RunProcessOptions {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  groupId?: string;
  only?: readonly string[];
  /** Progress line sink (stderr). */
  progress: (message: string) => void;
  /** Stop after this many ms (default: run until signalled). */
  durationMs?: number;
  /** Resolves/aborts the run (tests); SIGINT/SIGTERM always do. */
  signal?: AbortSignal;
}

/** Summary printed when the command ends. */
export interface RunProcessResult {
  processors: string[];
  eventsApplied: number;
  deadLettered: number;
  runtimeMs: number;
}

async function counterTotal(metrics: Metrics, name: string, outcome: string): Promise<number> {
  const m = metrics.registry.getSingleMetric(name);
  if (!m) return 0;
  const data = await m.get();
  return data.values.filter((v) => v.labels.outcome === outcome).reduce((a, v) => a + v.value, 0);
}

/** Runs until signalled (or `durationMs`), printing a progress line every 10 s. */
export async function runProcessCommand(options: RunProcessOptions): Promise<RunProcessResult> {
  const started = Date.now();
  const handles = await startProcessors(options);
  options.progress(
    `processing with ${handles.map((h) => h.name).join(', ')} (group ${options.groupId ?? options.config.processor.groupId})`,
  );
  await new Promise<void>((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      clearInterval(ticker);
      if (timeout) clearTimeout(timeout);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    options.signal?.addEventListener('abort', done, { once: true });
    const timeout = options.durationMs !== undefined ? setTimeout(done, options.durationMs) : undefined;
    let previous = 0;
    const ticker = setInterval(() => {
      void counterTotal(options.metrics, 'processor_events_total', 'applied').then((n) => {
        options.progress(`applied ${n} events (${((n - previous) / 10).toFixed(1)}/s)`);
        previous = n;
      });
    }, 10_000);
  });
  options.progress('stopping');
  await stopProcessors(handles, options.logger);
  return {
    processors: handles.map((h) => h.name),
    eventsApplied: await counterTotal(options.metrics, 'processor_events_total', 'applied'),
    deadLettered: await counterTotal(options.metrics, 'processor_events_total', 'dead_lettered'),
    runtimeMs: Date.now() - started,
  };
}
