/**
 * TensorFlow.js backend choice: `@tensorflow/tfjs-node` when it loads (an optional dependency that
 * cannot install everywhere), else the WebAssembly backend of `@tensorflow/tfjs-backend-wasm` (its
 * .wasm files are read from node_modules), else the pure-JS cpu backend. Which one runs is logged
 * and exported as the gauge `models_backend_info{backend}`.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Logger } from '../common/logger.js';
import type { Metrics } from '../common/metrics.js';

/** Backends in order of preference. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Options of {@link initBackend}. */
export interface InitBackendDeps {
  logger: Logger;
  metrics?: Metrics;
  /** Skip faster backends (benchmarks compare them). */
  only?: BackendName;
}

/** Name of the optional native package (a variable so the type checker does not require it). */
const NODE_BACKEND_PACKAGE = '@tensorflow/tfjs-node';

async function tryNode(logger: Logger): Promise<boolean> {
  try {
    await import(NODE_BACKEND_PACKAGE);
    return await tf.setBackend('tensorflow');
  } catch (err) {
    logger.debug({ err: (err as Error).message }, 'tfjs-node not available');
    return false;
  }
}

async function tryWasm(logger: Logger): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
    wasm.setWasmPaths(dist);
    return await tf.setBackend('wasm');
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'wasm backend not available');
    return false;
  }
}

/** Selects and initialises the best available backend (idempotent); returns its name. */
export async function initBackend(deps: InitBackendDeps): Promise<BackendName> {
  const current = tf.getBackend() as string | undefined;
  const log = deps.logger.child({ component: 'tfjs' });
  let name: BackendName;
  if (current === 'tensorflow' || (current === 'wasm' && deps.only !== 'cpu') || (current === 'cpu' && deps.only === 'cpu')) {
    name = current;
  } else if (deps.only !== 'wasm' && deps.only !== 'cpu' && (await tryNode(log))) name = 'tensorflow';
  else if (deps.only !== 'cpu' && (await tryWasm(log))) name = 'wasm';
  else {
    await tf.setBackend('cpu');
    name = 'cpu';
  }
  await tf.ready();
  tf.enableProdMode();
  log.info({ backend: name }, 'tensorflow.js backend selected');
  if (deps.metrics) {
    const g = deps.metrics.gauge('models_backend_info', 'TensorFlow.js backend in use (1 for the active one)', ['backend']);
    for (const b of ['tensorflow', 'wasm', 'cpu'] as const) g.set({ backend: b }, b === name ? 1 : 0);
  }
  return name;
}

/** Updates the `models_tensors` gauge with `tf.memory().numTensors` (leaks show as growth). */
export function recordTensorCount(metrics: Metrics | undefined): number {
  const n = tf.memory().numTensors;
  metrics?.gauge('models_tensors', 'tensors alive in TensorFlow.js (tf.memory().numTensors)').set(n);
  return n;
}
