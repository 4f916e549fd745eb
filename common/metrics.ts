/**
 * Metrics: one prom-client Registry per process, created at start-up and passed down.
 * Never use prom-client's global registry. Names are `snake_case_<unit>`.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Metric helpers bound to one registry; calling twice with one name returns the same metric. */
export interface Metrics {
  readonly registry: Registry;
  counter<L extends string>(name: string, help: string, labelNames?: readonly L[]): Counter<L>;
  gauge<L extends string>(name: string, help: string, labelNames?: readonly L[]): Gauge<L>;
  histogram<L extends string>(name: string, help: string, labelNames?: readonly L[], buckets?: number[]): Histogram<L>;
}

/** Options for {@link createMetrics}. */
export interface MetricsOptions {
  /** Also collect Node.js process metrics (event loop lag, heap…). Default true. */
  defaultMetrics?: boolean;
  prefix?: string;
}

/** Creates a fresh registry and its helpers. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: options.prefix ?? 'pulse_' });
  const get = (name: string): unknown => registry.getSingleMetric(name);
  return {
    registry,
    counter(name, help, labelNames = []) {
      return (get(name) as Counter<never> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
    },
    gauge(name, help, labelNames = []) {
      return (get(name) as Gauge<never> | undefined) ?? new Gauge({ name, help, labelNames, registers: [registry] });
    },
    histogram(name, help, labelNames = [], buckets) {
      return (
        (get(name) as Histogram<never> | undefined) ??
        new Histogram({ name, help, labelNames, registers: [registry], ...(buckets ? { buckets } : {}) })
      );
    },
  };
}
