/**
 * Layer cache and executor resources of the simulated fleet. A layer lookup hits the executor's
 * local cache with a chance that decays with the time since that layer was last used there
 * (τ = 3 h), else the pool's remote cache (τ = 24 h; none during a cache outage), else the layer is
 * built. Resource samples follow the executor's running builds and the bytes it pulled.
 */
import type { LayerStep } from '../catalogue.js';
import type { Emitter } from './emit.js';
import type { SimExecutor, SimPool } from './fleet-model.js';
import { activeIncident, type Incident } from './incidents.js';
import type { Rng } from './rng.js';

/** Mutable state of one executor. */
export interface ExecState {
  spec: SimExecutor;
  /** Builds running now. */
  running: Set<object>;
  /** Layer key → last use (ms), in least-recently-used order. */
  local: Map<string, number>;
  /** Bytes pulled from the remote cache since the last sample. */
  pulled: number;
  /** Bytes written (built layers) since the last sample. */
  written: number;
}

/** The cache and resource model. */
export interface CacheModel {
  executor(spec: SimExecutor): ExecState;
  /** Emits the cache event of a layer lookup and returns the seconds the step takes. */
  lookup(
    em: Emitter,
    exec: ExecState,
    layer: { step: LayerStep; key: string },
    build: { buildId: string; timeFactor: number },
    at: number,
  ): number;
  /** Emits a resource sample. */
  sample(em: Emitter, exec: ExecState, queued: number, at: number, intervalMs: number): void;
}

const LOCAL_TAU = 3 * 3_600_000;
const REMOTE_TAU = 24 * 3_600_000;
const LOCAL_CAPACITY = 300;
const REMOTE_BPS = 100 * 1024 * 1024;

const clamp = (x: number, lo = 0, hi = 1): number => Math.min(hi, Math.max(lo, x));

/** Creates the model; remote caches start warm with the popular combinations' layers. */
export function createCacheModel(rng: Rng, pools: readonly SimPool[], startMs: number, incidents: readonly Incident[]): CacheModel {
  const remote = new Map<string, Map<string, number>>();
  for (const p of pools) {
    const m = new Map<string, number>();
    for (const item of p.menu.slice(0, 8)) for (const { key } of item.layers) m.set(key, startMs - rng.next() * 12 * 3_600_000);
    remote.set(p.name, m);
  }
  const touch = (m: Map<string, number>, key: string, at: number, cap: number): void => {
    m.delete(key);
    m.set(key, at);
    if (m.size > cap) {
      const oldest = m.keys().next();
      if (!oldest.done) m.delete(oldest.value);
    }
  };
  return {
    executor(spec) {
      return { spec, running: new Set(), local: new Map(), pulled: 0, written: 0 };
    },
    lookup(em, exec, { step, key }, build, at) {
      const pool = exec.spec.pool;
      const rcache = remote.get(pool) ?? new Map<string, number>();
      const outage = activeIncident(incidents, 'cache_outage', pool, at);
      const slow = activeIncident(incidents, 'slow_executor', exec.spec.name, at);
      const slowdown = slow?.effect.slowdown ?? 1;
      const lastLocal = exec.local.get(key);
      const lastRemote = outage ? undefined : rcache.get(key);
      let hit = false;
      let tier: 'LOCAL' | 'REMOTE' = 'REMOTE';
      let latency: number;
      let seconds: number;
      if (lastLocal !== undefined && rng.chance(Math.exp(-(at - lastLocal) / LOCAL_TAU))) {
        hit = true;
        tier = 'LOCAL';
        latency = rng.logNormal(4, 0.5);
        seconds = 0.2 + latency / 1000;
      } else if (lastRemote !== undefined && rng.chance(Math.exp(-(at - lastRemote) / REMOTE_TAU))) {
        hit = true;
        latency = rng.logNormal(60, 0.5);
        seconds = step.sizeBytes / REMOTE_BPS + latency / 1000;
        exec.pulled += step.sizeBytes;
      } else {
        // A miss; during an outage the lookup times out before building.
        latency = outage ? rng.logNormal(2500, 0.3) : rng.logNormal(25, 0.5);
        const straggler = rng.chance(0.03) ? rng.logNormal(3, 0.5) : 1;
        seconds = (step.buildSeconds * build.timeFactor * straggler * rng.logNormal(1, 0.25)) / exec.spec.speed + latency / 1000;
        exec.written += step.sizeBytes;
      }
      em.emit('cache', exec.spec.name, at, {
        executor: exec.spec.name,
        pool,
        build_id: build.buildId,
        layer_key: key,
        hit,
        bytes: step.sizeBytes,
        latency_ms: Math.round(latency * slowdown * 100) / 100,
        tier,
      });
      touch(exec.local, key, at, LOCAL_CAPACITY);
      if (!outage) touch(rcache, key, at, 100_000);
      return seconds * slowdown;
    },
    sample(em, exec, queued, at, intervalMs) {
      const { spec } = exec;
      const load = exec.running.size / spec.slots;
      const slow = activeIncident(incidents, 'slow_executor', spec.name, at) ? 0.15 : 0;
      const memoryUtil = clamp(0.12 + 0.7 * load + 0.03 * rng.normal());
      const secs = intervalMs / 1000;
      em.emit('resource', spec.name, at, {
        executor: spec.name,
        pool: spec.pool,
        cpu_util: Math.round(clamp(0.04 + 0.82 * load + slow + 0.04 * rng.normal()) * 1000) / 1000,
        memory_util: Math.round(memoryUtil * 1000) / 1000,
        memory_bytes: Math.round(memoryUtil * spec.memoryBytes),
        disk_read_bps: Math.round(load * 40e6 * (0.5 + rng.next()) + exec.pulled / secs),
        disk_write_bps: Math.round(load * 20e6 * (0.5 + rng.next()) + (exec.written + exec.pulled) / secs),
        net_rx_bps: Math.round(exec.pulled / secs + 2e4 * rng.next()),
        net_tx_bps: Math.round(load * 1e6 * rng.next() + 1e4),
        running_builds: exec.running.size,
        slots: spec.slots,
        queued,
      });
      exec.pulled = 0;
      exec.written = 0;
    },
  };
}
