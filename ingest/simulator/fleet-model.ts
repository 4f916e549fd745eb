/**
 * The simulated factory's static shape for a seed: pools (arch, executors, slots, speed) and each
 * pool's menu of module combinations with Zipf-like popularity and a per-combination time factor.
 */
import { combinationFailure, formatCombination, layerKeys, sampleCombination, type FailureCategory, type LayerStep } from '../catalogue.js';
import { hash32, type Rng } from './rng.js';

/** One executor. */
export interface SimExecutor {
  name: string;
  pool: string;
  slots: number;
  /** Relative speed: build times are divided by it (1 = reference). */
  speed: number;
  memoryBytes: number;
}

/** A combination a pool builds, with its fixed traits. */
export interface MenuItem {
  combination: string[];
  key: string;
  /** Multiplies the layers' build seconds (log-normal across combinations: heavy tail). */
  timeFactor: number;
  failureRate: number;
  failureCategory: FailureCategory;
  layerCount: number;
  /** Layer steps with their prefix-chained cache keys. */
  layers: { step: LayerStep; key: string }[];
  imageSizeBytes: number;
  /** Sum of the layers' reference build seconds. */
  baseSeconds: number;
}

/** One pool. */
export interface SimPool {
  name: string;
  arch: string;
  executors: SimExecutor[];
  menu: MenuItem[];
  /** Cumulative popularity weights of the menu (for sampling). */
  weights: number[];
  /** Mean build arrivals per second at demand factor 1. */
  arrivalsPerSec: number;
}

/** Target mean slot utilisation at demand factor 1. */
const UTILISATION = 0.55;
/** Mean build seconds assumed when sizing demand (half the layers cached). */
const MEAN_BUILD_SECONDS = 420;

function menuItem(combination: string[], seed: number): MenuItem {
  const key = formatCombination(combination);
  const layers = layerKeys(combination);
  const failure = combinationFailure(combination);
  // A stable log-normal factor per (seed, combination): median 1, sigma 0.5.
  const u1 = Math.max(hash32(`${seed}:${key}:a`) / 4294967296, 1e-9);
  const u2 = hash32(`${seed}:${key}:b`) / 4294967296;
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return {
    combination,
    key,
    timeFactor: Math.exp(0.5 * z),
    failureRate: failure.rate,
    failureCategory: failure.category,
    layerCount: layers.length,
    layers,
    imageSizeBytes: layers.reduce((s, l) => s + l.step.sizeBytes, 0),
    baseSeconds: layers.reduce((s, l) => s + l.step.buildSeconds, 0),
  };
}

/** Builds the fleet: `pools` pools of `executorsPerPool` executors; menus share a common core. */
export function buildFleet(rng: Rng, seed: number, pools: number, executorsPerPool: number): SimPool[] {
  const shared: string[][] = [];
  const sharedRng = rng.fork('shared-menu');
  for (let i = 0; i < 24; i++) shared.push(sampleCombination(sharedRng));
  return Array.from({ length: pools }, (_, p): SimPool => {
    const name = `pool-${p + 1}`;
    const prng = rng.fork(name);
    const executors = Array.from({ length: executorsPerPool }, (_, e): SimExecutor => {
      const slots = prng.int(2, 4);
      return {
        name: `${name}-exec-${String(e + 1).padStart(2, '0')}`,
        pool: name,
        slots,
        speed: 0.8 + 0.4 * prng.next(),
        memoryBytes: slots * 4 * 1024 ** 3,
      };
    });
    const own: string[][] = [];
    for (let i = 0; i < 16; i++) own.push(sampleCombination(prng));
    const seen = new Set<string>();
    const menu: MenuItem[] = [];
    // Interleave pool-specific and shared combinations so both appear among the popular ones.
    for (let i = 0; i < Math.max(own.length, shared.length); i++) {
      for (const c of [own[i], shared[(i + p * 5) % shared.length]]) {
        if (!c) continue;
        const key = formatCombination(c);
        if (seen.has(key)) continue;
        seen.add(key);
        menu.push(menuItem(c, seed));
      }
    }
    let acc = 0;
    const weights = menu.map((_, i) => (acc += 1 / (i + 1) ** 1.1));
    const slots = executors.reduce((s, e) => s + e.slots, 0);
    return {
      name,
      arch: p % 3 === 2 ? 'arm64' : 'amd64',
      executors,
      menu,
      weights,
      arrivalsPerSec: (UTILISATION * slots) / MEAN_BUILD_SECONDS,
    };
  });
}

/** Draws a menu item by popularity. */
export function pickMenuItem(rng: Rng, pool: SimPool): MenuItem {
  const total = pool.weights[pool.weights.length - 1] ?? 0;
  const r = rng.next() * total;
  let lo = 0;
  let hi = pool.weights.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((pool.weights[mid] ?? 0) > r) hi = mid;
    else lo = mid + 1;
  }
  return pool.menu[lo] as MenuItem;
}
