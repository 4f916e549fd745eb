import { mkdtempSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from '../../../common/errors.js';
import { silentLogger } from '../../../common/logger.js';
import { initBackend } from '../../../models/backend.js';
import { buildDataset, type Dataset } from '../../../models/features/dataset.js';
import { sortByStart } from '../../../models/features/replay.js';
import type { ModelBundle } from '../../../models/nn/bundle.js';
import { gatherRows, trainBundle } from '../../../models/nn/trainer.js';
import { loadBundle, saveBundle } from '../../../models/registry/artefacts.js';
import { generateHistory } from './helpers/synthetic-history.js';

describe('model artefacts', () => {
  let ds: Dataset;
  let bundle: ModelBundle;
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-models-'));
  beforeAll(async () => {
    await initBackend({ logger: silentLogger() });
    ds = buildDataset(sortByStart(generateHistory({ rows: 800, pools: 3, seed: 9 })));
    bundle = await trainBundle(
      ds,
      Array.from({ length: 600 }, (_, i) => i),
      { version: 'v-test-1', backend: tf.getBackend(), epochs: 1 },
    );
  });
  afterAll(() => bundle.dispose());

  it('save → load gives identical predictions and meta', async () => {
    await saveBundle(dataDir, bundle);
    const loaded = await loadBundle(dataDir, 'v-test-1');
    try {
      const rows = Array.from({ length: ds.n - 600 }, (_, i) => 600 + i);
      const x = gatherRows(ds, rows);
      const a = bundle.predict(x, rows.length);
      const b = loaded.predict(x, rows.length);
      expect(Array.from(b.p50)).toEqual(Array.from(a.p50));
      expect(Array.from(b.p10)).toEqual(Array.from(a.p10));
      expect(Array.from(b.failureProb)).toEqual(Array.from(a.failureProb));
      expect(loaded.meta).toEqual(bundle.meta);
      expect(a.p10.every((v, i) => v <= (a.p50[i] as number) && (a.p50[i] as number) <= (a.p90[i] as number))).toBe(true);
    } finally {
      loaded.dispose();
    }
  });

  it('inference leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    bundle.predict(gatherRows(ds, [0, 1, 2]), 3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a missing or truncated artefact is a ModelLoadError', async () => {
    await expect(loadBundle(dataDir, 'v-absent')).rejects.toBeInstanceOf(ModelLoadError);
    truncateSync(join(dataDir, 'models', 'v-test-1', 'failure', 'weights.bin'), 10);
    await expect(loadBundle(dataDir, 'v-test-1')).rejects.toBeInstanceOf(ModelLoadError);
    await expect(loadBundle(dataDir, '../etc')).rejects.toBeInstanceOf(ModelLoadError);
  });
});
